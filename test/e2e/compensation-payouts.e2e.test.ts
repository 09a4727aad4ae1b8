/**
 * The Payouts tab of the incident's compensation page in a real browser against a real server (issue 14):
 * approved claims set up through the API, a batch created with a double click (one batch), the bank file
 * downloaded in GBK (a Chinese payee's name read back with iconv-lite), the batch marked paid (its claims
 * paid, the ledger moved); a second batch settled by the bank's return file (a failure and a bad line
 * reported); the tab's labels in zh-CN; an auditor sees it all without the actions. Screenshots: .tmp/screens/compensation-payouts-*.png.
 * Needs the built console and Chromium (test/e2e/browser.ts).
 */
import fs from 'node:fs';
import iconv from 'iconv-lite';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildUser, PASSWORD } from '../helpers/fixtures.js';
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

/** A Luhn-valid 16-digit card number ending in a check digit after `tail`. */
function card(tail: string): string {
  const body = `622848${tail}12345`;
  let sum = 0;
  for (let i = 0; i < body.length; i++) {
    let v = Number(body[body.length - 1 - i]);
    if (i % 2 === 0) {
      v *= 2;
      if (v > 9) v -= 9;
    }
    sum += v;
  }
  return `${body}${(10 - (sum % 10)) % 10}`;
}

const PAYEES = [
  { customerNo: 'P1', name: '张伟', bankCard: card('0001') },
  { customerNo: 'P2', name: '李娜', bankCard: card('0002') },
  { customerNo: 'P3', name: 'Zhao Lei', bankCard: card('0003') },
  { customerNo: 'P4', name: '王芳', bankCard: card('0004') },
  // A name GBK cannot write (𠮷 is outside GBK): the GBK bank file is refused, the UTF-8 one carries it.
  { customerNo: 'P5', name: '吉𠮷', bankCard: card('0005') },
];

describe.skipIf(skipBrowserSuite())('compensation payouts console (browser)', () => {
  let server: Server;
  let browser: Browser;
  let admin: Page;
  let officer: Page;
  let errors: string[] = [];
  let key = '';
  const claimIds = new Map<string, string>();
  const compliance = { email: 'pay-officer@test.example', name: 'Qian Compliance' };

  beforeAll(async () => {
    assertBrowserReady();
    fs.mkdirSync(OUT, { recursive: true });
    server = await startTestServer();
    const s = server.running.services;
    await buildUser(s, { ...compliance, role: 'compliance' });
    browser = await launchBrowser();
    admin = await (await newContext(browser, { locale: 'en-US', viewport: { width: 1366, height: 900 } })).newPage();
    officer = await (await newContext(browser, { locale: 'en-US', viewport: { width: 1366, height: 900 } })).newPage();
    errors = watchErrors(admin);
    await signIn(admin, server.url, server.adminEmail, server.adminPassword);
    await signIn(officer, server.url, compliance.email, PASSWORD);
    const sync = await call(admin, 'POST', '/api/v1/customers/sync', { items: PAYEES });
    expect(sync.json().counts, sync.body).toMatchObject({ created: PAYEES.length, rejected: 0 });
    const inc = await call(admin, 'POST', '/api/v1/incidents', {
      title: 'Order gateway outage',
      category: 'equipment_failure',
      grade: 'II',
    });
    expect(inc.statusCode, inc.body).toBe(201);
    key = inc.json().key;
    // Each payee's claim offered by the administrator and accepted; P1..P3 approved by the compliance officer now.
    for (const [i, p] of PAYEES.entries()) {
      const c = await call(admin, 'POST', `/api/v1/incidents/${key}/compensation/claims`, {
        customerNo: p.customerNo,
        source: 'owner',
        claimedMinor: 100_000,
        description: 'orders rejected during the outage',
      });
      expect(c.statusCode, c.body).toBe(201);
      claimIds.set(p.customerNo, c.json().id);
      await step(admin, p.customerNo, 'assess');
      await step(admin, p.customerNo, 'offer', { amountMinor: (i + 1) * 10_000 + 55, reason: 'price difference' });
      await step(admin, p.customerNo, 'accept', { channel: 'phone' });
      if (i < 3) await step(officer, p.customerNo, 'approve');
    }
  }, 90_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  async function call(p: Page, method: 'GET' | 'POST', url: string, payload?: unknown) {
    return injectAs(server.running.app, p, method, url, payload);
  }
  async function step(p: Page, customerNo: string, what: string, payload: Record<string, unknown> = {}) {
    const res = await call(p, 'POST', `/api/v1/compensation/claims/${claimIds.get(customerNo)}/${what}`, payload);
    expect(res.statusCode, res.body).toBe(200);
  }
  const page = (tab = '') => `${server.url}/incidents/${key}/compensation${tab ? `?tab=${tab}` : ''}`;
  const text = async (p: Page, testId: string) => ((await p.getByTestId(testId).first().textContent()) ?? '').trim();
  const ledgerLine = async (p: Page, line: string) => {
    const row = p.getByTestId(`ledger-${line}`);
    return `${await row.getByTestId('ledger-count').textContent()} ${await row.getByTestId('ledger-amount').textContent()}`;
  };
  const detailState = (p: Page, state: string) =>
    p.locator(`[data-testid="batch-detail"] [data-testid="batch-state"][data-state="${state}"]`).waitFor();
  async function shoot(p: Page, name: string) {
    await p.mouse.move(0, 0);
    await p.evaluate(() => window.scrollTo(0, 0));
    await p.screenshot({ path: `${OUT}/compensation-payouts-${name}.png`, fullPage: true });
  }

  it('creates one batch on a double click, downloads the bank file in GBK, marks it paid: claims paid, ledger moved', {
    timeout: 120_000,
  }, async () => {
    await admin.goto(page('payouts'));
    await admin.getByTestId('payouts-tab').waitFor();
    await admin.getByTestId('batches-empty').waitFor();
    // P1..P3 approved: 100.55 + 200.55 + 300.55.
    await expect.poll(() => text(admin, 'payouts-waiting-line')).toBe('3 claims, CN¥601.65');
    await admin.getByTestId('payouts-create').dblclick();
    await admin.getByTestId('batch-detail').waitFor();
    await detailState(admin, 'draft');
    await expect.poll(() => text(admin, 'payouts-none-waiting')).toBe('No approved claim is waiting for payment.');
    expect(await admin.getByTestId('batch-row').count()).toBe(1);
    const batchId = (await admin.getByTestId('batch-row').getAttribute('data-id')) ?? '';
    expect(batchId).toMatch(new RegExp(`^PAY-${key}-\\d{14}$`));
    expect(await text(admin, 'batch-summary')).toBe('3 items, CN¥601.65 — 0 paid · 0 failed · 3 pending');
    expect(await admin.getByTestId('batch-item').count()).toBe(3);
    expect(await text(admin, 'batch-reveal-note')).toContain('recorded in the audit log');
    // Not exported yet: mark paid waits for the bank file.
    expect(await text(admin, 'batch-mark-paid')).toContain('Take the bank file first');
    await shoot(admin, 'draft-en');

    // The bank file in GBK: a real download, the Chinese names readable once decoded.
    await admin.getByTestId('batch-encoding').getByText('GBK').click();
    const [file] = await Promise.all([admin.waitForEvent('download'), admin.getByTestId('batch-bank-file').click()]);
    expect(file.suggestedFilename()).toMatch(/\.csv$/);
    const bytes = fs.readFileSync((await file.path()) ?? '');
    expect(bytes.includes(Buffer.from('张伟'))).toBe(false); // not UTF-8
    const csv = iconv.decode(bytes, 'gbk');
    expect(csv.split('\r\n')[0]).toBe('seq,claim_ref,customer_no,payee_name,bank_account,amount_yuan,currency,memo');
    expect(csv).toContain('张伟');
    expect(csv).toContain(PAYEES[0]!.bankCard);
    expect(csv).toContain('100.55');
    await detailState(admin, 'exported');
    expect(await text(admin, 'batch-mark-paid')).toContain('The 3 pending items are paid');

    // The ledger file too.
    const [ledgerFile] = await Promise.all([
      admin.waitForEvent('download'),
      admin.getByTestId('batch-ledger-file').click(),
    ]);
    const ledgerCsv = fs.readFileSync((await ledgerFile.path()) ?? '', 'utf8');
    expect(ledgerCsv).toMatch(/^seq,claim_ref,customer_no,amount_minor/);
    expect(ledgerCsv).not.toContain('张伟');

    // Mark paid with the bank's reference at a time in the viewer's zone (named).
    expect(await text(admin, 'batch-mark-paid')).toContain('In your time zone: Asia/Shanghai');
    await admin.getByTestId('batch-paid-reference').fill('BOC-20261205-001');
    await admin.getByTestId('batch-paid-at').fill('2026-12-05T09:30');
    await admin.getByTestId('batch-paid-submit').click();
    await detailState(admin, 'paid');
    expect(await text(admin, 'batch-summary')).toBe('3 items, CN¥601.65 — 3 paid · 0 failed · 0 pending');
    await expect.poll(() => admin.locator('[data-testid="batch-item"][data-state="paid"]').count()).toBe(3);
    const row = admin.getByTestId('batch-row').first();
    expect(await row.getAttribute('data-state')).toBe('paid');
    expect(await row.textContent()).toContain('BOC-20261205-001');
    expect(await row.textContent()).toContain('12/05/2026, 09:30');
    // Nothing left to do on a paid batch.
    expect(await admin.getByTestId('batch-mark-paid').count()).toBe(0);
    expect(await admin.getByTestId('batch-bank-file').isDisabled()).toBe(true);
    await shoot(admin, 'paid-en');

    // The claims are paid and the ledger moved.
    await admin.getByTestId('comp-tab-claims').click();
    await expect.poll(() => admin.getByTestId('claim-row').count()).toBe(5);
    const status = async (name: string) =>
      (await admin.getByTestId('claim-row').filter({ hasText: name }).textContent()) ?? '';
    for (const [name, no] of [
      ['张伟', 'P1'],
      ['李娜', 'P2'],
      ['Zhao Lei', 'P3'],
    ] as const)
      expect(await status(name)).toContain(`${name}${no}Paid`);
    expect(await status('王芳')).toContain('王芳P4Accepted');
    await admin.getByTestId('comp-tab-ledger').click();
    await admin.getByTestId('ledger').waitFor();
    expect(await ledgerLine(admin, 'paid')).toBe('3 CN¥601.65');
    expect(await ledgerLine(admin, 'approved')).toBe('0 CN¥0.00');
    expect(await ledgerLine(admin, 'inPayout')).toBe('0 CN¥0.00');
    expect(errors).toEqual([]);
  });

  it("settles a second batch with the bank's return file: a success, a failure, a bad line", {
    timeout: 90_000,
  }, async () => {
    await step(officer, 'P4', 'approve');
    await step(officer, 'P5', 'approve');
    await admin.goto(page('payouts'));
    await expect.poll(() => text(admin, 'payouts-waiting-line')).toBe('2 claims, CN¥901.10');
    await admin.getByTestId('payouts-create').click();
    await admin.locator('[data-testid="batch-detail"] [data-testid="batch-item"]').nth(1).waitFor();
    expect(await admin.getByTestId('batch-row').count()).toBe(2);
    const refs = await admin
      .getByTestId('batch-item')
      .evaluateAll((rows) => rows.map((r) => r.querySelectorAll('td')[1]?.textContent ?? ''));
    expect(refs).toHaveLength(2);
    // GBK cannot write P5's name: the file is refused with the reason, and nothing is downloaded.
    await admin.getByTestId('batch-bank-file').click();
    await admin.locator('[data-testid="batch-files"] [data-testid="problem-alert"]').waitFor();
    expect(await text(admin, 'batch-files')).toContain(
      '1 payee(s) without a bank account or a name the encoding can write',
    );
    expect(await admin.getByTestId('batch-row').first().getAttribute('data-state')).toBe('draft');
    await admin.getByTestId('batch-encoding').getByText('UTF-8').click();
    const [file] = await Promise.all([admin.waitForEvent('download'), admin.getByTestId('batch-bank-file').click()]);
    const utf8 = fs.readFileSync((await file.path()) ?? '', 'utf8');
    expect(utf8).toContain('王芳');
    expect(utf8).toContain('吉𠮷');
    await detailState(admin, 'exported');

    // The bank's answer in GBK: seq 1 paid, seq 2 refused, a line naming no item.
    const back = iconv.encode(
      [
        '序号,赔偿编号,处理结果,银行流水号,失败原因',
        `1,${refs[0]},成功,BOC-RET-1,`,
        `2,${refs[1]},失败,,账户已销户`,
        '9,,成功,BOC-RET-9,',
      ].join('\r\n'),
      'gbk',
    );
    const [chooser] = await Promise.all([
      admin.waitForEvent('filechooser'),
      admin.getByTestId('batch-return-file').click(),
    ]);
    await chooser.setFiles({ name: 'return.csv', mimeType: 'text/csv', buffer: back });
    await admin.getByTestId('batch-return-submit').click();
    await admin.getByTestId('batch-return-result').waitFor();
    expect(await text(admin, 'batch-return-result')).toContain('1 paid, 1 failed, 0 unchanged, 1 line not used (GBK).');
    expect(await text(admin, 'batch-return-problems')).toMatch(/^Line 4: /);
    await detailState(admin, 'partly_paid');
    await expect.poll(() => admin.locator('[data-testid="batch-item"][data-state="failed"]').count()).toBe(1);
    const failed = admin.locator('[data-testid="batch-item"][data-state="failed"]');
    expect(await failed.textContent()).toContain('账户已销户');
    // The failed claim (P4's or P5's: items go by claim id) waits for a later batch.
    const failedAmount = (await failed.locator('td').nth(3).textContent()) ?? '';
    expect(failedAmount).toMatch(/^CN¥[45]00\.55$/);
    await expect.poll(() => text(admin, 'payouts-waiting-line')).toBe(`1 claim, ${failedAmount}`);
    await shoot(admin, 'return-en');
    expect(errors).toEqual([]);
  });

  it('speaks zh-CN', { timeout: 60_000 }, async () => {
    const zh = await (await newContext(browser, { locale: 'zh-CN', viewport: { width: 1366, height: 900 } })).newPage();
    const zhErrors = watchErrors(zh);
    await signIn(zh, page('payouts'), server.adminEmail, server.adminPassword);
    await zh.getByTestId('batch-row').nth(1).waitFor();
    expect(await text(zh, 'comp-tab-payouts')).toBe('付款批次');
    expect(await text(zh, 'payouts-waiting-line')).toMatch(/^1 份申请，共 ¥[45]00\.55$/);
    expect(await text(zh, 'payouts-create')).toBe('创建付款批次');
    expect(
      await zh.getByTestId('batch-row').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-state'))),
    ).toEqual(['partly_paid', 'paid']);
    expect(await zh.getByTestId('batch-state').allTextContents()).toEqual(['部分付款', '已付款']);
    await zh.getByTestId('batch-row').nth(1).click();
    await zh.getByTestId('batch-detail').waitFor();
    expect(await text(zh, 'batch-summary')).toBe('3 笔，共 ¥601.65 — 已付 3 · 失败 0 · 待付 0');
    expect(await text(zh, 'batch-reveal-note')).toContain('审计日志');
    await shoot(zh, 'paid-zh');
    await zh.getByTestId('batch-row').first().click();
    await zh.locator('[data-testid="batch-item"][data-state="failed"]').waitFor();
    expect(await zh.getByTestId('batch-mark-paid').count()).toBe(0);
    await shoot(zh, 'partly-zh');
    expect(zhErrors).toEqual([]);
  });
  it('shows an auditor the batches and their items, without the actions that move money', {
    timeout: 60_000,
  }, async () => {
    const auditor = { email: 'pay-auditor@test.example', name: 'Sun Auditor' };
    await buildUser(server.running.services, { ...auditor, role: 'auditor' });
    const p = await (await newContext(browser, { locale: 'en-US', viewport: { width: 1366, height: 900 } })).newPage();
    const pErrors = watchErrors(p);
    await signIn(p, page('payouts'), auditor.email, PASSWORD);
    await p.getByTestId('batch-row').nth(1).waitFor();
    expect(await text(p, 'payouts-waiting-line')).toMatch(/^1 claim, CN¥[45]00\.55$/);
    expect(await p.getByTestId('payouts-create').count()).toBe(0);
    await p.getByTestId('batch-row').nth(1).click();
    await expect.poll(() => p.getByTestId('batch-item').count()).toBe(3);
    expect(await text(p, 'batch-summary')).toBe('3 items, CN¥601.65 — 3 paid · 0 failed · 0 pending');
    for (const id of ['batch-files', 'batch-mark-paid', 'batch-return'])
      expect(await p.getByTestId(id).count()).toBe(0);
    expect(pErrors).toEqual([]);
  });
});
