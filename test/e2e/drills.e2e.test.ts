/**
 * A running drill in a real browser against a real server: the incident commander, in Chinese, starts the
 * account-takeover tabletop from /drills/:id and releases the Weibo inject now; the war room of the drill
 * incident shows it on the timeline; an auditor, in English, sees it released and the score card.
 * Screenshots: .tmp/screens/drill-*.png. Needs the built console and Chromium (test/e2e/browser.ts).
 */
import fs from 'node:fs';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildPrincipal, buildUser, PASSWORD, SYSTEM } from '../helpers/fixtures.js';
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

describe.skipIf(skipBrowserSuite())('drills (browser)', () => {
  let server: Server;
  let browser: Browser;
  let drillId = '';
  const commander = { email: 'wang.commander@test.example', name: '王指挥' };
  const auditor = { email: 'audit.reader@test.example', name: 'Ada Auditor' };

  beforeAll(async () => {
    assertBrowserReady();
    fs.mkdirSync(OUT, { recursive: true });
    server = await startTestServer();
    const s = server.running.services;
    const ic = await buildUser(s, { role: 'incident_commander', ...commander });
    const reader = await buildUser(s, { role: 'auditor', ...auditor });
    // A team as long as a real drill's, which once squeezed the state badge beside it to "已…".
    const team = [];
    for (const name of [
      '李娜 Li Na',
      '王磊 Wang Lei',
      '赵敏 Zhao Min',
      '孙丽 Sun Li',
      '周强 Zhou Qiang',
      '吴华 Wu Hua',
    ])
      team.push((await buildUser(s, { name })).id);
    const { plan, version } = await s.plans.importSource(SYSTEM, fs.readFileSync('plans/account-takeover.yml', 'utf8'));
    await s.plans.approve(SYSTEM, plan.id, version.version);
    await s.plans.activate(SYSTEM, plan.id, version.version);
    const drill = await s.drills.create(await buildPrincipal(s, { user: ic }), {
      title: '二季度撞库桌面推演',
      kind: 'tabletop',
      planId: 'account-takeover',
      useScript: true,
      scheduledAt: new Date().toISOString(),
      // The facilitator (the commander, by default) named again among the participants is listed once.
      participants: [ic.id, ...team, reader.id],
      grade: 'II',
      category: 'network_attack',
      injects: [],
    });
    drillId = drill.id;
    browser = await launchBrowser();
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('starts, releases an inject now onto the war room, and shows it to others with the score card', async () => {
    const zh = await (await newContext(browser, { locale: 'zh-CN', viewport: { width: 1366, height: 900 } })).newPage();
    const zhErrors = watchErrors(zh);
    await signIn(zh, `${server.url}/drills`, commander.email, PASSWORD);
    await zh.getByTestId('drills-page').waitFor();
    // The plan was never drilled: flagged.
    await zh
      .locator('[data-testid="coverage-row"][data-plan="account-takeover"] [data-testid="coverage-overdue"]')
      .waitFor();
    const row = zh.getByTestId('drill-row').filter({ hasText: '二季度撞库桌面推演' });
    expect(await row.getByTestId('drill-people').textContent()).toBe(
      '参与人：王指挥、李娜 Li Na、王磊 Wang Lei、赵敏 Zhao Min、孙丽 Sun Li、周强 Zhou Qiang、吴华 Wu Hua和Ada Auditor',
    );
    // The state badge is shown whole, not cut to "已…".
    const badge = row.getByTestId('drill-row-status');
    expect(await badge.textContent()).toBe('已计划');
    expect(await badge.evaluate((b) => [...b.querySelectorAll('*')].every((e) => e.scrollWidth <= e.clientWidth))).toBe(
      true,
    );
    await zh.getByRole('link', { name: '二季度撞库桌面推演' }).click();
    await zh.getByTestId('drill-start').click();
    await zh.locator('[data-testid="drill-status"][data-status="running"]').waitFor();
    expect(await zh.getByTestId('drill-status').textContent()).toBe('进行中');
    const weibo = zh.getByTestId('inject-row').filter({ hasText: '微博称客户资金被盗' });
    await weibo.getByTestId('inject-release').click();
    await zh.locator('[data-testid="inject-row"][data-released="true"]', { hasText: '微博称客户资金被盗' }).waitFor();
    await zh.locator('[data-testid="measure-row"][data-measure="activation"][data-result="met"]').waitFor();
    // What the drill showed needs fixing becomes an action item of this drill, listed on its page.
    await zh.getByTestId('drill-action-items').getByTestId('action-items-empty').waitFor();
    await zh.getByTestId('drill-action-item-new').click();
    await zh.getByTestId('ai-title').fill('预填监管报告模板');
    await pickOption(zh, 'ai-owner', commander.name);
    await zh.getByTestId('ai-save').click();
    await zh.getByTestId('drill-action-items').getByText('预填监管报告模板').waitFor();
    await zh.screenshot({ path: `${OUT}/drill-zh.png`, fullPage: true });
    // The war room of the drill incident has it on its timeline.
    await zh.getByTestId('drill-incident').click();
    await zh.getByText('[演练/DRILL] 二季度撞库桌面推演').first().waitFor();
    await zh
      .getByText(/微博称客户资金被盗/)
      .first()
      .waitFor();
    expect(zhErrors).toEqual([]);

    const en = await (await newContext(browser, { locale: 'en-US', viewport: { width: 1366, height: 900 } })).newPage();
    const enErrors = watchErrors(en);
    await signIn(en, `${server.url}/drills/${drillId}`, auditor.email, PASSWORD);
    await en
      .locator('[data-testid="inject-row"][data-released="true"]', {
        hasText: 'Weibo posts claim client funds were stolen',
      })
      .waitFor();
    expect(await en.getByTestId('drill-status').textContent()).toBe('Running');
    // An auditor reads, but has no buttons.
    expect(await en.getByTestId('inject-release').count()).toBe(0);
    expect(await en.getByTestId('drill-end').count()).toBe(0);
    await en
      .locator('[data-testid="measure-row"][data-measure="customer_notice"][data-result="not_reached"]')
      .waitFor();
    // The auditor reads the drill's action item too (its source is this drill), without a button to add one.
    await en.getByTestId('drill-action-items').getByText('预填监管报告模板').waitFor();
    expect(await en.getByTestId('drill-action-item-new').count()).toBe(0);
    await en.screenshot({ path: `${OUT}/drill-en.png`, fullPage: true });
    expect(enErrors).toEqual([]);
  });
});
