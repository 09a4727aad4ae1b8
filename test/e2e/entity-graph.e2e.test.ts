/**
 * The entity graph in a real browser (issue 15): an account takeover's alert (the attacker's address
 * logging into two accounts from one emulator) with account activity beside it. From the war room's link
 * the graph page shows the attacker's address on the canvas and in the table; clicking it and "Expand"
 * adds the account that used the address days before (the table grows). In Chinese (dark theme) the page reads
 * 实体关系图 and expands with 展开. Screenshots in .tmp/screens. Needs Chromium (test/e2e/browser.ts).
 */
import { mkdirSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer } from '../helpers/server.js';
import { assertBrowserReady, launchBrowser, newContext, signIn, skipBrowserSuite, watchErrors } from './browser.js';

type Server = Awaited<ReturnType<typeof startTestServer>>;
const OUT = '.tmp/screens';
const ATTACKER = '203.0.113.66';

describe.skipIf(skipBrowserSuite())('entity graph (browser)', () => {
  let server: Server;
  let browser: Browser;
  let key = '';

  beforeAll(async () => {
    assertBrowserReady();
    mkdirSync(OUT, { recursive: true });
    server = await startTestServer({ serve: { jobRunner: false } });
    browser = await launchBrowser();
    const s = server.running.services;
    const admin = (await s.users.byEmail(server.adminEmail))!;
    const p = { user: admin, via: 'cli' as const, scopes: null, restrictedTo: null };
    const now = s.clock.now();
    const ev = (i: number, fields: Record<string, unknown>) => ({
      id: `e2e-graph-${i}`,
      time: now - 40 * 60_000 + i * 60_000,
      source: 'trading-frontend',
      logsource: { product: 'trading', service: 'auth' },
      fields,
    });
    const [raised] = await s.alerts.raise([
      {
        ruleId: 'e2e-graph-takeover',
        ruleTitle: 'Account takeover from one address',
        level: 'critical',
        tags: [],
        kind: 'detection',
        time: now - 30 * 60_000,
        events: [
          ev(0, { user: 'A30000001', src_ip: ATTACKER, event: 'login', outcome: 'success', device_id: 'emu-9' }),
          ev(1, { user: 'A30000002', src_ip: ATTACKER, event: 'login', outcome: 'success', device_id: 'emu-9' }),
          ev(2, { user: 'A30000001', src_ip: '198.51.100.7', event: 'transfer', hostname: 'trade-gw-01' }),
        ],
      },
    ]);
    key = raised!.incidentKey!;
    const rows = [
      {
        time: now - 3 * 86_400_000,
        account: 'A30000009',
        ip: ATTACKER,
        device: 'pc-77',
        action: 'login',
        outcome: 'success',
      },
    ];
    await s.scoping.activity.importBody(
      p,
      'e2e-graph.ndjson',
      Buffer.from(rows.map((r) => JSON.stringify(r)).join('\n')),
      'application/x-ndjson',
    );
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  const ipRow = (page: Page) => page.locator(`[data-testid="graph-node-row"][data-node="ip:${ATTACKER}"]`);
  const canvasNodes = async (page: Page) =>
    JSON.parse((await page.getByTestId('graph-canvas').getAttribute('data-nodes')) ?? '[]') as string[];

  it('shows the attacker’s address and expands it a hop, in English', { timeout: 60_000 }, async () => {
    const page: Page = await (
      await newContext(browser, { locale: 'en-US', viewport: { width: 1366, height: 900 } })
    ).newPage();
    const errors = watchErrors(page);
    await signIn(page, `${server.url}/incidents/${key}`, server.adminEmail, server.adminPassword);
    await page.getByTestId('warroom-graph-link').click();
    await page.getByTestId('entity-graph-page').waitFor();
    await ipRow(page).waitFor();
    await expect.poll(() => canvasNodes(page)).toContain(`ip:${ATTACKER}`);
    expect(await page.getByRole('heading', { name: 'Entity graph' }).count()).toBe(1);
    const before = await page.getByTestId('graph-node-row').count();
    expect(before).toBe(6); // two accounts, two addresses, the emulator, the host
    expect(await page.locator('[data-node="account:A30000009"]').count()).toBe(0);

    await ipRow(page).getByRole('button', { name: ATTACKER }).click();
    await expect.poll(() => page.getByTestId('graph-panel-value').textContent()).toBe(ATTACKER);
    await page.getByRole('button', { name: 'Expand' }).click();
    await page.getByTestId('graph-expanded').waitFor();
    await page.locator('[data-testid="graph-node-row"][data-node="account:A30000009"]').waitFor();
    expect(await page.getByTestId('graph-node-row').count()).toBeGreaterThan(before);
    await expect.poll(() => canvasNodes(page)).toContain('account:A30000009');
    expect(await page.getByTestId('graph-edges').textContent()).toContain('logged in from');
    await page.getByTestId('graph-fit').click();
    await page.screenshot({ path: `${OUT}/entity-graph-en.png`, fullPage: true });
    expect(errors).toEqual([]);
  });

  it('reads in Chinese and expands with 展开, in the dark theme', { timeout: 60_000 }, async () => {
    const page: Page = await (
      await newContext(browser, { locale: 'zh-CN', viewport: { width: 1366, height: 900 } })
    ).newPage();
    const errors = watchErrors(page);
    await signIn(page, server.url, server.adminEmail, server.adminPassword);
    await page.evaluate(() => localStorage.setItem('mantine-color-scheme-value', 'dark'));
    await page.goto(`${server.url}/incidents/${key}/graph`);
    await ipRow(page).waitFor();
    expect(await page.getByRole('heading', { name: '实体关系图' }).count()).toBe(1);
    await expect.poll(() => canvasNodes(page)).toContain(`ip:${ATTACKER}`);
    const before = await page.getByTestId('graph-node-row').count();
    await ipRow(page).getByRole('button', { name: ATTACKER }).click();
    await page.getByRole('button', { name: '展开' }).click();
    await page.locator('[data-testid="graph-node-row"][data-node="account:A30000009"]').waitFor();
    expect(await page.getByTestId('graph-node-row').count()).toBeGreaterThan(before);
    expect(await page.getByTestId('graph-edges').textContent()).toContain('登录自');
    expect(await page.locator('html').getAttribute('data-mantine-color-scheme')).toBe('dark');
    await page.screenshot({ path: `${OUT}/entity-graph-zh-CN-dark.png`, fullPage: true });
    expect(errors).toEqual([]);
  });
});
