/**
 * Impact scoping in a real browser against a real server: in the war room's "Affected customers", a set
 * built from account activity (a /24 in the last hours) lists its customers with their reasons; refined
 * to two addresses it becomes version 2, and the diff shows who came in and who dropped out; the
 * incident's customers affected follows. Screenshots .tmp/screens/scoping-*.png (en and zh-CN).
 * Needs the built console and Chromium (test/e2e/browser.ts).
 */
import fs from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertCustomers } from '../helpers/customers.js';
import { buildIncident } from '../helpers/fixtures.js';
import { startTestServer } from '../helpers/server.js';
import { assertBrowserReady, launchBrowser, newContext, signIn, skipBrowserSuite, watchErrors } from './browser.js';

type Server = Awaited<ReturnType<typeof startTestServer>>;

const OUT = '.tmp/screens';
const SYSTEM = { id: null, label: 'test' };

describe.skipIf(skipBrowserSuite())('affected customers (browser)', () => {
  let server: Server;
  let browser: Browser;
  let en: Page;
  let zh: Page;
  let errors: string[] = [];
  let incidentKey = '';

  beforeAll(async () => {
    assertBrowserReady();
    fs.mkdirSync(OUT, { recursive: true });
    server = await startTestServer();
    const s = server.running.services;
    await insertCustomers(s.store, [
      {
        customerNo: 'C001',
        name: '张三',
        branch: 'Shanghai',
        tier: 'vip',
        phoneMasked: '138****0001',
        accounts: ['A001'],
      },
      {
        customerNo: 'C002',
        name: 'Li Si',
        branch: 'Beijing',
        tier: 'standard',
        phoneMasked: '139****0002',
        accounts: ['A002'],
      },
      { customerNo: 'C003', name: '王五', branch: 'Shenzhen', tier: 'gold', accounts: ['A003'] },
    ]);
    const at = (minAgo: number) => new Date(Date.now() - minAgo * 60_000).toISOString();
    const csv = [
      'time,account,ip,action,outcome',
      `${at(50)},A001,203.0.113.7,login,failure`,
      `${at(49)},A002,203.0.113.7,login,failure`,
      `${at(48)},A003,203.0.113.8,login,failure`,
      `${at(47)},A009,203.0.113.7,login,failure`,
      `${at(30)},A002,198.51.100.9,login,success`,
      `${at(29)},A010,198.51.100.9,transfer,success`,
    ].join('\n');
    const r = await s.scoping.activity.importExtract(SYSTEM, 'core-login.csv', csv, 'csv');
    expect(r.accepted).toBe(6);
    incidentKey = (
      await buildIncident(s, {
        title: 'Credential stuffing on the trading login',
        category: 'network_attack',
        grade: 'III',
      })
    ).key;
    browser = await launchBrowser();
    en = await (await newContext(browser, { locale: 'en-US', viewport: { width: 1366, height: 900 } })).newPage();
    zh = await (await newContext(browser, { locale: 'zh-CN', viewport: { width: 1366, height: 900 } })).newPage();
    errors = watchErrors(en);
    await signIn(en, server.url, server.adminEmail, server.adminPassword);
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  const localIn = (page: Page, ms: number) =>
    page.evaluate((delta) => {
      const d = new Date(Date.now() + delta);
      const pad = (n: number) => String(n).padStart(2, '0');
      return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
    }, ms);
  const accounts = async (page: Page, testId: string) =>
    (await page.getByTestId(testId).locator('[data-testid="member-row"] td:nth-child(3)').allTextContents()).sort();

  it('builds a set from activity, refines it, and shows the difference', { timeout: 90_000 }, async () => {
    await en.goto(`${server.url}/incidents/${incidentKey}`);
    await en.getByTestId('scope-empty').waitFor();
    await en.getByTestId('scope-new').click();
    await en.getByTestId('scope-name').fill('Stuffing victims');
    await en.getByTestId('scope-ips').fill('203.0.113.0/24');
    await en.getByTestId('scope-from').fill(await localIn(en, -3 * 3600_000));
    await en.getByTestId('scope-to').fill(await localIn(en, 3600_000));
    const json = JSON.parse((await en.getByTestId('scope-json').textContent()) ?? '{}');
    expect(json.sources).toMatchObject([{ kind: 'activity', ips: ['203.0.113.0/24'] }]);
    await en.mouse.move(0, 0);
    await en.screenshot({ path: `${OUT}/scoping-builder-en.png` });
    await en.getByTestId('scope-evaluate').click();
    await expect.poll(() => accounts(en, 'scope-members')).toEqual(['A001', 'A002', 'A003', 'A009']);
    const a001 = en.getByTestId('scope-members').locator('[data-testid="member-row"]', { hasText: 'A001' });
    expect(await a001.textContent()).toMatch(
      /张三.*C001.*Shanghai · vip.*138\*\*\*\*0001.*Login from 203\.0\.113\.7 at .*, failure/,
    );
    expect(await en.getByTestId('scope-count').textContent()).toBe('4 customers');

    await en.getByTestId('scope-refine').click();
    await en.getByTestId('scope-ips').fill('203.0.113.7\n198.51.100.9');
    await en.getByTestId('scope-evaluate').click();
    await expect.poll(() => accounts(en, 'scope-members')).toEqual(['A001', 'A002', 'A009', 'A010']);
    expect(await en.getByTestId('scope-set').getAttribute('data-version')).toBe('2');
    await en.getByTestId('diff-added-count').waitFor();
    expect(await en.getByTestId('diff-added-count').textContent()).toBe('1 added');
    expect(await en.getByTestId('diff-removed-count').textContent()).toBe('1 removed');
    expect(await accounts(en, 'diff-added')).toEqual(['A010']);
    expect(await accounts(en, 'diff-removed')).toEqual(['A003']);
    // The incident's customers affected is the set's count.
    const incident = await server.running.services.incidents.loadVisible(
      server.running.services.store.db,
      { user: { id: 'x', role: 'admin' }, via: 'cli', scopes: null, restrictedTo: null } as never,
      incidentKey,
    );
    expect(incident.impact.customersAffected).toBe(4);
    await en.mouse.move(0, 0);
    await en.getByTestId('affected-customers').screenshot({ path: `${OUT}/scoping-set-en.png` });
    expect(errors).toEqual([]);
  });

  it('shows the same in Chinese', { timeout: 60_000 }, async () => {
    const zhErrors = watchErrors(zh);
    await signIn(zh, `${server.url}/incidents/${incidentKey}`, server.adminEmail, server.adminPassword);
    await zh.getByTestId('scope-members').waitFor();
    expect(await zh.getByTestId('affected-customers').locator('h4').first().textContent()).toBe('受影响客户');
    expect(await zh.getByTestId('scope-count').textContent()).toBe('4 位客户');
    await zh.getByTestId('diff-added-count').waitFor();
    expect(await zh.getByTestId('diff-added-count').textContent()).toBe('新增 1 位');
    await zh.mouse.move(0, 0);
    await zh.getByTestId('affected-customers').screenshot({ path: `${OUT}/scoping-set-zh.png` });
    await zh.getByTestId('scope-refine').click();
    await zh.getByTestId('scope-builder').waitFor();
    await zh.screenshot({ path: `${OUT}/scoping-builder-zh.png` });
    expect(zhErrors).toEqual([]);
  });
});
