/**
 * Inquiries by email and escalation in a real browser against a real server (role all, the inbound SMTP
 * listener on): a customer's mail sent with nodemailer to the inbound address reaches the staff inbox
 * with the Email channel; once its SLA has passed on the server's clock, the escalation sweep assigns it
 * to the owner and pages them — the inbox shows "Escalated to ..." — and the owner's worklist shows the
 * pages that went out (the callback come due, the VIP not reached within the SLA). Screenshots:
 * .tmp/screens/inbound-inbox-en.png, inbound-inbox-zh.png, inbound-worklist-en.png, inbound-worklist-zh.png.
 * Needs the built console and Chromium (test/e2e/browser.ts).
 */
import fs from 'node:fs';
import nodemailer from 'nodemailer';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertCustomer } from '../helpers/customers.js';
import { buildIncident } from '../helpers/fixtures.js';
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
const SYSTEM = { id: null, label: 'test' };
const OWNER_EMAIL = 'am.wang@bank.example';
const HOUR = 3_600_000;

describe.skipIf(skipBrowserSuite())('inquiries by email and escalation (browser)', () => {
  let server: Server;
  let browser: Browser;
  let owner: Page;
  let ownerZh: Page;
  let errors: string[] = [];
  let incidentKey = '';
  let customerId = '';
  let offsetMs = 0;

  beforeAll(async () => {
    assertBrowserReady();
    fs.mkdirSync(OUT, { recursive: true });
    server = await startTestServer({
      env: { TOCSIN_INBOUND_SMTP_PORT: '0', TOCSIN_INBOUND_ADDRESSES: 'help@firm.example' },
      serve: { clock: { now: () => Date.now() + offsetMs } },
    });
    const s = server.running.services;
    await s.users.create(SYSTEM, {
      email: OWNER_EMAIL,
      name: 'Wang Account Manager',
      role: 'customer_service',
      password: server.adminPassword,
    });
    customerId = await insertCustomer(s, 'K3001', { tier: 'vip', am: OWNER_EMAIL });
    incidentKey = (
      await buildIncident(s, {
        title: 'Account takeover of trading accounts',
        category: 'network_attack',
        grade: 'III',
      })
    ).key;
    browser = await launchBrowser();
    owner = await (await newContext(browser, { locale: 'en-US', viewport: { width: 1366, height: 900 } })).newPage();
    ownerZh = await (await newContext(browser, { locale: 'zh-CN', viewport: { width: 1366, height: 900 } })).newPage();
    errors = watchErrors(owner);
    await signIn(owner, server.url, OWNER_EMAIL, server.adminPassword);
    await signIn(ownerZh, server.url, OWNER_EMAIL, server.adminPassword);
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('takes a customer email into the inbox with the Email channel', async () => {
    const port = server.running.inbound!.port;
    const client = nodemailer.createTransport({ host: '127.0.0.1', port, secure: false, ignoreTLS: true });
    const info = await client.sendMail({
      from: 'Chen Jing <chen.jing@example.com>',
      to: 'help@firm.example',
      subject: `账户异常登录 ${incidentKey}`,
      text: '您好，我今天早上收到异地登录提醒，但不是我本人操作，请尽快处理。',
    });
    client.close();
    expect(info.response).toMatch(/^250 accepted as Q-/);
    await owner.goto(`${server.url}/inquiries`);
    const item = owner.getByTestId('inbox-item').first();
    await item.waitFor();
    expect(await item.getByTestId('inquiry-channel').getAttribute('data-channel')).toBe('email');
    expect(await item.getByTestId('inquiry-channel').textContent()).toBe('Email');
  });

  it('escalates the overdue email inquiry and pages the owner for the callback and the VIP SLA', async () => {
    const app = server.running.app;
    const assign = await injectAs(app, owner, 'POST', `/api/v1/incidents/${incidentKey}/owners/assign`, {
      customerNos: ['K3001'],
    });
    // Customer service assigns owners (owner.assign): the customer goes to the pool's owner.
    expect(assign.statusCode, assign.body).toBe(200);
    const s = server.running.services;
    const callback = await injectAs(
      app,
      owner,
      'POST',
      `/api/v1/incidents/${incidentKey}/owners/${customerId}/callbacks`,
      {
        at: new Date(Date.now() + offsetMs + HOUR).toISOString(),
        note: 'call back once the accounts are frozen',
      },
    );
    expect(callback.statusCode, callback.body).toBe(201);

    offsetMs = 8 * HOUR + 60_000; // past the VIP SLA (2 h), the callback (1 h) and the email SLA (8 h)
    const swept = await s.escalations.sweep();
    expect(swept).toMatchObject({ inquiries: 1, ownerSla: 1, callbacks: 1, failed: 0 });

    await owner.goto(`${server.url}/inquiries`);
    const item = owner.getByTestId('inbox-item').first();
    await item.getByTestId('inquiry-escalated').waitFor();
    expect(await item.getByTestId('inquiry-escalated').textContent()).toContain('Escalated to Wang Account Manager');
    await item.click();
    await owner.getByTestId('inquiry-detail').waitFor();
    await owner.screenshot({ path: `${OUT}/inbound-inbox-en.png`, fullPage: true });
    await ownerZh.goto(`${server.url}/inquiries`);
    await ownerZh.getByTestId('inbox-item').first().getByTestId('inquiry-escalated').waitFor();
    expect(await ownerZh.getByTestId('inquiry-channel').first().textContent()).toBe('电子邮件');
    await ownerZh.getByTestId('inbox-item').first().click();
    await ownerZh.getByTestId('inquiry-detail').waitFor();
    await ownerZh.screenshot({ path: `${OUT}/inbound-inbox-zh.png`, fullPage: true });
  });

  it("shows the pages that went out on the owner's worklist", async () => {
    await owner.goto(`${server.url}/worklist`);
    const item = owner.locator('[data-testid="worklist-item"][data-customer="K3001"]');
    await item.getByTestId('owner-escalations').waitFor();
    const kinds = await item
      .getByTestId('owner-escalation')
      .evaluateAll((els) => els.map((e) => e.getAttribute('data-kind')));
    // The email came from no known customer: its escalation is on the inbox, not on this customer's case.
    expect(kinds.sort()).toEqual(['callback', 'owner_sla']);
    expect(await item.getByTestId('owner-escalations').textContent()).toContain('Owner paged: promised callback due');
    await owner.screenshot({ path: `${OUT}/inbound-worklist-en.png`, fullPage: true });
    await ownerZh.goto(`${server.url}/worklist`);
    const zh = ownerZh.locator('[data-testid="worklist-item"][data-customer="K3001"]');
    await zh.getByTestId('owner-escalations').waitFor();
    expect(await zh.getByTestId('owner-escalations').textContent()).toContain('已呼叫负责人：约定回访已到时间');
    await ownerZh.screenshot({ path: `${OUT}/inbound-worklist-zh.png`, fullPage: true });
    expect(errors).toEqual([]);
  });
});
