/**
 * The risk register and training pages in a real browser (issue 16). In English: /risks draws the 5×5
 * heat map with the count of each cell (two risks at likelihood 4 × impact 5), a click on that cell lists
 * just those two; /training shows the coverage chart per department and who is overdue. In Chinese the
 * same pages read 风险登记册 and 安全教育培训 with their chart and table. Screenshots in .tmp/screens.
 * Needs Chromium (test/e2e/browser.ts).
 */
import { mkdirSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RiskInput } from '../../src/shared/risk-schemas.js';
import { TrainingRecordInput } from '../../src/shared/training-schemas.js';
import { startTestServer } from '../helpers/server.js';
import { assertBrowserReady, launchBrowser, newContext, signIn, skipBrowserSuite, watchErrors } from './browser.js';

type Server = Awaited<ReturnType<typeof startTestServer>>;
const OUT = '.tmp/screens';

describe.skipIf(skipBrowserSuite())('risk register and training (browser)', () => {
  let server: Server;
  let browser: Browser;

  beforeAll(async () => {
    assertBrowserReady();
    mkdirSync(OUT, { recursive: true });
    server = await startTestServer({ serve: { jobRunner: false } });
    browser = await launchBrowser();
    const s = server.running.services;
    const admin = (await s.users.byEmail(server.adminEmail))!;
    const p = { user: admin, via: 'cli' as const, scopes: null, restrictedTo: null };
    const risks: [string, number, number][] = [
      ['Credential stuffing against online trading', 4, 5],
      ['Ransomware on the back office', 4, 5],
      ['Market-data vendor outage', 3, 3],
      ['Phishing of branch staff', 5, 2],
    ];
    for (const [title, likelihood, impact] of risks)
      await s.risks.create(p, RiskInput.parse({ title, category: 'cyber', likelihood, impact }));
    await s.training.coverage.setRequired(p, {
      items: [{ courseCode: 'SEC-101', courseName: '信息安全意识', periodMonths: 12, oncall: false }],
    });
    const today = new Date(s.clock.now()).toISOString().slice(0, 10);
    const record = (employeeId: string, name: string, department: string, completedOn: string) =>
      s.training.records.create(
        p,
        TrainingRecordInput.parse({
          employeeId,
          name,
          department,
          courseCode: 'SEC-101',
          courseName: '信息安全意识',
          completedOn,
        }),
      );
    await record('E1', '王芳', '交易运维部', today);
    await record('E2', '李强', '交易运维部', '2020-01-01'); // long expired
    await record('E3', '赵敏', '客户服务部', today);
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  /** Clicks the heat map's cell (grid: 70 px left, 10 right, 10 top, 50 bottom of 340). */
  const clickCell = async (page: Page, likelihood: number, impact: number) => {
    const box = (await page.getByTestId('risk-heat-map').boundingBox())!;
    const w = (box.width - 80) / 5;
    const h = (340 - 60) / 5;
    await page.mouse.click(box.x + 70 + (impact - 0.5) * w, box.y + 10 + (5 - likelihood + 0.5) * h);
  };
  const heatLabels = (page: Page) => page.getByTestId('risk-heat-map').locator('svg text').allTextContents();

  it('shows the heat map with counts, filters by a cell, and the training coverage, in English', {
    timeout: 60_000,
  }, async () => {
    const page: Page = await (
      await newContext(browser, { locale: 'en-US', viewport: { width: 1366, height: 900 } })
    ).newPage();
    const errors = watchErrors(page);
    await signIn(page, server.url, server.adminEmail, server.adminPassword);
    await page.getByTestId('nav-risks').click();
    await page.getByRole('heading', { name: 'Risk register' }).waitFor();
    await expect.poll(() => heatLabels(page)).toContain('2');
    expect(await page.getByTestId('risk-heat-total').textContent()).toContain('4 risk(s) on the map');
    expect(await page.getByTestId('risk-row').count()).toBe(4);
    await clickCell(page, 4, 5);
    await page.getByTestId('risk-cell-filter').waitFor();
    expect(await page.getByTestId('risk-cell-filter').textContent()).toBe('Likelihood 4 × impact 5');
    await expect.poll(() => page.getByTestId('risk-row').count()).toBe(2);
    expect(await page.getByTestId('risk-table').textContent()).toContain('4×5 = 20 · Critical');
    await page.screenshot({ path: `${OUT}/risks-en.png`, fullPage: true });

    await page.getByTestId('nav-training').click();
    await page.getByRole('heading', { name: 'Security training' }).waitFor();
    await page.getByTestId('coverage-chart').locator('svg').waitFor();
    await expect.poll(() => page.getByTestId('coverage-chart').locator('svg text').allTextContents()).toContain('50%');
    const rows = await page.getByTestId('coverage-row').allTextContents();
    expect(rows).toEqual(['交易运维部21 (50%)50%', '客户服务部11 (100%)100%']);
    expect(await page.getByTestId('overdue-row').allTextContents()).toEqual([
      expect.stringMatching(/^交易运维部李强SEC-101 信息安全意识Expired2021-01-01$/),
    ]);
    await page.screenshot({ path: `${OUT}/training-en.png`, fullPage: true });
    expect(errors).toEqual([]);
  });

  it('reads in Chinese: 风险登记册 with its heat map, 安全教育培训 with its coverage', {
    timeout: 60_000,
  }, async () => {
    const page: Page = await (
      await newContext(browser, { locale: 'zh-CN', viewport: { width: 1366, height: 900 } })
    ).newPage();
    const errors = watchErrors(page);
    await signIn(page, `${server.url}/risks`, server.adminEmail, server.adminPassword);
    await page.getByRole('heading', { name: '风险登记册' }).waitFor();
    await expect.poll(() => heatLabels(page)).toContain('2');
    expect(await page.getByTestId('risk-heat-map').locator('svg').textContent()).toContain('可能性');
    expect(await page.getByTestId('risk-table').textContent()).toContain('4×5 = 20 · 极高');
    await page.screenshot({ path: `${OUT}/risks-zh.png`, fullPage: true });

    await page.goto(`${server.url}/training`);
    await page.getByRole('heading', { name: '安全教育培训' }).waitFor();
    await page.getByTestId('coverage-chart').locator('svg').waitFor();
    expect(await page.getByTestId('coverage-table').textContent()).toContain('全部必修');
    expect(await page.getByTestId('overdue-row').first().textContent()).toContain('已过期');
    await page.screenshot({ path: `${OUT}/training-zh.png`, fullPage: true });
    expect(errors).toEqual([]);
  });
});
