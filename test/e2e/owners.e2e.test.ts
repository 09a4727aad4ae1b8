/**
 * Customer owners in a real browser against a real server: the administrator assigns owners from
 * customer numbers on the war room's "Customer owners" card; the owner (another user, own browser
 * context) sees the customer in "My worklist" with a red SLA badge once the server's clock has passed
 * the VIP SLA, logs a reached call with the quick form, and the badge turns to "Reached". Screenshots
 * go to .tmp/screens/owners-*.png (en and zh-CN). Needs the built console and Chromium (test/e2e/browser.ts).
 */
import fs from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertCustomer } from '../helpers/customers.js';
import { buildIncident } from '../helpers/fixtures.js';
import { startTestServer } from '../helpers/server.js';
import { assertBrowserReady, launchBrowser, newContext, signIn, skipBrowserSuite, watchErrors } from './browser.js';

type Server = Awaited<ReturnType<typeof startTestServer>>;

const OUT = '.tmp/screens';
const SYSTEM = { id: null, label: 'test' };
const OWNER_EMAIL = 'am.li@bank.example';

describe.skipIf(skipBrowserSuite())('customer owners (browser)', () => {
  let server: Server;
  let browser: Browser;
  let admin: Page;
  let owner: Page;
  let ownerZh: Page;
  let errors: string[] = [];
  let incidentKey = '';
  /** The server's clock runs with the wall clock, moved on by this much. */
  let offsetMs = 0;

  beforeAll(async () => {
    assertBrowserReady();
    fs.mkdirSync(OUT, { recursive: true });
    server = await startTestServer({ serve: { clock: { now: () => Date.now() + offsetMs } } });
    const s = server.running.services;
    await s.users.create(SYSTEM, {
      email: OWNER_EMAIL,
      name: 'Li Account Manager',
      role: 'customer_service',
      password: server.adminPassword,
    });
    await insertCustomer(s, 'K1001', { tier: 'vip', branch: 'Shanghai', am: 'AM.Li@bank.example' });
    await insertCustomer(s, 'K1002', { tier: 'standard', am: OWNER_EMAIL });
    incidentKey = (
      await buildIncident(s, {
        title: 'Account takeover of trading accounts',
        category: 'network_attack',
        grade: 'III',
      })
    ).key;
    browser = await launchBrowser();
    admin = await (await newContext(browser, { locale: 'en-US', viewport: { width: 1366, height: 900 } })).newPage();
    owner = await (await newContext(browser, { locale: 'en-US', viewport: { width: 1366, height: 900 } })).newPage();
    ownerZh = await (await newContext(browser, { locale: 'zh-CN', viewport: { width: 1366, height: 900 } })).newPage();
    errors = watchErrors(owner);
    await signIn(admin, server.url, server.adminEmail, server.adminPassword);
    await signIn(owner, server.url, OWNER_EMAIL, server.adminPassword);
    await signIn(ownerZh, server.url, OWNER_EMAIL, server.adminPassword);
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('assigns owners from customer numbers on the war room card', async () => {
    await admin.goto(`${server.url}/incidents/${incidentKey}`);
    const card = admin.getByTestId('owners-card');
    await card.getByTestId('owners-assign-nos').fill('K1001, K1002 K404');
    await card.getByTestId('owners-assign-go').click();
    await expect
      .poll(() => card.getByTestId('owners-assign-result').textContent())
      .toContain('2 assigned, 0 kept their owner, 1 unknown');
    await card.locator('[data-testid="owners-item"][data-customer="K1001"]').waitFor();
    expect(await card.getByTestId('owners-per-owner').textContent()).toContain('Li Account Manager');
    await card.screenshot({ path: `${OUT}/owners-card-en.png` });
  });

  it('sets a branch pool from the pools section', async () => {
    await admin.goto(`${server.url}/worklist`);
    const pools = admin.getByTestId('owner-pools');
    await pools.getByRole('textbox', { name: 'Branch or tier' }).fill('Shanghai');
    await pools.getByRole('textbox', { name: /Members/ }).click();
    await admin.getByRole('option', { name: 'Li Account Manager', exact: true }).click();
    await pools.getByRole('button', { name: 'Save pool' }).click();
    await expect.poll(() => pools.locator('table').textContent()).toContain('Li Account Manager');
    await pools.screenshot({ path: `${OUT}/owners-pools-en.png` });
  });

  it('shows the customer in the owner’s worklist, overdue past the VIP SLA, and clears it with a reached call', async () => {
    offsetMs = 2 * 3_600_000 + 60_000; // past the VIP SLA (2 h)
    await owner.goto(`${server.url}/worklist`);
    const item = owner.locator('[data-testid="worklist-item"][data-customer="K1001"]');
    await item.waitFor();
    // Overdue first, with its masked contacts.
    expect(await owner.getByTestId('worklist-item').first().getAttribute('data-customer')).toBe('K1001');
    expect(await item.getByTestId('sla-badge').getAttribute('data-sla')).toBe('overdue');
    expect(await item.textContent()).toContain('138****1234');
    await owner.screenshot({ path: `${OUT}/owners-worklist-en.png`, fullPage: true });

    await ownerZh.goto(`${server.url}/worklist`);
    await ownerZh.locator('[data-testid="worklist-item"][data-customer="K1001"]').waitFor();
    expect(await ownerZh.getByTestId('worklist').getByRole('heading', { level: 2 }).textContent()).toBe('我的客户');
    await ownerZh.screenshot({ path: `${OUT}/owners-worklist-zh.png`, fullPage: true });

    // The overdue case opens by itself; the quick form's defaults are a reached call.
    await item.getByTestId('owner-contact-form').locator('input').last().fill('Customer worried about their funds');
    await item.getByTestId('owner-contact-log').click();
    await expect.poll(() => item.getByTestId('sla-badge').getAttribute('data-sla')).toBe('contacted');
    await item.locator('[data-testid="owner-activity"][data-kind="contact"]').waitFor();
    await owner.screenshot({ path: `${OUT}/owners-worklist-reached-en.png`, fullPage: true });
    expect(errors).toEqual([]);
  });
});
