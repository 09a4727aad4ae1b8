/**
 * Customers in a real browser against a real server: an import with errors — the dry run lists the bad
 * rows with their spreadsheet line numbers and reasons — committed, then the list shows masked phones;
 * a customer's page reveals the clear values for a reason. In English and Chinese (a GBK CSV with
 * Chinese headers). Screenshots go to .tmp/screens/customers-*.png. Needs the built console and
 * Chromium (test/e2e/browser.ts).
 */
import fs from 'node:fs';
import iconv from 'iconv-lite';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer } from '../helpers/server.js';
import { assertBrowserReady, launchBrowser, newContext, signIn, skipBrowserSuite, watchErrors } from './browser.js';

type Server = Awaited<ReturnType<typeof startTestServer>>;

const OUT = '.tmp/screens';
const EN_CSV = [
  'Customer No,Name,Phone,Email,ID Number,Bank Card,Branch,Tier',
  'C001,Zhang San,13812341234,zhang@example.com,110101199003077715,6222021234567894,Beijing,vip',
  ',Nobody,13900000000,,,,Beijing,standard',
  'C003,Wrong Data,12345,not-an-email,110101199003077718,6222021234567890,Shanghai,standard',
  'C004,Li Si,+8613955556666,li@example.com,,,Shanghai,gold',
].join('\n');
const ZH_CSV = [
  '客户号,姓名,手机号,营业部,客户等级',
  'C101,王五,13611112222,深圳营业部,vip',
  'C001,张三,1381234,北京营业部,vip',
].join('\n');

describe.skipIf(skipBrowserSuite())('customers (browser)', () => {
  let server: Server;
  let browser: Browser;
  let en: Page;
  let zh: Page;
  let errors: string[] = [];

  beforeAll(async () => {
    assertBrowserReady();
    fs.mkdirSync(OUT, { recursive: true });
    server = await startTestServer();
    browser = await launchBrowser();
    en = await (await newContext(browser, { locale: 'en-US', viewport: { width: 1366, height: 900 } })).newPage();
    zh = await (await newContext(browser, { locale: 'zh-CN', viewport: { width: 1366, height: 900 } })).newPage();
    errors = watchErrors(en);
    await signIn(en, server.url, server.adminEmail, server.adminPassword);
    await signIn(zh, server.url, server.adminEmail, server.adminPassword);
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  async function importFile(page: Page, name: string, bytes: Buffer, shot: string) {
    await page.getByTestId('nav-customers').click();
    await page.getByTestId('customers-import').click();
    await page.locator('input[type="file"]').setInputFiles({ name, mimeType: 'text/csv', buffer: bytes });
    await page.getByTestId('import-upload').click();
    await page.getByTestId('import-check').waitFor();
    await page.screenshot({ path: `${OUT}/customers-mapping-${shot}.png`, fullPage: true });
    await page.getByTestId('import-check').click();
    await page.getByTestId('import-counts').waitFor();
    await page.screenshot({ path: `${OUT}/customers-dry-run-${shot}.png`, fullPage: true });
  }

  it('imports a file with errors: bad rows with their lines and reasons, commit, masked phones in the list', async () => {
    await importFile(en, 'customers.csv', Buffer.from(EN_CSV), 'en');
    const rows = en.getByTestId('import-bad-row');
    const seen = await rows.evaluateAll((els) =>
      els.map((e) => `${e.getAttribute('data-line')}:${e.getAttribute('data-code')}`),
    );
    expect(seen).toEqual(['3:missing_customer_no', '4:bad_phone', '4:bad_email', '4:bad_id_number', '4:bad_bank_card']);
    await expect(rows.first().textContent()).resolves.toContain('customer no. is missing');
    await expect(en.getByTestId('import-new').textContent()).resolves.toBe('2 new');
    await expect(en.getByTestId('import-bad').textContent()).resolves.toBe('2 bad rows');

    await en.getByTestId('import-commit').click();
    await en.getByTestId('import-done').waitFor();
    await en.screenshot({ path: `${OUT}/customers-committed-en.png`, fullPage: true });
    await en.getByTestId('import-to-list').click();
    await en.getByTestId('customers-table').waitFor();
    const phones = await en.getByTestId('customer-phone').allTextContents();
    expect(phones).toEqual(['138****1234', '139****6666']);
    expect(await en.getByTestId('customers-table').textContent()).not.toContain('13812341234');
    await en.screenshot({ path: `${OUT}/customers-list-en.png`, fullPage: true });
  }, 60_000);

  it('reveals a customer’s clear values for a reason', async () => {
    await en.getByRole('link', { name: 'C001' }).click();
    await expect(en.getByTestId('customer-idNumber').textContent()).resolves.toBe('110101********7715');
    await en.getByTestId('customer-reveal').click();
    await en.getByTestId('customer-reveal-reason').fill('Customer called about a failed transfer');
    await en.getByTestId('customer-reveal-confirm').click();
    await en.getByTestId('customer-revealed').waitFor();
    await expect(en.getByTestId('customer-phone').textContent()).resolves.toBe('13812341234');
    await en.screenshot({ path: `${OUT}/customers-revealed-en.png`, fullPage: true });
    const audit = await server.running.services.audit.list({}, 20);
    expect(audit.items.find((e) => e.action === 'customer.reveal')?.after).toMatchObject({
      reason: 'Customer called about a failed transfer',
    });
    expect(errors).toEqual([]);
  }, 60_000);

  it('imports a GBK file with Chinese headers in the Chinese console', async () => {
    await importFile(zh, '客户.csv', iconv.encode(ZH_CSV, 'gbk'), 'zh');
    const bad = zh.getByTestId('import-bad-row');
    await expect(bad.getAttribute('data-line')).resolves.toBe('3');
    await expect(bad.textContent()).resolves.toContain('手机号不正确');
    await expect(zh.getByTestId('import-new').textContent()).resolves.toBe('新增 1');
    await zh.getByTestId('import-commit').click();
    await zh.getByTestId('import-done').waitFor();
    await zh.getByTestId('import-to-list').click();
    // The imported customer appears in the list (read again once the commit is done), masked.
    await zh.getByTestId('customers-table').getByText('136****2222').waitFor();
    await expect(zh.getByTestId('customers-table').textContent()).resolves.toContain('136****2222');
    await zh.screenshot({ path: `${OUT}/customers-list-zh.png`, fullPage: true });
    await zh.getByRole('link', { name: 'C101' }).click();
    await zh.getByTestId('customer-page').waitFor();
    await zh.screenshot({ path: `${OUT}/customers-customer-zh.png`, fullPage: true });
  }, 60_000);
});
