/**
 * The incident's compensation page in a real browser against a real server (issue 14): an administrator
 * uploads orders and prices and runs `outage-price-diff` (a bad row reported with its line), a compliance
 * officer reviews the run (its author cannot), the administrator proposes the claims and offers them,
 * records one customer's acceptance and another's counter-offer accepted, the compliance officer approves
 * the run in bulk (itemised) and the ledger moves; the page's labels in zh-CN. Screenshots of every tab,
 * en and zh-CN: .tmp/screens/compensation-*.png. Needs the built console and Chromium (test/e2e/browser.ts).
 */
import fs from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertCustomers } from '../helpers/customers.js';
import { buildIncident, buildUser, PASSWORD } from '../helpers/fixtures.js';
import { startTestServer } from '../helpers/server.js';
import { assertBrowserReady, launchBrowser, newContext, signIn, skipBrowserSuite, watchErrors } from './browser.js';

type Server = Awaited<ReturnType<typeof startTestServer>>;

const OUT = '.tmp/screens';
const ORDERS = [
  'order_id,customer,account,security,side,quantity,price,time,status',
  // Limit 10.00, recovery 10.50: a loss of 500.00, capped at 300.00.
  'O1,C001,A001,600000,buy,1000,10.00,2026-03-02T10:05:00+08:00,rejected',
  // Market sell: last trade 20.00 before, 19.00 after: 200.00.
  'O2,C002,A002,000001,sell,200,,2026-03-02T10:10:00+08:00,failed',
  // A sell that would have lost nothing: goodwill 20.00.
  'O3,C003,A003,600000,sell,100,10.00,2026-03-02T10:15:00+08:00,rejected',
  // Filled: not affected.
  'O4,C004,A004,600000,buy,100,10.00,2026-03-02T10:15:00+08:00,filled',
  // Negative quantity: reported and skipped (line 6).
  'O5,C004,A004,600000,buy,-5,10.00,2026-03-02T10:16:00+08:00,rejected',
].join('\n');
const PRICES = [
  'security,time,price',
  '600000,2026-03-02T09:59:00+08:00,10.00',
  '600000,2026-03-02T10:30:00+08:00,10.50',
  '000001,2026-03-02T09:59:00+08:00,20.00',
  '000001,2026-03-02T10:31:00+08:00,19.00',
].join('\n');

describe.skipIf(skipBrowserSuite())('compensation console (browser)', () => {
  let server: Server;
  let browser: Browser;
  let admin: Page;
  let officer: Page;
  let errors: string[] = [];
  let key = '';
  const compliance = { email: 'comp-officer@test.example', name: 'Wang Compliance' };

  beforeAll(async () => {
    assertBrowserReady();
    fs.mkdirSync(OUT, { recursive: true });
    server = await startTestServer();
    const s = server.running.services;
    await insertCustomers(s.store, [
      { customerNo: 'C001', name: '张三', tier: 'vip', phoneMasked: '138****0001', accounts: ['A001'] },
      { customerNo: 'C002', name: 'Li Si', tier: 'standard', accounts: ['A002'] },
      { customerNo: 'C003', name: '王五', tier: 'standard', accounts: ['A003'] },
      { customerNo: 'C004', name: 'Zhao Liu', tier: 'standard', accounts: ['A004'] },
    ]);
    await buildUser(s, { ...compliance, role: 'compliance' });
    key = (await buildIncident(s, { title: 'Market data outage', category: 'equipment_failure', grade: 'II' })).key;
    browser = await launchBrowser();
    admin = await (await newContext(browser, { locale: 'en-US', viewport: { width: 1366, height: 900 } })).newPage();
    officer = await (await newContext(browser, { locale: 'en-US', viewport: { width: 1366, height: 900 } })).newPage();
    errors = watchErrors(admin);
    await signIn(admin, server.url, server.adminEmail, server.adminPassword);
    await signIn(officer, server.url, compliance.email, PASSWORD);
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  const page = (tab = '') => `${server.url}/incidents/${key}/compensation${tab ? `?tab=${tab}` : ''}`;
  const text = async (p: Page, testId: string) => ((await p.getByTestId(testId).first().textContent()) ?? '').trim();
  const ledgerLine = async (p: Page, line: string) => {
    const row = p.getByTestId(`ledger-${line}`);
    return `${await row.getByTestId('ledger-count').textContent()} ${await row.getByTestId('ledger-amount').textContent()}`;
  };
  async function choose(p: Page, testId: string, name: string, body: string) {
    const [chooser] = await Promise.all([p.waitForEvent('filechooser'), p.getByTestId(testId).click()]);
    await chooser.setFiles({ name, mimeType: 'text/csv', buffer: Buffer.from(body) });
  }
  async function shoot(p: Page, name: string) {
    await p.mouse.move(0, 0);
    await p.evaluate(() => window.scrollTo(0, 0));
    await p.screenshot({ path: `${OUT}/compensation-${name}.png`, fullPage: true });
  }
  /** Opens the claim of `ref`'s row, does `action` with the form filled by `fill`, and waits for `status`. */
  async function act(p: Page, customer: string, action: string, status: string, fill?: () => Promise<void>) {
    await p.getByTestId('claim-row').filter({ hasText: customer }).click();
    const drawer = p.getByTestId('claim-detail');
    await drawer.waitFor();
    await drawer.getByTestId(`claim-action-${action}`).click();
    await fill?.();
    await drawer.getByTestId('claim-action-submit').click();
    await p.locator(`[data-testid="claim-detail"][data-status="${status}"]`).waitFor();
  }

  it('runs an assessment, reviews it as someone else, proposes, offers, records acceptance, approves in bulk', {
    timeout: 120_000,
  }, async () => {
    // The war room's card leads to the page; nothing in the ledger yet.
    await admin.goto(`${server.url}/incidents/${key}`);
    await admin.getByTestId('compensation-card').waitFor();
    await expect.poll(() => text(admin, 'compensation-card')).toContain('No claims yet.');
    await admin.getByTestId('compensation-open').click();
    await admin.getByTestId('compensation-page').waitFor();
    await admin.getByTestId('runs-empty').waitFor();

    // Upload the extracts and run the method with its options (times in the viewer's zone, named).
    await choose(admin, 'assess-file-orders', 'orders.csv', ORDERS);
    await choose(admin, 'assess-file-prices', 'prices.csv', PRICES);
    expect(await admin.getByTestId('assess-form').textContent()).toContain('Your time zone: Asia/Shanghai');
    await admin.getByTestId('assess-outageStart').fill('2026-03-02T10:00');
    await admin.getByTestId('assess-outageEnd').fill('2026-03-02T10:30');
    await admin.getByTestId('assess-cap').fill('300');
    await admin.getByTestId('assess-min').fill('1');
    await admin.getByTestId('assess-goodwill').fill('20');
    await admin.getByTestId('assess-run').click();
    await admin.getByTestId('run-detail').waitFor();
    expect(await text(admin, 'assess-problems')).toMatch(/1 row skipped.*orders\.csv:6/);
    expect(await text(admin, 'run-compensation')).toBe('CN¥520.00');
    expect(await text(admin, 'run-parameters')).toContain('Outage start: 03/02/2026, 10:00');
    expect(await text(admin, 'run-parameters')).toContain('Cap: 300 yuan');
    await admin.getByTestId('run-chart').waitFor();
    expect(await admin.getByTestId('run-chart').getAttribute('data-buckets')).toBe('7');
    const outliers = admin.getByTestId('run-outliers').getByTestId('result-row');
    expect(await outliers.allTextContents()).toEqual([
      expect.stringMatching(/^C001.*CN¥500\.00.*CN¥300\.00.*Price difference/),
      expect.stringMatching(/^C002.*CN¥200\.00.*CN¥200\.00/),
      expect.stringMatching(/^C003.*CN¥0\.00.*CN¥20\.00.*Goodwill/),
    ]);
    // Its author may not review it.
    expect(await admin.getByTestId('run-review').isDisabled()).toBe(true);
    expect(await text(admin, 'run-detail')).toContain('A run is reviewed by someone other than who ran it.');
    await shoot(admin, 'assessments-en');

    // The compliance officer reviews it.
    await officer.goto(admin.url());
    await officer.getByTestId('run-review').click();
    await officer.locator('[data-testid="run-detail"][data-state="reviewed"]').waitFor();
    expect(await text(officer, 'run-detail')).toContain('reviewed by Wang Compliance');

    // The administrator proposes the claims and offers them.
    await admin.reload();
    await admin.locator('[data-testid="run-detail"][data-state="reviewed"]').waitFor();
    await admin.getByTestId('run-propose').click();
    expect(await text(admin, 'run-step-done')).toBe(
      '3 claims proposed; 0 customers already had a claim; 0 unknown customers.',
    );
    await admin.getByTestId('run-offer').click();
    await expect.poll(() => text(admin, 'run-step-done')).toBe('3 claims offered.');

    // Claims: the offered ones; C001 accepts on the phone, C002 counters at 250 and the firm accepts.
    await admin.getByTestId('comp-tab-claims').click();
    await expect.poll(() => admin.getByTestId('claim-row').count()).toBe(3);
    expect(await admin.getByTestId('claim-row').filter({ hasText: 'C001' }).textContent()).toMatch(
      /张三.*C001 · vip.*Offered.*Assessment.*CN¥300\.00.*Lead · 0\/1/,
    );
    await act(admin, 'C001', 'accept', 'accepted');
    const log = admin.getByTestId('claim-log').getByTestId('claim-event');
    expect(await log.evaluateAll((rows) => rows.map((r) => r.getAttribute('data-kind')))).toEqual([
      'created',
      'assessment_started',
      'offer',
      'accept',
    ]);
    expect(await log.last().textContent()).toMatch(/Customer.*Phone · recorded by .*Accepted.*Offered → Accepted/);
    await shoot(admin, 'claim-en');
    await admin.keyboard.press('Escape');
    await act(admin, 'C002', 'counter', 'countered', async () => {
      await admin.getByTestId('claim-action-amount').fill('250');
      await admin.getByTestId('claim-action-reason').fill('Sold at 18.75 elsewhere the same afternoon');
    });
    expect(await log.last().textContent()).toMatch(/Customer.*Phone.*Counter-offer.*CN¥250\.00.*Sold at 18\.75/);
    await admin.getByTestId('claim-detail').getByTestId('claim-action-accept').click();
    await admin.getByTestId('claim-action-submit').click();
    await admin.locator('[data-testid="claim-detail"][data-status="accepted"]').waitFor();
    expect(await text(admin, 'claim-detail-amount')).toBe('CN¥250.00');
    await admin.keyboard.press('Escape');

    // The filter by status narrows the list.
    await admin.goto(`${page('claims')}&status=accepted`);
    await expect.poll(() => admin.getByTestId('claim-row').count()).toBe(2);
    await shoot(admin, 'claims-en');

    // The ledger before approval.
    await admin.goto(page('ledger'));
    await admin.getByTestId('ledger').waitFor();
    expect(await ledgerLine(admin, 'accepted')).toBe('2 CN¥550.00');
    expect(await ledgerLine(admin, 'approved')).toBe('0 CN¥0.00');

    // The compliance officer's inbox, then the run approved in bulk: itemised.
    await officer.goto(page('approvals'));
    await expect.poll(() => officer.getByTestId('inbox-row').count()).toBe(2);
    expect(await officer.getByTestId('inbox-row').first().textContent()).toMatch(new RegExp(`${key}.*Lead · 0/1`));
    await shoot(officer, 'approvals-en');
    await officer.getByTestId('bulk-submit').click();
    await officer.getByTestId('bulk-summary').waitFor();
    expect(await text(officer, 'bulk-summary')).toBe(
      '2 approved, 0 approvals recorded (another approver needed), 0 refused.',
    );
    expect(
      await officer.getByTestId('bulk-item').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-outcome'))),
    ).toEqual(['approved', 'approved']);
    await officer.getByTestId('inbox-empty').waitFor();

    // The ledger moved; so did the war room's card.
    await admin.reload();
    await admin.getByTestId('ledger').waitFor();
    expect(await ledgerLine(admin, 'approved')).toBe('2 CN¥550.00');
    expect(await ledgerLine(admin, 'accepted')).toBe('0 CN¥0.00');
    expect(await ledgerLine(admin, 'offered')).toBe('1 CN¥20.00');
    await shoot(admin, 'ledger-en');
    await admin.goto(`${server.url}/incidents/${key}`);
    await expect.poll(() => text(admin, 'card-approved')).toMatch(/Approved · 2\s*CN¥550\.00/);
    await admin.getByTestId('compensation-card').screenshot({ path: `${OUT}/compensation-card-en.png` });
    expect(errors).toEqual([]);
  });

  it('speaks zh-CN', { timeout: 60_000 }, async () => {
    const zh = await (await newContext(browser, { locale: 'zh-CN', viewport: { width: 1366, height: 900 } })).newPage();
    const zhErrors = watchErrors(zh);
    await signIn(zh, page(), server.adminEmail, server.adminPassword);
    await zh.getByTestId('run-row').first().waitFor();
    expect(
      await Promise.all(['assessments', 'claims', 'approvals', 'ledger'].map((t) => text(zh, `comp-tab-${t}`))),
    ).toEqual(['损失评估', '赔偿申请', '审批', '台账']);
    expect(await text(zh, 'assess-form')).toContain('您的时区：Asia/Shanghai');
    expect(await text(zh, 'run-state')).toBe('已生成申请');
    await zh.getByTestId('run-open').click();
    await zh.getByTestId('run-chart').waitFor();
    await shoot(zh, 'assessments-zh');
    await zh.getByTestId('comp-tab-claims').click();
    await expect.poll(() => zh.getByTestId('claim-row').count()).toBe(3);
    expect(await zh.getByTestId('claim-row').filter({ hasText: 'C001' }).textContent()).toContain('已审批');
    await shoot(zh, 'claims-zh');
    await zh.getByTestId('claim-row').filter({ hasText: 'C002' }).click();
    await zh.getByTestId('claim-detail').waitFor();
    expect(await zh.getByTestId('claim-log').textContent()).toContain('客户还价');
    await shoot(zh, 'claim-zh');
    await zh.keyboard.press('Escape');
    await zh.getByTestId('comp-tab-approvals').click();
    await zh.getByTestId('inbox-empty').waitFor();
    expect(await text(zh, 'inbox-empty')).toBe('没有待您审批的申请。');
    await shoot(zh, 'approvals-zh');
    await zh.getByTestId('comp-tab-ledger').click();
    await zh.getByTestId('ledger').waitFor();
    expect(await zh.getByTestId('ledger-reserve').textContent()).toMatch(/准备金.*3.*¥570\.00/);
    await shoot(zh, 'ledger-zh');
    await zh.goto(`${server.url}/incidents/${key}`);
    await expect.poll(() => text(zh, 'card-approved')).toMatch(/已审批 · 2\s*¥550\.00/);
    await zh.getByTestId('compensation-card').screenshot({ path: `${OUT}/compensation-card-zh.png` });
    // On a phone the tabs and tables stay usable (tables scroll sideways).
    await zh.setViewportSize({ width: 390, height: 844 });
    await zh.goto(page('claims'));
    await expect.poll(() => zh.getByTestId('claim-row').count()).toBe(3);
    await shoot(zh, 'claims-zh-phone');
    expect(zhErrors).toEqual([]);
  });
});
