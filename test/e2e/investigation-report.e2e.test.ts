/**
 * The investigation report in a real browser against a real server: an investigator writes the report of
 * an account takeover in English and submits it; a second investigator, in Chinese, approves it and
 * publishes its public summary; the public status page of the incident shows the summary.
 * Screenshots: .tmp/screens/investigation-report-*.png. Needs the built console and Chromium (test/e2e/browser.ts).
 */
import fs from 'node:fs';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildIncident, buildUser, PASSWORD, SYSTEM } from '../helpers/fixtures.js';
import { startTestServer } from '../helpers/server.js';
import { assertBrowserReady, launchBrowser, newContext, signIn, skipBrowserSuite, watchErrors } from './browser.js';

type Server = Awaited<ReturnType<typeof startTestServer>>;
const OUT = '.tmp/screens';
const SUMMARY_EN = 'Attackers logged in to 12 accounts with credentials leaked elsewhere; no funds were lost.';
const SUMMARY_ZH = '攻击者利用其他网站泄露的密码登录了 12 个账户，客户资金未受损失。';

describe.skipIf(skipBrowserSuite())('investigation report (browser)', () => {
  let server: Server;
  let browser: Browser;
  let key = '';
  let path = '';
  const author = { email: 'li.investigator@test.example', name: 'Li Investigator' };
  const reviewer = { email: 'zhou.reviewer@test.example', name: '周审核' };

  beforeAll(async () => {
    assertBrowserReady();
    fs.mkdirSync(OUT, { recursive: true });
    server = await startTestServer();
    const s = server.running.services;
    await buildUser(s, { role: 'responder', ...author });
    await buildUser(s, { role: 'compliance', ...reviewer });
    const incident = await buildIncident(s, { title: 'Account takeover of trading app users', grade: 'III' });
    key = incident.key;
    path = (
      await s.store.transaction((tx) =>
        s.status.publisher.publish(tx, SYSTEM, {
          kind: 'holding_statement',
          incidentId: incident.id,
          statementId: `holding-${incident.id}`,
          title: { zh: '交易 App 账户异常登录', en: 'Unusual logins to trading app accounts' },
          body: { zh: '我们正在调查。', en: 'We are investigating.' },
          fields: { status: 'investigating' },
        }),
      )
    ).path;
    browser = await launchBrowser();
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('is written and submitted by one investigator, approved and published by another, and shown publicly', async () => {
    // The author, in English, from the war room.
    const en = await (await newContext(browser, { locale: 'en-US', viewport: { width: 1366, height: 900 } })).newPage();
    const enErrors = watchErrors(en);
    await signIn(en, `${server.url}/incidents/${key}`, author.email, PASSWORD);
    await en.getByTestId('investigation-report-open').click();
    await en.getByTestId('investigation-report-page').waitFor();
    await en.getByTestId('ir-input-summary').fill('Credential stuffing against **trading app** accounts.');
    await en.getByTestId('ir-input-method').fill('EDR telemetry, gateway pcap, the account-activity index.');
    await en.getByTestId('ir-input-rootCause').fill('Password reuse and no rate limit on the login API.');
    await en.getByTestId('ir-summary-zh').fill(SUMMARY_ZH);
    await en.getByTestId('ir-summary-en').fill(SUMMARY_EN);
    await en.getByTestId('ir-save').click();
    await en.getByTestId('ir-html-summary').locator('strong', { hasText: 'trading app' }).waitFor();
    expect(await en.getByTestId('ir-revision').textContent()).toBe('Revision 1');
    await en.getByTestId('ir-submit').click();
    await en.locator('[data-testid="ir-state"][data-state="in_review"]').waitFor();
    // The author may not approve their own report: no button, a line saying who does.
    expect(await en.getByTestId('ir-approve').count()).toBe(0);
    await en.getByTestId('ir-awaiting').waitFor();
    await en.screenshot({ path: `${OUT}/investigation-report-en.png`, fullPage: true });
    expect(enErrors).toEqual([]);

    // A second investigator, in Chinese, approves and publishes.
    const zh = await (await newContext(browser, { locale: 'zh-CN', viewport: { width: 1366, height: 900 } })).newPage();
    const zhErrors = watchErrors(zh);
    await signIn(zh, `${server.url}/incidents/${key}/investigation-report`, reviewer.email, PASSWORD);
    await zh.getByTestId('ir-approve').click();
    await zh.locator('[data-testid="ir-state"][data-state="approved"]').waitFor();
    expect(await zh.getByTestId('ir-state').textContent()).toBe('已批准');
    expect(await zh.getByTestId('ir-history-approved').textContent()).toContain('周审核');
    await zh.getByTestId('ir-publish').click();
    await zh.getByTestId('ir-published').waitFor();
    expect(await zh.getByTestId('ir-published').textContent()).toContain(path);
    await zh.screenshot({ path: `${OUT}/investigation-report-zh.png`, fullPage: true });
    expect(zhErrors).toEqual([]);

    // The public status page of the incident, signed out, in both languages.
    const pub = await (
      await newContext(browser, { locale: 'en-US', viewport: { width: 1024, height: 900 } })
    ).newPage();
    await expect
      .poll(
        async () => {
          await pub.goto(`${server.url}${path}?lang=en`);
          return pub.locator('section.investigation').textContent();
        },
        { timeout: 10_000, interval: 200 },
      )
      .toContain(SUMMARY_EN);
    await pub.locator('section.investigation').screenshot({ path: `${OUT}/investigation-report-public-en.png` });
    await pub.goto(`${server.url}${path}?lang=zh-CN`);
    expect(await pub.locator('section.investigation').textContent()).toContain(SUMMARY_ZH);
  }, 120_000);
});
