/**
 * Customer campaigns in a real browser against a real server (role all: the sender runs): in the war
 * room's "Customer notices" card a campaign is created from the approved customer notice for three
 * pasted customer numbers, without quiet hours; its page previews one customer's message; Launch asks
 * for confirmation; the live counts move to sent as the notify gateway stand-in (in this process)
 * accepts each message once, and the per-customer list shows each customer masked as sent. Screenshots to .tmp/screens/campaign-*.png (en and zh-CN).
 * Needs the built console and Chromium (test/e2e/browser.ts).
 */
import fs from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { notifyGateway, type NotifyStandIn } from '../../src/server/sandbox/notify.js';
import { approvedNotice, seedCustomers } from '../helpers/campaigns.js';
import { buildIncident } from '../helpers/fixtures.js';
import { startTestServer } from '../helpers/server.js';
import {
  assertBrowserReady,
  launchBrowser,
  newContext,
  pickOption,
  signIn,
  skipBrowserSuite,
  watchErrors,
} from './browser.js';

type Server = Awaited<ReturnType<typeof startTestServer>>;

const OUT = '.tmp/screens';
const SECRET = 'notify-gateway-secret-of-the-browser';

describe.skipIf(skipBrowserSuite())('customer campaigns (browser)', () => {
  let server: Server;
  let gw: NotifyStandIn;
  let browser: Browser;
  let en: Page;
  let zh: Page;
  let errors: string[] = [];
  let incidentKey = '';

  beforeAll(async () => {
    assertBrowserReady();
    fs.mkdirSync(OUT, { recursive: true });
    gw = notifyGateway(SECRET);
    const url = await gw.listen(0);
    server = await startTestServer({
      env: {
        TOCSIN_NOTIFY_GATEWAY_URL: url,
        TOCSIN_NOTIFY_GATEWAY_SECRET: SECRET,
        TOCSIN_PROBE_ALLOW_LOOPBACK: 'true',
      },
    });
    const s = server.running.services;
    const incident = await buildIncident(s, {
      title: 'Online trading interrupted',
      category: 'equipment_failure',
      grade: 'III',
    });
    incidentKey = incident.key;
    await approvedNotice(s, incident.id);
    await seedCustomers(s, [
      { customerNo: 'E001', name: '张三', phone: '13900000001' },
      { customerNo: 'E002', name: 'Alice Lee', language: 'en', phone: '13900000002', tier: 'vip' },
      { customerNo: 'E003', name: '李四', phone: '13900000003' },
    ]);
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
    await gw?.close();
  });

  it('creates, previews and launches a campaign; the counts move to sent', async () => {
    await en.goto(`${server.url}/incidents/${incidentKey}`);
    await en.getByTestId('campaigns-card').waitFor();
    await en.getByTestId('campaign-new').click();
    await pickOption(en, 'campaign-notice', '{{ incidentKey }}: online trading restored');
    await en.getByTestId('campaign-name').fill('Trading restored');
    await en.getByTestId('campaign-customer-nos').fill('E001, E002\nE003');
    await en.getByTestId('campaign-quiet').click({ force: true });
    await en.screenshot({ path: `${OUT}/campaign-form-en.png`, fullPage: true });
    await en.getByTestId('campaign-create').click();
    await en.locator('[data-testid="campaign-page"][data-state="draft"]').waitFor();

    await en.getByTestId('campaign-preview-no').fill('E002');
    await en.getByTestId('campaign-preview').click();
    await expect.poll(() => en.getByTestId('campaign-preview-text').textContent()).toContain('Dear Alice Lee (E002)');
    // An SMS has no subject line: the title is shown once, as the text's first line.
    expect(await en.getByTestId('campaign-preview-subject').count()).toBe(0);
    const shown = (await en.getByTestId('campaign-preview-text').textContent()) ?? '';
    expect(shown.split('online trading restored')).toHaveLength(2);

    await en.getByTestId('campaign-launch').click();
    await en.getByTestId('campaign-launch-confirm').click();
    const sent = en.locator('[data-testid="campaign-counts-total"] td[data-state="sent"]');
    await expect.poll(() => sent.getAttribute('data-n'), { timeout: 20_000 }).toBe('3');
    await en.locator('[data-testid="campaign-page"][data-state="done"]').waitFor({ timeout: 20_000 });
    expect(gw.messages.map((m) => m.to).sort()).toEqual(['13900000001', '13900000002', '13900000003']);
    expect([...gw.accepted.values()]).toEqual([1, 1, 1]);
    // The message of each customer: masked contact, language, status.
    const rows = en.locator('[data-testid="campaign-message"][data-status="sent"]');
    await expect.poll(() => rows.count(), { timeout: 10_000 }).toBe(3);
    const table = (await en.getByTestId('campaign-messages').textContent()) ?? '';
    expect(table).toContain('E002 · Alice Lee');
    expect(table).toContain('139****0002');
    expect(table).not.toContain('13900000002');
    await en.screenshot({ path: `${OUT}/campaign-page-en.png`, fullPage: true });

    await zh.goto(en.url());
    await zh.locator('[data-testid="campaign-page"][data-state="done"]').waitFor();
    await zh.getByTestId('campaign-preview-no').fill('E001');
    await zh.getByTestId('campaign-preview').click();
    await expect.poll(() => zh.getByTestId('campaign-preview-text').textContent()).toContain('尊敬的张三');
    await zh.screenshot({ path: `${OUT}/campaign-page-zh.png`, fullPage: true });
    await zh.goto(`${server.url}/incidents/${incidentKey}`);
    await zh.getByTestId('campaign-link').waitFor();
    await zh.getByTestId('campaigns-card').screenshot({ path: `${OUT}/campaign-card-zh.png` });
    expect(errors).toEqual([]);
  }, 90_000);
});
