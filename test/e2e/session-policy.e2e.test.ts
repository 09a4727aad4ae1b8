/**
 * In a real browser, in English and in Chinese: an administrator edits the session policy on the settings
 * page (the lock-out guard's refusal and a bad allow-list entry worded in the reader's language), signs a
 * colleague out everywhere from the Users page, and signs themself out everywhere from the security page.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { startTestServer } from '../helpers/server.js';
import { assertBrowserReady, launchBrowser, newContext, signIn, skipBrowserSuite, watchErrors } from './browser.js';

type Server = Awaited<ReturnType<typeof startTestServer>>;
const COLLEAGUE = 'night.shift@test.example';
const COLLEAGUE_PASSWORD = 'night-shift-long-password';

describe.skipIf(skipBrowserSuite())('session policy (browser)', () => {
  let server: Server;
  let browser: Browser;
  const errors: string[][] = [];

  beforeAll(async () => {
    assertBrowserReady();
    server = await startTestServer();
    await server.running.services.users.create(
      { id: null, label: 'test' },
      { email: COLLEAGUE, name: 'Night Shift', role: 'responder', password: COLLEAGUE_PASSWORD },
    );
    browser = await launchBrowser();
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  async function page(locale: string): Promise<Page> {
    const p = await (await newContext(browser, { locale })).newPage();
    errors.push(watchErrors(p));
    await signIn(p, server.url, server.adminEmail, server.adminPassword);
    return p;
  }
  const policy = () => server.running.services.sessionPolicy.current();

  it('edits the policy in English; refuses a console allow-list that would lock the administrator out', {
    timeout: 60_000,
  }, async () => {
    const en = await page('en-US');
    await en.getByTestId('nav-settings').click();
    const card = en.getByTestId('session-policy-card');
    await card.getByText('Session policy').first().waitFor();
    expect(await en.getByTestId('session-policy-updated').textContent()).toBe('Never changed: the defaults apply.');
    expect(await en.getByTestId('session-policy-address').textContent()).toBe('Your current address: 127.0.0.1');

    await en.getByTestId('session-policy-idle').fill('30');
    await en.getByTestId('session-policy-absolute').fill('8');
    await en.getByTestId('session-policy-single').check({ force: true });
    await en.getByTestId('session-policy-console-list').fill('10.0.0.0/8');
    await en.getByTestId('session-policy-save').click();
    await card.getByText('saving it would lock you out').waitFor();
    expect(await card.textContent()).toContain('Must contain your current address (127.0.0.1)');
    expect((await policy()).policy.consoleAllowList).toEqual([]);

    await en.getByTestId('session-policy-console-list').fill('127.0.0.0/8\n2001:db8::/32');
    await en.getByTestId('session-policy-save').click();
    await en.getByTestId('session-policy-saved').waitFor();
    expect(await en.getByTestId('session-policy-saved').textContent()).toBe('Session policy saved.');
    expect((await policy()).policy).toMatchObject({
      idleTimeoutMinutes: 30,
      absoluteTimeoutHours: 8,
      singleSession: true,
      consoleAllowList: ['127.0.0.0/8', '2001:db8::/32'],
    });

    // A colleague signed in elsewhere; the administrator signs them out everywhere from the Users page.
    const res = await fetch(`${server.url}/api/v1/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: COLLEAGUE, password: COLLEAGUE_PASSWORD }),
    });
    expect(res.status).toBe(200);
    const cookie = res.headers.get('set-cookie')!.split(';')[0]!;
    await en.getByTestId('nav-users').click();
    const row = en.locator(`[data-testid="user-row"][data-email="${COLLEAGUE}"]`);
    await row.getByTestId('user-row-sign-out').click();
    await en.getByTestId('user-row-sign-out-confirm').click();
    await row.getByTestId('user-row-signed-out').waitFor();
    expect(await row.getByTestId('user-row-signed-out').textContent()).toBe('1 session ended.');
    expect((await fetch(`${server.url}/api/v1/session`, { headers: { cookie } })).status).toBe(401);
  });

  it('edits the policy in Chinese, names a bad entry, and signs out everywhere', { timeout: 60_000 }, async () => {
    const zh = await page('zh-CN');
    await zh.getByTestId('nav-settings').click();
    const card = zh.getByTestId('session-policy-card');
    await card.getByText('会话策略').first().waitFor();
    // What English saved is what Chinese shows.
    expect(await zh.getByTestId('session-policy-idle').inputValue()).toBe('30');
    expect(await zh.getByTestId('session-policy-console-list').inputValue()).toBe('127.0.0.0/8\n2001:db8::/32');
    expect(await zh.getByTestId('session-policy-updated').textContent()).toMatch(/^最近修改于 /);

    await zh.getByTestId('session-policy-token-list').fill('192.0.2.0/24\n10.0.0.300');
    await zh.getByTestId('session-policy-save').click();
    await card.getByText('“10.0.0.300”不是 IP 地址或 CIDR 网段。').first().waitFor();
    expect((await policy()).policy.tokenAllowList).toEqual([]);

    await zh.getByTestId('session-policy-token-list').fill('192.0.2.0/24\n2001:db8:1::/48');
    await zh.getByTestId('session-policy-token-max').fill('90');
    await zh.getByTestId('session-policy-save').click();
    await zh.getByTestId('session-policy-saved').waitFor();
    expect(await zh.getByTestId('session-policy-saved').textContent()).toBe('会话策略已保存。');
    expect((await policy()).policy).toMatchObject({
      tokenAllowList: ['192.0.2.0/24', '2001:db8:1::/48'],
      tokenMaxLifetimeDays: 90,
      idleTimeoutMinutes: 30,
    });

    await zh.getByTestId('nav-security').click();
    await zh.getByTestId('sessions-card').getByText('会话').first().waitFor();
    await zh.getByTestId('sign-out-everywhere').click();
    await zh.getByTestId('sign-out-everywhere-confirm').click();
    await zh.getByTestId('login-email').waitFor();
    await zh.reload();
    await zh.getByTestId('login-email').waitFor();
    const entries = await server.running.services.audit.list({ action: 'session.signed_out_everywhere' }, 10);
    expect(entries.items.map((e) => (e.after as { by: string }).by).sort()).toEqual(['administrator', 'self']);
    expect(errors.flat()).toEqual([]);
  });
});
