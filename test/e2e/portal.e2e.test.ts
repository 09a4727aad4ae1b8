/**
 * The customer help portal and the staff inbox in a real browser against a real server: a customer
 * (signed-out context, phone-sized) sees the ongoing incident and its FAQ on /status/help, filters the
 * FAQ by typing, asks a question and gets a reference; staff find it in the console's inbox and answer
 * it; the customer checks with the reference and the phone number used, sees the answer and rates it.
 * The war room's card counts it. Screenshots: .tmp/screens/portal-help-zh.png, portal-help-en.png,
 * portal-check-zh.png, portal-inbox-en.png, portal-inbox-zh.png, portal-warroom-zh.png.
 * Needs the built console and Chromium (test/e2e/browser.ts).
 */
import fs from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildIncident } from '../helpers/fixtures.js';
import { startTestServer } from '../helpers/server.js';
import { assertBrowserReady, launchBrowser, newContext, signIn, skipBrowserSuite, watchErrors } from './browser.js';

type Server = Awaited<ReturnType<typeof startTestServer>>;

const OUT = '.tmp/screens';
const SYSTEM = { id: null, label: 'test' };
const PHONE = { width: 390, height: 844 };
const ANSWER = '您好，您的资金安全。登录问题已于 10:30 修复，请重新登录。';

describe.skipIf(skipBrowserSuite())('help portal and inquiry inbox (browser)', () => {
  let server: Server;
  let browser: Browser;
  let customer: Page;
  let customerEn: Page;
  let staff: Page;
  let errors: string[] = [];
  let incidentId = '';
  let incidentKey = '';
  let reference = '';

  beforeAll(async () => {
    assertBrowserReady();
    fs.mkdirSync(OUT, { recursive: true });
    server = await startTestServer();
    const s = server.running.services;
    const incident = await buildIncident(s, { title: 'Trading app login failures', grade: 'III' });
    incidentId = incident.id;
    incidentKey = incident.key;
    await s.store.transaction((tx) =>
      s.status.publisher.publish(tx, SYSTEM, {
        kind: 'holding_statement',
        incidentId,
        statementId: incident.id,
        title: { zh: '交易 App 登录异常', en: 'Trading app login failures' },
        body: { zh: '我们正在处理。', en: 'We are working on it.' },
        fields: { status: 'investigating' },
      }),
    );
    const admin = (await s.users.byEmail(server.adminEmail))!;
    const principal = { user: admin, via: 'cli' as const, scopes: null, restrictedTo: null };
    for (const [i, q] of [
      [
        { zh: '我的资金安全吗？', en: 'Are my funds safe?' },
        { zh: '您的资金**安全**。', en: 'Your funds are **safe**.' },
      ],
      [
        { zh: '什么时候可以恢复登录？', en: 'When can I log in again?' },
        { zh: '预计 30 分钟内恢复。', en: 'Within 30 minutes.' },
      ],
    ].entries())
      await s.media.faq.create(principal, incident.key, {
        question: q[0]!,
        answer: q[1]!,
        position: i,
        published: true,
      });
    browser = await launchBrowser();
    customer = await (await newContext(browser, { locale: 'zh-CN', viewport: PHONE })).newPage();
    customerEn = await (await newContext(browser, { locale: 'en-US', viewport: PHONE })).newPage();
    staff = await (await newContext(browser, { locale: 'en-US', viewport: { width: 1366, height: 900 } })).newPage();
    errors = watchErrors(staff);
    await signIn(staff, server.url, server.adminEmail, server.adminPassword);
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('a signed-out customer sees the incident and its FAQ, filters it by typing, asks and gets a reference', async () => {
    await customer.goto(`${server.url}/status/help`);
    expect(await customer.locator('html').getAttribute('lang')).toBe('zh-CN');
    expect(await customer.locator('.faq-item').count()).toBe(2);
    // The filter box is the script's: it appears, and typing narrows the list.
    await customer.locator('#faq-filter').fill('恢复');
    await customer.locator('.faq-item:not([hidden])').first().waitFor();
    expect(await customer.locator('.faq-item:not([hidden])').count()).toBe(1);
    await customer.locator('#faq-filter').fill('');
    await customer.screenshot({ path: `${OUT}/portal-help-zh.png`, fullPage: true });

    await customer.locator('select[name="incident"]').selectOption(incidentId);
    await customer.locator('input[name="name"]').fill('张三');
    await customer.locator('input[name="phone"]').fill('138 0013 8000');
    await customer.locator('textarea[name="question"]').fill('我无法登录交易App，我的资金安全吗？');
    await customer.getByRole('button', { name: '提交' }).click();
    reference = (await customer.locator('#reference').textContent())?.trim() ?? '';
    expect(reference).toMatch(/^Q-[2-9A-Z]{4}-[2-9A-Z]{4}$/);

    await customerEn.goto(`${server.url}/status/help`);
    expect(await customerEn.locator('html').getAttribute('lang')).toBe('en');
    await customerEn.getByText('Are my funds safe?').waitFor();
    await customerEn.screenshot({ path: `${OUT}/portal-help-en.png`, fullPage: true });
  });

  it('staff answer it in the inbox; the customer sees the answer with the phone used, and rates it', async () => {
    await staff.goto(`${server.url}/inquiries`);
    const item = staff.locator(`[data-testid="inbox-item"][data-reference="${reference}"]`);
    await item.waitFor();
    expect(await item.textContent()).toContain('Funds');
    await item.click();
    await staff.getByTestId('inquiry-detail').waitFor();
    expect(await staff.getByTestId('inquiry-contact').textContent()).toContain('138****8000');
    await staff.getByTestId('inquiry-answer-text').fill(ANSWER);
    await staff.getByTestId('inquiry-send-answer').click();
    await staff.getByTestId('message-answer').waitFor();
    await staff.getByTestId('inquiry-detail').getByTestId('inquiry-status').filter({ hasText: 'Answered' }).waitFor();
    await staff.screenshot({ path: `${OUT}/portal-inbox-en.png`, fullPage: true });

    await customer.goto(`${server.url}/status/help/check`);
    await customer.locator('input[name="reference"]').fill(reference.toLowerCase());
    await customer.locator('input[name="contact"]').fill('13900000000');
    await customer.getByRole('button', { name: '查询' }).click();
    await customer.getByText('未找到匹配的咨询').waitFor();
    expect(await customer.locator('#answer').count()).toBe(0);

    await customer.locator('input[name="contact"]').fill('13800138000');
    await customer.getByRole('button', { name: '查询' }).click();
    expect(await customer.locator('#answer').textContent()).toBe(ANSWER);
    await customer.screenshot({ path: `${OUT}/portal-check-zh.png`, fullPage: true });
    await customer.locator('input[name="rating"][value="5"]').check();
    await customer.getByRole('button', { name: '提交评价' }).click();
    await customer.getByText('感谢您的评价').waitFor();

    await staff.reload();
    await staff.locator(`[data-testid="inbox-item"][data-reference="${reference}"]`).click();
    await staff.getByTestId('inquiry-contact').filter({ hasText: '5/5' }).waitFor();
    expect(errors).toEqual([]);
  });

  it('shows the inbox and the war room card in Chinese', async () => {
    const zh = await (await newContext(browser, { locale: 'zh-CN', viewport: { width: 1366, height: 900 } })).newPage();
    const zhErrors = watchErrors(zh);
    await signIn(zh, `${server.url}/inquiries`, server.adminEmail, server.adminPassword);
    await zh.locator(`[data-testid="inbox-item"][data-reference="${reference}"]`).click();
    await zh.getByTestId('inquiry-detail').getByText('已答复').first().waitFor();
    await zh.screenshot({ path: `${OUT}/portal-inbox-zh.png`, fullPage: true });
    await zh.goto(`${server.url}/incidents/${incidentKey}`);
    const card = zh.getByTestId('inquiry-stats');
    await card.getByTestId('stats-total').filter({ hasText: '共 1 条咨询' }).waitFor();
    expect(await card.textContent()).toContain('满意度 5.0');
    await card.scrollIntoViewIfNeeded();
    await card.screenshot({ path: `${OUT}/portal-warroom-zh.png` });
    expect(zhErrors).toEqual([]);
  });
});
