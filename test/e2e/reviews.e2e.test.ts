/**
 * Post-incident reviews in a real browser against a real server: a grade II account takeover is resolved
 * and its review opens by itself; the commander, in English, opens it from the war room, writes what
 * happened and a factor with its whys, adds an action item; a compliance officer, in Chinese, finds it on
 * the reviews list, adds an item of their own and sees both on the action items page.
 * Screenshots: .tmp/screens/reviews-*.png. Needs the built console and Chromium (test/e2e/browser.ts).
 */
import fs from 'node:fs';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildIncident, buildPrincipal, buildUser, PASSWORD } from '../helpers/fixtures.js';
import { startTestServer } from '../helpers/server.js';
import {
  assertBrowserReady,
  launchBrowser,
  newContext,
  pickOption,
  signIn,
  skipBrowserSuite,
  watchErrors,
} from './browser.js';

type Server = Awaited<ReturnType<typeof startTestServer>>;
const OUT = '.tmp/screens';

describe.skipIf(skipBrowserSuite())('post-incident reviews (browser)', () => {
  let server: Server;
  let browser: Browser;
  let key = '';
  const commander = { email: 'wang.commander@test.example', name: 'Wang Commander' };
  const officer = { email: 'chen.compliance@test.example', name: '陈合规' };

  beforeAll(async () => {
    assertBrowserReady();
    fs.mkdirSync(OUT, { recursive: true });
    server = await startTestServer();
    const s = server.running.services;
    const ic = await buildUser(s, { role: 'incident_commander', ...commander });
    await buildUser(s, { role: 'compliance', ...officer });
    const by = await buildPrincipal(s, { user: ic });
    const incident = await buildIncident(s, {
      by,
      title: 'Account takeover of trading app users',
      grade: 'II',
      category: 'network_attack',
    });
    key = incident.key;
    for (const to of ['acknowledged', 'contained', 'recovered'] as const) await s.incidents.transition(by, key, to);
    browser = await launchBrowser();
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('opens a review by itself; both languages write it and add action items', async () => {
    const en = await (await newContext(browser, { locale: 'en-US', viewport: { width: 1366, height: 900 } })).newPage();
    const enErrors = watchErrors(en);
    await signIn(en, `${server.url}/incidents/${key}`, commander.email, PASSWORD);
    await en.getByTestId('review-open').click();
    await en.getByTestId('review-page').waitFor();
    expect(await en.getByTestId('rv-state').textContent()).toBe('Draft');
    // Facts from the data: the acknowledge duration is measured, the first public statement has no data.
    await en.getByTestId('rv-duration-toAcknowledge').waitFor();
    expect(await en.getByTestId('rv-duration-toFirstPublicStatement').textContent()).toContain('no data');
    await en.getByTestId('rv-input-whatHappened').fill('Credential stuffing against **trading app** logins.');
    await en.getByTestId('rv-add-factor').click();
    await en.getByTestId('rv-factor-title').fill('No rate limit on the login API');
    await en.getByTestId('rv-why-0').fill('Thousands of attempts per minute were accepted');
    await en.getByTestId('rv-why-1').fill('The gateway had no per-account limit');
    await en.getByTestId('rv-save').click();
    await en.getByTestId('rv-html-whatHappened').locator('strong', { hasText: 'trading app' }).waitFor();

    await en.getByTestId('rv-add-item').click();
    await en.getByTestId('ai-title').fill('Rate-limit the login API');
    await pickOption(en, 'ai-owner', commander.name);
    await pickOption(en, 'ai-priority', 'P1 (urgent)');
    await en.getByTestId('ai-save').click();
    await en.getByTestId('action-items-table').getByText('Rate-limit the login API').waitFor();
    await en.getByTestId('rv-submit').click();
    await en.locator('[data-testid="rv-state"][data-state="in_review"]').waitFor();
    await en.screenshot({ path: `${OUT}/reviews-en.png`, fullPage: true });
    expect(enErrors).toEqual([]);

    const zh = await (await newContext(browser, { locale: 'zh-CN', viewport: { width: 1366, height: 900 } })).newPage();
    const zhErrors = watchErrors(zh);
    await signIn(zh, `${server.url}/reviews`, officer.email, PASSWORD);
    await zh.getByTestId('review-row').getByRole('link', { name: key }).click();
    await zh.getByTestId('review-page').waitFor();
    expect(await zh.getByTestId('rv-state').textContent()).toBe('审核中');
    await zh.getByTestId('rv-add-item').click();
    await zh.getByTestId('ai-title').fill('启用第二家短信服务商');
    await pickOption(zh, 'ai-owner', officer.name);
    await zh.getByTestId('ai-save').click();
    await zh.getByTestId('action-items-table').getByText('启用第二家短信服务商').waitFor();
    // Closing is refused while the items are open, naming them.
    await zh.getByTestId('rv-close').click();
    await zh.getByText('复盘不能关闭').waitFor();
    await zh.screenshot({ path: `${OUT}/reviews-zh.png`, fullPage: true });

    await zh.goto(`${server.url}/action-items`);
    await zh.getByTestId('action-items-page').waitFor();
    await zh.getByTestId('action-items-table').getByText('Rate-limit the login API').waitFor();
    await zh.getByText('我的', { exact: true }).click(); // the chip's label (its input is hidden)
    await expect.poll(() => zh.getByTestId('action-item-row').count()).toBe(1);
    expect(await zh.getByTestId('action-item-status').textContent()).toBe('待处理');
    // An item of no review, made on the page itself.
    await zh.getByTestId('action-item-new').click();
    await zh.getByTestId('ai-title').fill('演练短信通道切换');
    await pickOption(zh, 'ai-owner', officer.name);
    await zh.getByTestId('ai-save').click();
    await zh.getByTestId('action-item-drawer').waitFor({ state: 'detached' });
    await zh.getByText('我的', { exact: true }).click();
    await zh.getByTestId('action-items-table').getByText('演练短信通道切换').waitFor();
    await zh.screenshot({ path: `${OUT}/reviews-action-items-zh.png`, fullPage: true });
    expect(zhErrors).toEqual([]);
  }, 120_000);
});
