/**
 * A trial on the office network: the console reached over plain http under a host name other than
 * localhost (Chromium maps tocsin-trial.test to 127.0.0.1). With `upgrade-insecure-requests` in the CSP
 * every asset would be fetched over https and fail (a blank white page); it must render and sign in.
 * Then the read-only settings page, in English and Chinese, with the secrets hidden.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { startTestServer } from '../helpers/server.js';
import { assertBrowserReady, launchBrowser, newContext, signIn, skipBrowserSuite, watchErrors } from './browser.js';

type Server = Awaited<ReturnType<typeof startTestServer>>;
const HOST = 'tocsin-trial.test';

describe.skipIf(skipBrowserSuite())('the console over http under a non-localhost host name (browser)', () => {
  let server: Server;
  let browser: Browser;
  let page: Page;
  let errors: string[] = [];
  const failed: string[] = [];
  let base = '';

  beforeAll(async () => {
    assertBrowserReady();
    server = await startTestServer();
    base = `http://${HOST}:${new URL(server.url).port}`;
    browser = await launchBrowser([`--host-resolver-rules=MAP ${HOST} 127.0.0.1`]);
    page = await (await newContext(browser, { locale: 'en-US' })).newPage();
    errors = watchErrors(page);
    page.on('requestfailed', (r) => failed.push(`${r.url()}: ${r.failure()?.errorText}`));
    // The API answers 401 before signing in, as it should; a page or an asset must never fail.
    page.on(
      'response',
      (r) =>
        void (
          r.status() >= 400 &&
          !new URL(r.url()).pathname.startsWith('/api/') &&
          failed.push(`${r.url()}: HTTP ${r.status()}`)
        ),
    );
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('renders the sign-in form with every asset loaded over http, and signing in works', {
    timeout: 30_000,
  }, async () => {
    const res = await page.goto(`${base}/`);
    expect(res?.status()).toBe(200);
    expect(res?.headers()['content-security-policy']).not.toContain('upgrade-insecure-requests');
    await page.getByTestId('login-form').waitFor();
    expect(await page.getByTestId('login-email').isVisible()).toBe(true);
    const assets = await page.evaluate(() => performance.getEntriesByType('resource').map((e) => e.name));
    expect(assets.filter((u) => u.includes('/assets/')).length).toBeGreaterThan(0);
    for (const u of assets) expect(u.startsWith(`http://${HOST}:`), u).toBe(true);
    expect(failed).toEqual([]);

    await page.getByTestId('login-email').fill(server.adminEmail);
    await page.getByTestId('login-password').fill(server.adminPassword);
    await page.getByTestId('login-submit').click();
    await page.getByTestId('app-header').waitFor();
    await page.locator('[data-testid="live-status"][data-state="open"]').waitFor({ state: 'attached' });
    expect(page.url().startsWith(`${base}/`)).toBe(true);
    expect(failed).toEqual([]);
    expect(errors).toEqual([]);
  });

  it('the settings page lists the configuration read-only, secrets only as set, in English and Chinese', {
    timeout: 30_000,
  }, async () => {
    await page.getByTestId('nav-settings').click();
    await page.getByTestId('setting-row').first().waitFor();
    const pw = page.locator('[data-testid="setting-row"][data-name="TOCSIN_ADMIN_PASSWORD"]');
    expect(await pw.getByTestId('setting-secret').textContent()).toBe('Set');
    expect(await page.locator('[data-testid="setting-row"][data-name="TOCSIN_PORT"]').getAttribute('data-source')).toBe(
      'env',
    );
    expect(await page.content()).not.toContain(server.adminPassword);
    // The configuration table: nothing to edit (the firm's regulatory profile beside it is a form of its own).
    expect(await page.getByTestId('settings-table').locator('input, textarea, select, button').count()).toBe(0);
    const all = await page.getByTestId('setting-row').count();
    await page.getByTestId('settings-filter').fill('probe');
    await page
      .locator('[data-testid="setting-row"][data-name="TOCSIN_SESSION_TTL_HOURS"]')
      .waitFor({ state: 'detached' });
    const names = await page
      .getByTestId('setting-row')
      .evaluateAll((rows) => rows.map((r) => r.getAttribute('data-name')));
    expect(names).toContain('TOCSIN_PROBE_ALLOW_LOOPBACK');
    expect(names.every((n) => n!.includes('PROBE'))).toBe(true);
    expect(names.length).toBeLessThan(all);

    const zh = await (await newContext(browser, { locale: 'zh-CN' })).newPage();
    await signIn(zh, base, server.adminEmail, server.adminPassword);
    await zh.getByTestId('nav-settings').click();
    await zh.getByTestId('setting-row').first().waitFor();
    expect(await zh.getByRole('heading', { level: 2 }).textContent()).toBe('系统设置');
    expect(
      await zh
        .locator('[data-testid="setting-row"][data-name="TOCSIN_ADMIN_PASSWORD"]')
        .getByTestId('setting-secret')
        .textContent(),
    ).toBe('已设置');
    expect(errors).toEqual([]);
  });
});
