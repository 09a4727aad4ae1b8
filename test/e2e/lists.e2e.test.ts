/**
 * Lists built for a 3 a.m. reader, in a real browser against a real server: the incident table (active by
 * default, live, "closed" and "all" kept in the URL, ordered by grade), an alert's events as a collapsed
 * table that opens to JSON with the rule named and linked, and the suppression form's rule picker.
 * Needs the built console and Chromium (test/e2e/browser.ts).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { Principal } from '../../src/server/modules/auth/index.js';
import type { RuleMatch } from '../../src/server/modules/detection/index.js';
import { startTestServer } from '../helpers/server.js';
import { assertBrowserReady, launchBrowser, newContext, signIn, skipBrowserSuite, watchErrors } from './browser.js';

type Server = Awaited<ReturnType<typeof startTestServer>>;

/** A bundled rule (rules/tocsin/trading_login_many_accounts_one_source.yml). */
const BRUTE_FORCE = {
  id: 'cc0fbfd9-61e3-4d94-be2b-a99280104ca0',
  en: 'Brute Force on the Trading Login - Many Failures for One Account',
};
const STUFFING = {
  id: '95fa4895-874a-46cd-a448-2f770e76d64d',
  zh: '网上交易撞库攻击（同一来源尝试大量账户）',
  en: 'Credential Stuffing on the Trading Login - Many Accounts From One Source',
};

describe.skipIf(skipBrowserSuite())('incident table, alert events, rule picker (browser)', () => {
  let server: Server;
  let browser: Browser;
  let zh: Page;
  let en: Page;
  let errors: string[] = [];
  let admin: Principal;
  const row = (page: Page, key: string) => page.locator(`[data-testid="incident-row"][data-key="${key}"]`);
  /** The open picker's options (each picker on the page has its own list). */
  const options = (page: Page) => page.locator('[data-testid="rule-picker-option"]').filter({ visible: true });
  /** Type into a picker and wait for the server's answer to that text (until then the full list shows). */
  async function search(page: Page, testId: string, typed: string): Promise<void> {
    await page.getByTestId(testId).click();
    await page.getByTestId(testId).fill(typed);
    await expect.poll(async () => options(page).count(), { timeout: 5_000 }).toBeLessThanOrEqual(5);
  }

  beforeAll(async () => {
    assertBrowserReady();
    server = await startTestServer();
    browser = await launchBrowser();
    zh = await (await newContext(browser, { locale: 'zh-CN' })).newPage();
    en = await (await newContext(browser, { locale: 'en-US' })).newPage();
    errors = [...watchErrors(zh), ...watchErrors(en)];
    const user = (await server.running.services.users.list(undefined, 50)).items.find((u) => u.role === 'admin')!;
    admin = { user, via: 'cli', scopes: null, restrictedTo: null };
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('shows active incidents by default; a declared one appears live; a closed one only under "closed" and "all"', {
    timeout: 40_000,
  }, async () => {
    const { incidents } = server.running.services;
    const ended = await incidents.create(admin, {
      title: 'Closed yesterday',
      summary: '',
      category: 'equipment_failure',
      grade: 'IV',
      services: [],
      tags: [],
      restricted: false,
    });
    await incidents.transition(admin, ended.key, 'false_positive');

    await signIn(zh, server.url, server.adminEmail, server.adminPassword);
    await zh.locator('[data-testid="incident-list"][data-scope="active"]').waitFor();
    expect(new URL(zh.url()).search).toBe('');
    expect(await zh.getByTestId('incident-list-empty').textContent()).toBe('没有符合条件的事件。');
    const headers = await zh.getByTestId('incident-table').count();
    expect(headers).toBe(0);

    // Declared elsewhere: it appears in the open table without a reload.
    const live = await incidents.create(admin, {
      title: '手机App开盘时段DDoS',
      summary: '',
      category: 'network_attack',
      grade: 'II',
      services: [],
      tags: [],
      restricted: false,
    });
    await row(zh, live.key).waitFor({ timeout: 5_000 });
    expect(await zh.getByTestId('incident-table').locator('th').allTextContents()).toEqual([
      '编号',
      '等级 ↕',
      '状态',
      '标题',
      '指挥长',
      '业务服务',
      '持续时长 ↓',
      '最近动态',
    ]);
    expect(await row(zh, live.key).getByTestId('grade-badge').textContent()).toBe('II 重大');
    expect(await row(zh, live.key).getByTestId('status-badge').textContent()).toBe('已发现');
    expect(await row(zh, live.key).getByTestId('incident-row-commander').textContent()).toBe('未指定');
    expect(await row(zh, live.key).getByTestId('incident-row-age').textContent()).toMatch(/^(刚刚|\d+ 分钟)$/);
    expect(await row(zh, ended.key).count()).toBe(0);

    // A change elsewhere (commander, grade) reaches the row live.
    await incidents.update(admin, live.key, { grade: 'I', commanderId: admin.user.id });
    await row(zh, live.key).locator('[data-testid="grade-badge"][data-grade="I"]').waitFor({ timeout: 5_000 });
    expect(await row(zh, live.key).getByTestId('incident-row-commander').textContent()).toBe(admin.user.name);

    await zh.getByTestId('scope-all').click();
    await row(zh, ended.key).waitFor();
    expect(new URL(zh.url()).searchParams.get('status')).toBe('all');
    await zh.reload();
    await row(zh, ended.key).waitFor();
    await row(zh, live.key).waitFor();

    await zh.getByTestId('scope-ended').click();
    await zh.locator('[data-testid="incident-list"][data-scope="ended"]').waitFor();
    await row(zh, ended.key).waitFor();
    expect(await zh.getByTestId('incident-row').count()).toBe(1);

    // Ordered by grade from its header; the key and title lead to the war room.
    await zh.getByTestId('scope-all').click();
    await zh.getByTestId('sort-severity').click();
    await zh.locator('[data-testid="sort-severity"][data-active]').waitFor();
    expect(new URL(zh.url()).searchParams.get('sort')).toBe('severity');
    await expect
      .poll(async () =>
        zh.getByTestId('incident-row').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-key'))),
      )
      .toEqual([live.key, ended.key]);
    await row(zh, live.key).getByTestId('incident-row-title').click();
    await zh.getByTestId('warroom').waitFor();
    expect(new URL(zh.url()).pathname).toBe(`/incidents/${live.key}`);
  });

  it("shows an alert's 20 events as a collapsed table that opens to JSON, and names its rule", {
    timeout: 40_000,
  }, async () => {
    const time = Date.now();
    const match: RuleMatch = {
      ruleId: STUFFING.id,
      ruleTitle: STUFFING.en,
      level: 'high',
      tags: ['attack.credential_access'],
      kind: 'correlation',
      group: { src_ip: '203.0.113.45' },
      time,
      events: Array.from({ length: 20 }, (_, i) => ({
        id: `list-e2e-${i}`,
        time: time - i * 1000,
        source: 'api',
        logsource: { product: 'trading_gateway', service: 'login' },
        fields: {
          user: `3100${1200 + i}`,
          src_ip: '203.0.113.45',
          host: 'gw-01',
          result: 'failure',
          reason: 'bad_password',
          note: '<b>not markup</b>',
        },
      })),
    };
    const [raised] = await server.running.services.alerts.raise([match]);

    await signIn(en, `${server.url}/alerts/${raised!.alertId}`, server.adminEmail, server.adminPassword);
    await en.getByTestId('alert-events-table').waitFor();
    expect(await en.getByTestId('alert-event').count()).toBe(20);
    expect(await en.getByTestId('alert-event-json').count()).toBe(0);
    const first = en.getByTestId('alert-event').first();
    expect(await first.getByTestId('alert-event-account').textContent()).toBe('31001200');
    expect(await first.getByTestId('alert-event-ip').textContent()).toBe('203.0.113.45');
    expect(await first.getByTestId('alert-event-details').textContent()).toBe(
      'result=failure reason=bad_password note=<b>not markup</b>',
    );
    const height = await en.evaluate(() => document.documentElement.scrollHeight);
    console.log(`[lists e2e] alert page with 20 events, collapsed, at 1366x768: ${height} px high`);
    expect(height).toBeLessThan(1500);

    // The rule by its name, linked to its page (not its id).
    const rule = en.getByTestId('rule-name').first();
    await rule.filter({ hasText: STUFFING.en }).waitFor();
    expect(await rule.getAttribute('href')).toBe(`/rules/${STUFFING.id}`);

    await first.getByTestId('alert-event-toggle').click();
    const json = await en.getByTestId('alert-event-json').textContent();
    expect(JSON.parse(json!)).toEqual(match.events[0]!.fields);
    expect(await first.getByTestId('alert-event-toggle').getAttribute('aria-expanded')).toBe('true');
    expect(await en.getByTestId('alert-events').locator('b').count()).toBe(0);
    await first.getByTestId('alert-event-toggle').click();
    expect(await en.getByTestId('alert-event-json').count()).toBe(0);

    // zh-CN: the rule's Chinese title.
    await zh.goto(`${server.url}/alerts/${raised!.alertId}`);
    await zh.getByTestId('rule-name').filter({ hasText: STUFFING.zh }).waitFor();
    expect(await zh.getByTestId('alert-events-table').locator('th').allTextContents()).toEqual([
      '',
      '时间',
      '来源',
      '日志源',
      '账户',
      'IP',
      '主机',
      '内容',
    ]);
  });

  it('suppresses a rule chosen by name in the picker; the list names the rule', { timeout: 40_000 }, async () => {
    await zh.goto(`${server.url}/suppressions`);
    const picker = zh.getByTestId('suppression-rule');
    await search(zh, 'suppression-rule', '撞库');
    const option = options(zh).and(zh.locator(`[data-rule-id="${STUFFING.id}"]`));
    await option.waitFor();
    expect(await option.textContent()).toContain('高'); // its level
    expect(await option.textContent()).toContain('关联规则'); // its kind
    // rules that never raise alerts on their own (feeding rules) are not offered
    expect(await options(zh).evaluateAll((els) => els.map((e) => e.getAttribute('data-rule-id')))).not.toContain(null);
    await option.click();
    expect(await picker.inputValue()).toBe(STUFFING.zh);
    await zh.getByTestId('suppression-reason').fill('供应商季度渗透测试');
    await zh.getByTestId('suppression-submit').click();

    const stored = zh.locator('[data-testid="suppression-row"]').filter({ hasText: '供应商季度渗透测试' });
    await stored.waitFor();
    const name = stored.getByTestId('rule-name');
    await expect.poll(async () => name.textContent(), { timeout: 5_000 }).toBe(STUFFING.zh); // "…" while the rule loads
    expect(await name.getAttribute('href')).toBe(`/rules/${STUFFING.id}`);
    const list = await server.running.services.suppressions.list(admin, undefined, 100);
    expect(list.items.find((s) => s.reason === '供应商季度渗透测试')?.ruleId).toBe(STUFFING.id);
  });

  it('plans a maintenance window for rules chosen by name; the window names them', { timeout: 40_000 }, async () => {
    await en.goto(`${server.url}/suppressions`);
    for (const [typed, id] of [
      ['stuffing', STUFFING.id],
      ['brute force', BRUTE_FORCE.id],
    ] as const) {
      await search(en, 'window-rules', typed);
      await options(en)
        .and(en.locator(`[data-rule-id="${id}"]`))
        .click();
    }
    // datetime-local in the browser's zone (Asia/Shanghai, UTC+8)
    const at = (h: number) => new Date(Date.now() + (h + 8) * 3600_000).toISOString().slice(0, 16);
    await en.getByTestId('window-starts').fill(at(1));
    await en.getByTestId('window-ends').fill(at(3));
    await en.getByTestId('window-reason').fill('Login service release R-204');
    await en.getByTestId('window-submit').click();
    const window = en.locator('[data-testid="window-row"]').filter({ hasText: 'Login service release R-204' });
    await window.waitFor();
    await expect
      .poll(async () => window.getByTestId('rule-name').allTextContents(), { timeout: 5_000 })
      .toEqual([STUFFING.en, BRUTE_FORCE.en]);
    const stored = await server.running.services.suppressions.listWindows(admin, undefined, 100);
    expect(stored.items.find((w) => w.reason === 'Login service release R-204')?.ruleIds).toEqual([
      STUFFING.id,
      BRUTE_FORCE.id,
    ]);
  });

  it('raised no uncaught errors', () => {
    expect(errors).toEqual([]);
  });
});
