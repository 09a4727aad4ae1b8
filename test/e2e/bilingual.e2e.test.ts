/**
 * A detection-declared incident in the zh-CN and English consoles: raw login events through the events
 * API and the bundled rules raise an alert and declare an incident; each console shows the rule and the
 * incident in its own language, the summary's first-seen time in its own zone, the services named, the
 * timeline worded from its data, and problems from their codes. Needs the built console and Chromium.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { startTestServer } from '../helpers/server.js';
import { assertBrowserReady, launchBrowser, newContext, signIn, skipBrowserSuite, watchErrors } from './browser.js';

type Server = Awaited<ReturnType<typeof startTestServer>>;
const SYSTEM = { id: null, label: 'test' };
const STUFFING = '95fa4895-874a-46cd-a448-2f770e76d64d';
const EVENTS = fs.readFileSync(
  path.resolve('rules/tocsin/tests/trading_login_many_accounts_one_source/positive.ndjson'),
  'utf8',
);

describe.skipIf(skipBrowserSuite())('bilingual detection (browser)', () => {
  let server: Server;
  let browser: Browser;
  let zh: Page; // zh-CN, Asia/Shanghai
  let en: Page; // English, Europe/London
  let errors: string[][] = [];
  let alert: {
    id: string;
    ruleTitle: string;
    ruleTitles: { 'zh-CN': string; en: string };
    firstSeenAt: string;
    incident: { key: string };
  };
  let incident: { key: string; titleI18n: { 'zh-CN': string; en: string } };

  beforeAll(async () => {
    assertBrowserReady();
    server = await startTestServer();
    const s = server.running.services;
    await s.catalog.create(SYSTEM, {
      key: 'online-trading',
      nameZh: '网上交易',
      nameEn: 'Online trading',
      description: '',
    });
    const admin = (await s.users.list(undefined, 10)).items[0]!;
    const token = (await s.tokens.create(SYSTEM, admin.id, { name: 'counter', scopes: ['events', 'read'] })).token;
    const headers = { authorization: `Bearer ${token}` };
    const res = await fetch(`${server.url}/api/v1/events`, {
      method: 'POST',
      headers: { ...headers, 'content-type': 'application/x-ndjson' },
      body: EVENTS,
    });
    expect(res.status).toBe(202);
    await s.detection.idle();
    alert = (
      (await (await fetch(`${server.url}/api/v1/alerts?rule=${STUFFING}`, { headers })).json()) as {
        items: (typeof alert)[];
      }
    ).items[0]!;
    incident = (await (
      await fetch(`${server.url}/api/v1/incidents/${alert.incident.key}`, { headers })
    ).json()) as typeof incident;
    browser = await launchBrowser();
    zh = await (await newContext(browser, { locale: 'zh-CN' })).newPage();
    en = await (await newContext(browser, { locale: 'en-US', timezoneId: 'Europe/London' })).newPage();
    errors = [watchErrors(zh), watchErrors(en)];
    await signIn(zh, server.url, server.adminEmail, server.adminPassword);
    await signIn(en, server.url, server.adminEmail, server.adminPassword);
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it("shows the alert's rule in each console's language, in the queue and on the alert page", {
    timeout: 30_000,
  }, async () => {
    expect(alert.ruleTitles['zh-CN']).toMatch(/^网上交易撞库攻击/);
    for (const [page, title] of [
      [zh, alert.ruleTitles['zh-CN']],
      [en, alert.ruleTitle],
    ] as const) {
      await page.goto(`${server.url}/alerts`);
      const row = page.locator(`[data-testid="alert-row"][data-id="${alert.id}"]`);
      expect(await row.getByTestId('alert-row-title').textContent()).toBe(title);
      await row.getByTestId('alert-row-title').click();
      expect(await page.getByTestId('alert-detail-title').textContent()).toBe(title);
      expect(await page.getByTestId('alert-detail-incident').textContent()).toContain(
        page === zh ? incident.titleI18n['zh-CN'] : incident.titleI18n.en,
      );
    }
  });

  it("shows the declared incident in each console's language: title, services, summary in the viewer's zone, timeline", {
    timeout: 30_000,
  }, async () => {
    await zh.goto(`${server.url}/incidents`);
    expect(
      await zh
        .locator(`[data-testid="incident-row"][data-key="${incident.key}"]`)
        .getByTestId('incident-row-title')
        .textContent(),
    ).toBe(incident.titleI18n['zh-CN']);
    await zh.goto(`${server.url}/incidents/${incident.key}`);
    expect(await zh.getByTestId('warroom-title').textContent()).toBe(incident.titleI18n['zh-CN']);
    expect(await zh.getByTestId('facts').textContent()).toContain('网上交易');
    const zhSummary = (await zh.getByTestId('incident-summary').textContent())!;
    const shanghai = new Intl.DateTimeFormat('en-GB', {
      timeZone: 'Asia/Shanghai',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      hourCycle: 'h23',
    }).format(new Date(alert.firstSeenAt));
    expect(zhSummary).toContain(`规则：${alert.ruleTitles['zh-CN']}`);
    expect(zhSummary).toContain('业务服务：网上交易');
    expect(zhSummary).toMatch(new RegExp(`首次发现：.*${shanghai}（Asia/Shanghai）`));
    await zh
      .getByTestId('timeline-headline')
      .filter({ hasText: `由检测告警“${alert.ruleTitles['zh-CN']}”自动登记` })
      .waitFor();

    await en.goto(`${server.url}/incidents/${incident.key}`);
    expect(await en.getByTestId('warroom-title').textContent()).toBe(incident.titleI18n.en);
    const london = new Intl.DateTimeFormat('en-GB', {
      timeZone: 'Europe/London',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      hourCycle: 'h23',
    }).format(new Date(alert.firstSeenAt));
    expect(london).not.toBe(shanghai);
    const enSummary = (await en.getByTestId('incident-summary').textContent())!;
    expect(enSummary).toContain('Services: Online trading');
    expect(enSummary).toMatch(new RegExp(`First seen .*${london} \\(Europe/London\\)`));
    await en
      .getByTestId('timeline-headline')
      .filter({ hasText: `Declared by detection from alert “${alert.ruleTitle}”` })
      .waitFor();
  });

  it("keeps a person's edit of the title in both consoles", { timeout: 30_000 }, async () => {
    await zh.getByTestId('edit-open').click();
    const title = zh.getByTestId('edit-title');
    expect(await title.inputValue()).toBe(incident.titleI18n['zh-CN']);
    await title.fill('撞库攻击：来源地址已封禁');
    await zh.getByTestId('edit-submit').click();
    await zh.getByTestId('warroom-title').filter({ hasText: '撞库攻击：来源地址已封禁' }).waitFor();
    await en.getByTestId('warroom-title').filter({ hasText: '撞库攻击：来源地址已封禁' }).waitFor({ timeout: 5_000 });
    // The summary is still detection's, in each reader's language.
    expect(await en.getByTestId('incident-summary').textContent()).toContain('Services: Online trading');
  });

  it("words problems from their codes in the reader's language", { timeout: 30_000 }, async () => {
    await zh.goto(`${server.url}/incidents/INC-1999-0001`);
    expect(await zh.getByTestId('problem-alert').textContent()).toContain(
      '事件 INC-1999-0001 不存在，或您不是其参与人员。',
    );
    await en.goto(`${server.url}/incidents/INC-1999-0001`);
    expect(await en.getByTestId('problem-alert').textContent()).toContain(
      'Incident INC-1999-0001 does not exist, or you are not part of it.',
    );
  });

  it('raised no uncaught errors in either console', () => {
    expect(errors).toEqual([[], []]);
  });
});
