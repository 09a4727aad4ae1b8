/**
 * The dashboards in a real browser (issue 16, docs/kpi.md). Two incidents declared through the services:
 * A (grade II, online trading) detected 90 minutes ago and acknowledged and contained now; B (grade III)
 * detected 40 days ago and acknowledged now. In English /dashboards shows 2 incidents, the figures with
 * no data say "No data" with the reason (never 0), the trend chart draws, a click on B's month in the
 * trend lists B, the grade breakdown's count lists A with a link to its incident page, and the filters
 * stay in the URL. In Chinese the same page reads 指标看板 with 无数据. Screenshots in .tmp/screens.
 * Needs Chromium (test/e2e/browser.ts).
 */
import { mkdirSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IncidentCreate } from '../../src/shared/incident-schemas.js';
import { startTestServer } from '../helpers/server.js';
import { assertBrowserReady, launchBrowser, newContext, signIn, skipBrowserSuite, watchErrors } from './browser.js';

type Server = Awaited<ReturnType<typeof startTestServer>>;
const OUT = '.tmp/screens';
const MIN = 60_000;
const DAY = 86_400_000;
/** `YYYY-MM` of an instant in the firm's zone (Asia/Shanghai, UTC+8 all year). */
const monthOf = (t: number) => new Date(t + 8 * 3600_000).toISOString().slice(0, 7);

describe.skipIf(skipBrowserSuite())('dashboards (browser)', () => {
  let server: Server;
  let browser: Browser;
  const keys: Record<string, string> = {};
  let bMonth = '';

  beforeAll(async () => {
    assertBrowserReady();
    mkdirSync(OUT, { recursive: true });
    server = await startTestServer({ serve: { jobRunner: false } });
    browser = await launchBrowser();
    const s = server.running.services;
    const admin = (await s.users.byEmail(server.adminEmail))!;
    const p = { user: admin, via: 'cli' as const, scopes: null, restrictedTo: null };
    await s.catalog.create(
      { id: null, label: 'test' },
      { key: 'online-trading', nameZh: '网上交易', nameEn: 'Online trading', description: '' },
    );
    const now = s.clock.now();
    const a = await s.incidents.create(
      p,
      IncidentCreate.parse({
        title: 'Order gateway flooded',
        category: 'network_attack',
        grade: 'II',
        services: ['online-trading'],
        detectedAt: new Date(now - 90 * MIN).toISOString(),
      }),
    );
    await s.incidents.transition(p, a.key, 'acknowledged');
    await s.incidents.transition(p, a.key, 'contained');
    const bAt = now - 40 * DAY;
    const b = await s.incidents.create(
      p,
      IncidentCreate.parse({
        title: 'Branch PC malware',
        category: 'malicious_program',
        grade: 'III',
        detectedAt: new Date(bAt).toISOString(),
      }),
    );
    await s.incidents.transition(p, b.key, 'acknowledged');
    keys.A = a.key;
    keys.B = b.key;
    bMonth = monthOf(bAt);
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  /** Clicks the trend chart's bar of `month` near its foot (grid: 50 px left and right, 40 top, 60 bottom of 280). */
  const clickMonth = async (page: Page, months: string[], month: string) => {
    await page.getByTestId('kpi-trend-chart').scrollIntoViewIfNeeded();
    const box = (await page.getByTestId('kpi-trend-chart').boundingBox())!;
    const band = (box.width - 100) / months.length;
    await page.mouse.click(box.x + 50 + (months.indexOf(month) + 0.5) * band, box.y + 280 - 60 - 4);
  };
  const card = (page: Page, id: string) => page.getByTestId(`kpi-card-${id}`);

  it('shows the figures, says "No data" where there is none, and drills down to the incidents, in English', {
    timeout: 90_000,
  }, async () => {
    const page: Page = await (
      await newContext(browser, { locale: 'en-US', viewport: { width: 1366, height: 1000 } })
    ).newPage();
    const errors = watchErrors(page);
    await signIn(page, server.url, server.adminEmail, server.adminPassword);
    await page.getByTestId('nav-dashboards').click();
    await page.getByRole('heading', { name: 'Dashboards' }).waitFor();
    await expect.poll(() => card(page, 'incidents').getByTestId('kpi-value').textContent()).toBe('2');
    // Contained: A alone, 90 minutes (the clock is the real one: a minute's slack).
    expect(await card(page, 'mttc').getByTestId('kpi-value').textContent()).toMatch(/^01:3\d:\d\d$/);
    expect(await card(page, 'first_customer_notice').textContent()).toContain('No data');
    expect(await card(page, 'first_customer_notice').textContent()).toContain('Nothing recorded in this period');
    expect(await card(page, 'training').textContent()).toContain('Not recorded in Tocsin');
    expect(await card(page, 'first_customer_notice').textContent()).not.toMatch(/\b0\b/);

    await page.getByTestId('kpi-trend-chart').locator('svg').waitFor();
    const labels = await page.getByTestId('kpi-trend-chart').locator('svg text').allTextContents();
    const months = labels.filter((l) => /^\d{4}-\d{2}$/.test(l));
    expect(months).toHaveLength(12);
    await clickMonth(page, months, bMonth);
    await page.screenshot({ path: `${OUT}/dashboards-click-en.png`, fullPage: false });
    await page.getByTestId('kpi-drilldown').waitFor();
    await expect
      .poll(() => page.getByTestId('kpi-drill-row').allTextContents())
      .toEqual([expect.stringContaining(keys.B as string)]);

    // The grade breakdown's count of grade II lists A, linking to its incident.
    const gradeII = page.getByTestId('kpi-breakdown-row').nth(1); // I, II, III, IV
    await gradeII.getByTestId('kpi-breakdown-count').click();
    await expect
      .poll(() => page.getByTestId('kpi-drill-row').allTextContents())
      .toEqual([expect.stringContaining('Order gateway flooded')]);

    // A filter goes to the URL and narrows the figures.
    await page.getByTestId('kpi-period').click();
    await page.getByRole('option', { name: 'This quarter' }).click();
    await expect.poll(() => page.url()).toContain('period=quarter');
    await page.screenshot({ path: `${OUT}/dashboards-en.png`, fullPage: true });
    await page.goto(`${server.url}/dashboards?grade=III`);
    await expect.poll(() => card(page, 'incidents').getByTestId('kpi-value').textContent()).toBe('1');
    await page.goto(`${server.url}/dashboards`);
    await page.getByTestId('kpi-breakdown-count').nth(1).click();
    await page.getByTestId('kpi-drill-row').first().getByRole('link').click();
    await expect.poll(() => page.url()).toMatch(/\/incidents\/[^/]+$/);
    expect(errors).toEqual([]);
  });

  it('reads in Chinese: 指标看板, 无数据 with the reason', { timeout: 60_000 }, async () => {
    const page: Page = await (
      await newContext(browser, { locale: 'zh-CN', viewport: { width: 1366, height: 1000 } })
    ).newPage();
    const errors = watchErrors(page);
    await signIn(page, `${server.url}/dashboards`, server.adminEmail, server.adminPassword);
    await page.getByRole('heading', { name: '指标看板' }).waitFor();
    await expect.poll(() => card(page, 'incidents').getByTestId('kpi-value').textContent()).toBe('2');
    expect(await card(page, 'first_customer_notice').textContent()).toContain('无数据');
    expect(await card(page, 'first_customer_notice').textContent()).toContain('本期间内没有记录');
    await page.getByTestId('kpi-trend-chart').locator('svg').waitFor();
    expect(await page.getByTestId('kpi-trend-chart').locator('svg').textContent()).toContain('平均确认时长');
    expect(await page.getByTestId('kpi-breakdown-table').textContent()).toContain('按等级');
    await page.screenshot({ path: `${OUT}/dashboards-zh.png`, fullPage: true });
    expect(errors).toEqual([]);
  });
});
