/**
 * A customer accepts a compensation offer on the public portal in a real browser (zh-CN, phone-sized,
 * signed out) against a real server whose worker sends through the notify gateway stand-in: the customer
 * enters the claim's reference, reads the one-time code from the text message, sees the offer in Chinese
 * (amount in yuan, basis, the masked phone) and accepts it; the claim is accepted with the portal
 * channel, the time and the browser's address, and the acceptance receipt arrives by SMS. No page error
 * (the pages carry no inline script or style under the CSP). Screenshots: .tmp/screens/compensation-code-zh.png,
 * compensation-offer-zh.png, compensation-accepted-zh.png. Needs Chromium (test/e2e/browser.ts).
 */
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
const SECRET = 'notify-gateway-secret-of-the-portal-browser-test';
const MOBILE = '13800138000';

describe.skipIf(skipBrowserSuite())('compensation offer accepted on the portal (browser)', () => {
  let server: Server;
  let gw: NotifyStandIn;
  let browser: Browser;
  let customer: Page;
  let errors: string[] = [];
  let claimId = '';
  let ref = '';

  beforeAll(async () => {
    assertBrowserReady();
    fs.mkdirSync(OUT, { recursive: true });
    gw = notifyGateway(SECRET);
    const gwUrl = await gw.listen(0);
    // The server's clock at 10:00 in Shanghai: SMS notices wait out the firm's quiet hours (22:00-08:00),
    // so at the wall clock's night the acceptance receipt would not be sent during the test.
    const shanghaiHour = (new Date().getUTCHours() + 8) % 24;
    const offsetMs = ((10 - shanghaiHour + 24) % 24) * 3_600_000;
    server = await startTestServer({
      env: {
        TOCSIN_NOTIFY_GATEWAY_URL: gwUrl,
        TOCSIN_NOTIFY_GATEWAY_SECRET: SECRET,
        TOCSIN_PROBE_ALLOW_LOOPBACK: 'true',
      },
      serve: { clock: { now: () => Date.now() + offsetMs } },
    });
    const s = server.running.services;
    const admin = (await s.users.byEmail(server.adminEmail))!;
    const p = { user: admin, via: 'cli' as const, scopes: null, restrictedTo: null };
    const incident = await buildIncident(s, { title: 'Market data outage: orders rejected', grade: 'II' });
    await seedCustomers(s, [{ customerNo: 'E2E-1', name: '王女士', phone: MOBILE }]);
    const said = { ip: null };
    const claim = await s.compensation.claims.create(
      p,
      incident.key,
      { customerNo: 'E2E-1', source: 'owner', claimedMinor: 200_000, description: '委托被拒', channel: 'phone' },
      said,
    );
    claimId = claim.id;
    ref = claim.ref;
    await s.compensation.claims.startAssessment(p, claimId, undefined, said);
    await s.compensation.claims.offer(
      p,
      claimId,
      { amountMinor: 123_456, reason: '价差', basis: 'price_diff', channel: 'console' },
      said,
    );
    browser = await launchBrowser();
    customer = await (await newContext(browser, { locale: 'zh-CN', viewport: PHONE })).newPage();
    errors = watchErrors(customer);
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    await gw?.close();
  });

  it('the customer enters the reference and the texted code, reads the offer in Chinese and accepts it', async () => {
    await customer.goto(`${server.url}/status/compensation`);
    await expect.poll(() => customer.locator('h1').textContent()).toBe('您的补偿方案');
    await customer.getByLabel('补偿编号').fill(ref);
    await customer.getByRole('button', { name: '发送验证码' }).click();
    await customer.getByRole('heading', { name: '输入短信验证码' }).waitFor();
    // The code arrives by text message to the phone on file (the stand-in gateway).
    const codeSms = () => gw.messages.find((m) => m.to === MOBILE && m.idempotencyKey.startsWith('compensation-code:'));
    await expect.poll(codeSms, { timeout: 10_000 }).toBeTruthy();
    const sms = codeSms()!;
    const code = /\b(\d{6})\b/.exec(sms.text)![1]!;
    expect(await customer.content()).not.toContain(MOBILE);
    await customer.screenshot({ path: `${OUT}/compensation-code-zh.png`, fullPage: true });
    await customer.getByLabel('短信验证码').fill(code);
    await customer.getByRole('button', { name: '查看补偿方案' }).click();

    await customer.locator('#amount').waitFor();
    expect(await customer.locator('#amount').textContent()).toBe('1,234.56 元');
    expect(await customer.locator('#basis').textContent()).toBe('故障期间委托未能成交造成的价差损失');
    expect(await customer.locator('#status').textContent()).toBe('待您答复');
    expect(await customer.locator('#offer').textContent()).toContain('138****8000');
    await customer.screenshot({ path: `${OUT}/compensation-offer-zh.png`, fullPage: true });

    await customer.getByRole('button', { name: '接受', exact: true }).click();
    await customer.locator('#notice').waitFor();
    expect(await customer.locator('#notice').textContent()).toContain('您已接受补偿方案');
    expect(await customer.locator('#status').textContent()).toBe('您已接受');
    expect(await customer.locator('#accept').count()).toBe(0);
    await customer.screenshot({ path: `${OUT}/compensation-accepted-zh.png`, fullPage: true });

    const s = server.running.services;
    const row = await s.store.db
      .selectFrom('compensation_claims')
      .selectAll()
      .where('id', '=', claimId)
      .executeTakeFirstOrThrow();
    expect(row.status).toBe('accepted');
    expect(row.accepted_channel).toBe('portal');
    expect(row.accepted_ip).toMatch(/127\.0\.0\.1/);
    expect(row.accepted_at).not.toBeNull();
    const events = await s.store.db
      .selectFrom('compensation_claim_events')
      .selectAll()
      .where('claim_id', '=', claimId)
      .orderBy('id')
      .execute();
    expect(events.at(-1)).toMatchObject({ kind: 'accept', speaker: 'customer', channel: 'portal', user_id: null });
    // The worker sends the acceptance receipt.
    await expect
      .poll(() => gw.messages.some((m) => m.to === MOBILE && m.text.includes(`补偿 ${ref} 已于`)), { timeout: 15_000 })
      .toBe(true);
    expect(errors).toEqual([]);
  });
});
