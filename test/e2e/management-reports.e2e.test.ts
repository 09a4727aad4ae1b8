/**
 * The management reports page in a real browser (issue 16), over fixture KPI snapshots: in English an
 * administrator finds it under Improve, makes the November report in Chinese, sees it listed and downloads
 * its PDF (a PDF, named after the report's title); in Chinese the page reads 管理报告 and a wrong period
 * is refused with the format to use before anything is sent. Screenshots in .tmp/screens.
 * Needs Chromium (test/e2e/browser.ts).
 */
import { mkdirSync } from 'node:fs';
import fs from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixtureKpiSource } from '../helpers/kpi-snapshots.js';
import { startTestServer } from '../helpers/server.js';
import { assertBrowserReady, launchBrowser, newContext, signIn, skipBrowserSuite, watchErrors } from './browser.js';

type Server = Awaited<ReturnType<typeof startTestServer>>;
const OUT = '.tmp/screens';

describe.skipIf(skipBrowserSuite())('management reports (browser)', () => {
  let server: Server;
  let browser: Browser;

  beforeAll(async () => {
    assertBrowserReady();
    mkdirSync(OUT, { recursive: true });
    server = await startTestServer({ serve: { jobRunner: false, kpiSource: fixtureKpiSource } });
    browser = await launchBrowser();
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('makes a report, lists it and downloads its PDF, in English', { timeout: 60_000 }, async () => {
    const ctx = await newContext(browser, { locale: 'en-US', viewport: { width: 1366, height: 900 } });
    const page: Page = await ctx.newPage();
    const errors = watchErrors(page);
    await signIn(page, server.url, server.adminEmail, server.adminPassword);
    await page.getByTestId('nav-management-reports').click();
    await page.getByRole('heading', { name: 'Management reports' }).waitFor();
    // Waits for the list to load (a count taken at once may come before it).
    await page.getByText('No management report yet.').waitFor();
    await page.getByTestId('mr-period').fill('2026-11');
    await page.getByTestId('mr-generate').click();
    await page.getByTestId('mr-row').first().waitFor();
    expect(await page.getByTestId('mr-row').first().textContent()).toMatch(/^2026-11Monthly中文/);
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('mr-pdf').first().click()]);
    expect(download.suggestedFilename()).toBe('2026年11月网络安全事件管理报告.pdf');
    const file = await download.path();
    expect(fs.readFileSync(file).subarray(0, 5).toString()).toBe('%PDF-');
    await page.screenshot({ path: `${OUT}/management-reports-en.png`, fullPage: true });
    expect(errors).toEqual([]);
  });

  it('reads in Chinese and refuses a wrong period before sending it', { timeout: 60_000 }, async () => {
    const page: Page = await (
      await newContext(browser, { locale: 'zh-CN', viewport: { width: 1366, height: 900 } })
    ).newPage();
    const errors = watchErrors(page);
    await signIn(page, `${server.url}/management-reports`, server.adminEmail, server.adminPassword);
    await page.getByRole('heading', { name: '管理报告', exact: true }).waitFor();
    await page.getByTestId('mr-kind').getByText('季度', { exact: true }).click();
    await page.getByTestId('mr-period').fill('2026-11');
    await page.getByText('请按 YYYY-Qn 格式填写期间').waitFor();
    expect(await page.getByTestId('mr-generate').isDisabled()).toBe(true);
    await page.getByTestId('mr-period').fill('2026-Q3');
    await page.getByTestId('mr-lang').getByText('English', { exact: true }).click();
    await page.getByTestId('mr-generate').click();
    await expect.poll(() => page.getByTestId('mr-row').count()).toBe(2);
    expect(await page.getByTestId('mr-row').first().textContent()).toMatch(/^2026-Q3季度English/);
    await page.screenshot({ path: `${OUT}/management-reports-zh.png`, fullPage: true });
    expect(errors).toEqual([]);
  });
});
