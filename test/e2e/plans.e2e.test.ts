/**
 * The Plans screens in a real browser against a real server: two versions of a plan imported through
 * the API, the list shows the draft, the plan page shows the diff between them, the editor lists a
 * problem with its line as one types, and the commander's buttons approve and then activate a version,
 * after which the list shows it active. Screenshots go to .tmp/screens/plans-*.png for the visual review.
 * Needs the built console and Chromium (test/e2e/browser.ts).
 */
import fs from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer } from '../helpers/server.js';
import {
  assertBrowserReady,
  injectAs,
  launchBrowser,
  newContext,
  signIn,
  skipBrowserSuite,
  watchErrors,
} from './browser.js';

type Server = Awaited<ReturnType<typeof startTestServer>>;

const OUT = '.tmp/screens';
const V1 = fs.readFileSync('plans/account-takeover.yml', 'utf8');
const V2 = V1.replace(/^review_period_months: 12$/m, 'review_period_months: 6');

describe.skipIf(skipBrowserSuite())('plans (browser)', () => {
  let server: Server;
  let browser: Browser;
  let page: Page;
  let errors: string[] = [];

  beforeAll(async () => {
    assertBrowserReady();
    fs.mkdirSync(OUT, { recursive: true });
    server = await startTestServer();
    browser = await launchBrowser();
    page = await (await newContext(browser, { locale: 'en-US', viewport: { width: 1366, height: 900 } })).newPage();
    errors = watchErrors(page);
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  /** Calls the API as the signed-in browser's session. */
  const apiPost = (url: string, payload: unknown) => injectAs(server.running.app, page, 'POST', url, payload);

  it('lists an imported plan as a draft', { timeout: 30_000 }, async () => {
    await signIn(page, server.url, server.adminEmail, server.adminPassword);
    expect((await apiPost('/api/v1/plans', { source: V1 })).statusCode).toBe(200);
    expect((await apiPost('/api/v1/plans', { source: V2 })).statusCode).toBe(200);
    await page.getByTestId('nav-plans').click();
    const row = page.locator('[data-testid="plan-row"][data-id="account-takeover"]');
    await row.waitFor();
    expect(await row.getByTestId('plan-row-status').getAttribute('data-status')).toBe('draft');
    expect(await row.textContent()).toMatch(/Credential stuffing/);
    await page.screenshot({ path: `${OUT}/plans-list-en.png` });
  });

  it('shows the diff between the two versions', { timeout: 30_000 }, async () => {
    await page.locator('[data-testid="plan-row"][data-id="account-takeover"] a').click();
    await page.getByTestId('plan-detail').waitFor();
    const diff = page.getByTestId('plan-diff');
    await diff.waitFor();
    expect(await diff.locator('[data-diff="del"]').allTextContents()).toEqual(['-review_period_months: 12']);
    expect(await diff.locator('[data-diff="add"]').allTextContents()).toEqual(['+review_period_months: 6']);
    expect(await page.getByTestId('plan-version-row').count()).toBe(2);
  });

  it('lists problems with their line as one types in the editor', { timeout: 30_000 }, async () => {
    const source = page.getByTestId('plan-editor-source');
    await source.waitFor();
    await page.locator('[data-testid="plan-editor-status"][data-state="valid"]').waitFor();
    await source.fill(V2.replace(/due: \+10m/, 'due: soon'));
    const problems = page.getByTestId('plan-editor-problems');
    await problems.waitFor();
    const line = V2.split('\n').findIndex((l) => l.includes('due: +10m')) + 1;
    expect(await problems.textContent()).toContain(`Line ${line}, column`);
    expect(await problems.textContent()).toMatch(/must be an offset such as \+15m/);
    expect(await page.getByTestId('plan-editor-save').isDisabled()).toBe(true);
    await page.getByTestId('plan-editor-status').scrollIntoViewIfNeeded();
    await page.screenshot({ path: `${OUT}/plan-editor-problems-en.png` });
    await source.fill(V2);
    await page.locator('[data-testid="plan-editor-status"][data-state="valid"]').waitFor();
  });

  it('approves and activates version 2 with the buttons', { timeout: 30_000 }, async () => {
    await page.getByTestId('plan-approve-2').click();
    await page.getByTestId('plan-approve-2-confirm').click();
    await page.locator('[data-testid="plan-version-row"][data-version="2"][data-status="approved"]').waitFor();
    await page.getByTestId('plan-activate-2').click();
    await page.getByTestId('plan-activate-2-confirm').click();
    await page.locator('[data-testid="plan-version-row"][data-version="2"][data-status="active"]').waitFor();
    expect(await page.getByTestId('plan-status').getAttribute('data-status')).toBe('active');
    await page.mouse.move(0, 0);
    await page.screenshot({ path: `${OUT}/plan-detail-en.png`, fullPage: true });

    await page.getByTestId('nav-plans').click();
    const row = page.locator('[data-testid="plan-row"][data-id="account-takeover"]');
    await row.locator('[data-testid="plan-row-status"][data-status="active"]').waitFor();
    expect(errors).toEqual([]);
  });

  it('shows the review-due badge once the active version is past its review period (zh-CN)', {
    timeout: 30_000,
  }, async () => {
    // The ransomware plan, approved and active, as the store holds it 13 months after its approval
    // (review period 12 months): the approval time is set back in the store.
    const { plans, store } = server.running.services;
    const actor = { id: null, label: 'e2e' };
    await plans.importSource(actor, fs.readFileSync('plans/ransomware.yml', 'utf8'));
    await plans.approve(actor, 'ransomware', 1);
    await plans.activate(actor, 'ransomware', 1);
    await store.db
      .updateTable('plan_versions')
      .set({ approved_at: Date.now() - 396 * 86_400_000 })
      .where('plan_id', '=', 'ransomware')
      .execute();
    expect((await plans.list()).find((p) => p.id === 'ransomware')!.reviewDue).toBe(true);

    const zh = await (await newContext(browser, { locale: 'zh-CN', viewport: { width: 1366, height: 900 } })).newPage();
    await signIn(zh, server.url, server.adminEmail, server.adminPassword);
    await zh.getByTestId('nav-plans').click();
    await zh.locator('[data-testid="plan-row"][data-id="account-takeover"]').waitFor();
    expect(await zh.locator('[data-testid="plan-row"][data-id="account-takeover"]').textContent()).toMatch(/撞库/);
    const ransomware = zh.locator('[data-testid="plan-row"][data-id="ransomware"]');
    expect(await ransomware.getByTestId('plan-review-due').textContent()).toBe('待复审');
    expect(
      await zh.locator('[data-testid="plan-row"][data-id="account-takeover"] [data-testid="plan-review-due"]').count(),
    ).toBe(0);
    await zh.screenshot({ path: `${OUT}/plans-list-zh-CN.png` });
    await zh.goto(`${server.url}/plans/account-takeover?from=1&to=2`);
    await zh.getByTestId('plan-diff').waitFor();
    await zh.screenshot({ path: `${OUT}/plan-detail-zh-CN.png`, fullPage: true });
    await zh.context().close();
  });
});
