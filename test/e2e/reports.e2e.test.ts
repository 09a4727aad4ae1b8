/**
 * Regulator reports in a real browser against a real server: on the war room of an account takeover
 * graded III, the "Regulator reports" section lists the facts the incident does not have; an administrator
 * (not the author) approves the CAC report a compliance officer drafted and marks it submitted with a
 * receipt file, and the SHA-256 of the receipt shows. Screenshots: .tmp/screens/reports-*.png (en, zh-CN).
 * Needs the built console and Chromium (test/e2e/browser.ts).
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildIncident, buildPrincipal } from '../helpers/fixtures.js';
import { startTestServer } from '../helpers/server.js';
import { assertBrowserReady, launchBrowser, newContext, signIn, skipBrowserSuite, watchErrors } from './browser.js';

type Server = Awaited<ReturnType<typeof startTestServer>>;
const OUT = '.tmp/screens';

describe.skipIf(skipBrowserSuite())('regulator reports (browser)', () => {
  let server: Server;
  let browser: Browser;
  let page: Page;
  let errors: string[] = [];
  let key = '';

  beforeAll(async () => {
    assertBrowserReady();
    fs.mkdirSync(OUT, { recursive: true });
    server = await startTestServer();
    const s = server.running.services;
    const officer = await buildPrincipal(s, { role: 'compliance', name: 'Wang Compliance' });
    key = (
      await buildIncident(s, {
        title: '账户盗用：客户资料泄露',
        category: 'network_attack',
        grade: 'III',
        impact: { customersAffected: 1280, recordsExposed: 1280, fundsAtRisk: null, tradingInterrupted: false },
      })
    ).key;
    const r = await s.reports.create(officer, key, { obligation: 'cac-report', stage: 'initial' });
    await s.reports.requestReview(officer, r.id);
    browser = await launchBrowser();
    page = await (await newContext(browser, { locale: 'en-US', viewport: { width: 1366, height: 900 } })).newPage();
    errors = watchErrors(page);
    await signIn(page, server.url, server.adminEmail, server.adminPassword);
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('approves a report in review and marks it submitted with its receipt', async () => {
    await page.goto(`${server.url}/incidents/${key}`);
    const card = page.getByTestId('reports-card');
    const item = card.locator('[data-testid="report-item"][data-state="in_review"]');
    await item.waitFor();
    expect(await item.getByTestId('report-missing').textContent()).toContain('cause analysis');
    await item.getByTestId('report-approve').click();
    const approved = card.locator('[data-testid="report-item"][data-state="approved"]');
    await approved.waitFor();
    await approved.getByLabel('Channel').fill('CAC reporting platform');
    await approved.getByLabel('Reference number').fill('CAC-2026-0815');
    const receipt = Buffer.from('%PDF-1.4 receipt');
    await approved
      .locator('input[type="file"]')
      .setInputFiles({ name: 'receipt.pdf', mimeType: 'application/pdf', buffer: receipt });
    await approved.getByTestId('report-mark-submitted').click();
    const submitted = card.locator('[data-testid="report-item"][data-state="submitted"]');
    await submitted.waitFor();
    const sha = createHash('sha256').update(receipt).digest('hex');
    expect(await submitted.getByTestId('report-submission').textContent()).toContain(sha);
    await card.screenshot({ path: `${OUT}/reports-card-en.png` });
    expect(errors).toEqual([]);
  });

  it('drafts a CSRC report from the obligation picker, in Chinese', async () => {
    const zh = await (await newContext(browser, { locale: 'zh-CN', viewport: { width: 1366, height: 900 } })).newPage();
    await signIn(zh, `${server.url}/incidents/${key}`, server.adminEmail, server.adminPassword);
    const card = zh.getByTestId('reports-card');
    await card.getByTestId('report-pick').click();
    await zh.getByRole('option', { name: /网络安全事件应急报告（证监会）/ }).click();
    await card.getByTestId('report-draft').click();
    const draft = card.locator('[data-testid="report-item"][data-state="draft"]');
    await draft.waitFor();
    expect(await draft.getByTestId('report-missing').textContent()).toContain('原因分析');
    await card.screenshot({ path: `${OUT}/reports-card-zh.png` });
  });
});
