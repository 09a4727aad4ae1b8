/**
 * A customer files a compensation claim with a file on the public portal in a real browser (English,
 * phone-sized, signed out) against a real server sending through the notify gateway stand-in: staff have
 * opened the incident to claims; the customer picks it, gives their customer number and mobile number,
 * reads the code from the text message, describes the loss, names an amount, attaches a screenshot and
 * files; the receipt page shows the reference, which the SMS receipt repeats; the claim is proposed, from
 * the portal, with the file kept by its SHA-256. The Chinese start page is looked at too. No page error
 * (no inline script or style under the CSP). Screenshots: .tmp/screens/compensation-file-*.png.
 * Needs Chromium (test/e2e/browser.ts).
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { notifyGateway, type NotifyStandIn } from '../../src/server/sandbox/notify.js';
import { seedCustomers } from '../helpers/campaigns.js';
import { buildIncident } from '../helpers/fixtures.js';
import { startTestServer } from '../helpers/server.js';
import { assertBrowserReady, launchBrowser, newContext, skipBrowserSuite, watchErrors } from './browser.js';

type Server = Awaited<ReturnType<typeof startTestServer>>;

const OUT = '.tmp/screens';
const PHONE = { width: 390, height: 844 };
const SECRET = 'notify-gateway-secret-of-the-filing-browser-test';
const MOBILE = '13700137000';
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==',
  'base64',
);

describe.skipIf(skipBrowserSuite())('compensation claim filed on the portal (browser)', () => {
  let server: Server;
  let gw: NotifyStandIn;
  let browser: Browser;
  let customer: Page;
  let errors: string[] = [];
  let incidentId = '';

  beforeAll(async () => {
    assertBrowserReady();
    fs.mkdirSync(OUT, { recursive: true });
    gw = notifyGateway(SECRET);
    const gwUrl = await gw.listen(0);
    server = await startTestServer({
      env: {
        TOCSIN_NOTIFY_GATEWAY_URL: gwUrl,
        TOCSIN_NOTIFY_GATEWAY_SECRET: SECRET,
        TOCSIN_PROBE_ALLOW_LOOPBACK: 'true',
      },
    });
    const s = server.running.services;
    const admin = (await s.users.byEmail(server.adminEmail))!;
    const p = { user: admin, via: 'cli' as const, scopes: null, restrictedTo: null };
    const incident = await buildIncident(s, { title: 'Trading app outage at the open', grade: 'II' });
    incidentId = incident.id;
    await seedCustomers(s, [{ customerNo: 'E2E-F1', name: 'Ms Chen', phone: MOBILE, language: 'en' }]);
    await s.compensation.openings.set(p, incident.key, {
      open: true,
      titleZh: '12月4日开盘交易系统故障',
      titleEn: 'Trading outage at the open on 4 December',
    });
    browser = await launchBrowser();
    customer = await (await newContext(browser, { locale: 'en-US', viewport: PHONE })).newPage();
    errors = watchErrors(customer);
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    await gw?.close();
  });

  it('the Chinese start page lists the incident and asks who the customer is', async () => {
    const zh = await (await newContext(browser, { locale: 'zh-CN', viewport: PHONE })).newPage();
    const zhErrors = watchErrors(zh);
    await zh.goto(`${server.url}/status/compensation`);
    await zh.getByRole('link', { name: '提交补偿申请' }).click();
    await expect.poll(() => zh.locator('h1').textContent()).toBe('提交补偿申请');
    expect(await zh.getByLabel('12月4日开盘交易系统故障').isChecked()).toBe(true);
    await zh.getByLabel('客户号或资金账号').waitFor();
    await zh.screenshot({ path: `${OUT}/compensation-file-start-zh.png`, fullPage: true });
    expect(zhErrors).toEqual([]);
  });

  it('the customer files a claim with a screenshot in English and gets the reference on the page and by SMS', async () => {
    await customer.goto(`${server.url}/status/compensation/file?lang=en`);
    await expect.poll(() => customer.locator('h1').textContent()).toBe('File a compensation claim');
    await customer.getByLabel('Customer number or funds account number').fill('E2E-F1');
    await customer.getByLabel('Mobile number on file').fill('+86 137 0013 7000');
    await customer.getByRole('button', { name: 'Send the code' }).click();
    await customer.getByRole('heading', { name: 'Enter the code we texted you' }).waitFor();
    const codeSms = () =>
      gw.messages.find((m) => m.to === MOBILE && m.idempotencyKey.startsWith('compensation-filing-code:'));
    await expect.poll(codeSms, { timeout: 10_000 }).toBeTruthy();
    expect(codeSms()!.text).toContain('Your code to file a compensation claim is');
    await customer.getByLabel('Code').fill(/\b(\d{6})\b/.exec(codeSms()!.text)![1]!);
    await customer.getByRole('button', { name: 'Continue' }).click();

    await customer.getByRole('heading', { name: 'Describe your loss' }).waitFor();
    expect(await customer.locator('#incident').textContent()).toBe('Trading outage at the open on 4 December');
    await customer
      .getByLabel('What happened, and what you lost')
      .fill('My buy order for 600000 was rejected at 09:31.');
    await customer.getByLabel('The loss you see (yuan, optional)').fill('2,500.00');
    await customer
      .getByLabel('Supporting files (optional)')
      .setInputFiles({ name: 'rejected-order.png', mimeType: 'image/png', buffer: PNG });
    await customer.screenshot({ path: `${OUT}/compensation-file-form-en.png`, fullPage: true });
    await customer.getByRole('button', { name: 'File my claim' }).click();

    await customer.getByRole('heading', { name: 'We have your claim' }).waitFor();
    const ref = (await customer.locator('#ref').textContent())!;
    expect(ref).toMatch(/^CMP-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}$/);
    expect(await customer.locator('#receipt').textContent()).toContain(`Your reference is ${ref}`);
    await customer.screenshot({ path: `${OUT}/compensation-file-done-en.png`, fullPage: true });
    await expect
      .poll(
        () =>
          gw.messages.some(
            (m) => m.to === MOBILE && m.idempotencyKey.startsWith('compensation-filed:') && m.text.includes(ref),
          ),
        {
          timeout: 10_000,
        },
      )
      .toBe(true);

    const db = server.running.services.store.db;
    const claim = await db
      .selectFrom('compensation_claims')
      .selectAll()
      .where('ref', '=', ref)
      .executeTakeFirstOrThrow();
    expect(claim).toMatchObject({ incident_id: incidentId, source: 'portal', status: 'proposed' });
    expect(Number(claim.claimed_minor)).toBe(250_000);
    const files = await db
      .selectFrom('compensation_attachments')
      .selectAll()
      .where('claim_id', '=', claim.id)
      .execute();
    expect(files.map((f) => [f.file_name, f.media_type, f.sha256])).toEqual([
      ['rejected-order.png', 'image/png', createHash('sha256').update(PNG).digest('hex')],
    ]);
    expect(errors).toEqual([]);
  });
});
