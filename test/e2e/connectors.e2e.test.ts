/**
 * The Connectors page in a real browser against a real server: an administrator creates a firewall
 * connector to the sandbox firewall stand-in through the form built from the kind's JSON Schema (the
 * API key in a password field), sees the secret only as "set", tests the connection and sees the
 * result; a Chinese console names the page in Chinese. Screenshots in .tmp/screens. Needs the built
 * console and Chromium (test/e2e/browser.ts).
 */
import { mkdirSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { ActionRequestBody } from '../../src/shared/connector-schemas.js';
import { IncidentCreate } from '../../src/shared/incident-schemas.js';
import { type RunningSandbox, startSandbox } from '../../src/server/sandbox/index.js';
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
const API_KEY = 'fw-e2e-secret-31415';

describe.skipIf(skipBrowserSuite())('connectors (browser)', () => {
  let server: Server;
  let sandbox: RunningSandbox;
  let browser: Browser;
  let page: Page;
  let errors: string[] = [];

  beforeAll(async () => {
    assertBrowserReady();
    mkdirSync(OUT, { recursive: true });
    sandbox = await startSandbox();
    server = await startTestServer();
    browser = await launchBrowser();
    page = await (await newContext(browser, { locale: 'en-US' })).newPage();
    errors = watchErrors(page);
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    await sandbox?.stop();
  });

  it('an administrator adds a firewall connector and tests the connection', { timeout: 40_000 }, async () => {
    await signIn(page, server.url, server.adminEmail, server.adminPassword);
    await page.getByTestId('nav-connectors').click();
    await page.getByTestId('connectors-empty').waitFor();
    await page.getByTestId('connector-add').click();
    await pickOption(page, 'connector-kind', 'Firewall');
    await page.getByTestId('connector-name').fill('firewall');
    await page.getByTestId('connector-config-baseUrl').fill(sandbox.urls.firewall);
    const secret = page.getByTestId('connector-secrets-apiKey');
    expect(await secret.getAttribute('type')).toBe('password');
    await secret.fill(API_KEY);
    await page.screenshot({ path: `${OUT}/connector-form-en.png`, fullPage: true });
    await page.getByTestId('connector-submit').click();

    const row = page.locator('[data-testid="connector-row"][data-name="firewall"]');
    await row.waitFor();
    expect(await row.getByTestId('connector-secret-set').textContent()).toBe('apiKey: set');
    expect(await page.content()).not.toContain(API_KEY);

    await row.getByTestId('connector-test').click();
    const result = page.getByTestId('connector-test-result');
    await result.waitFor();
    expect(await result.getAttribute('data-ok')).toBe('true');
    expect(await result.textContent()).toContain('blocks in force');
    await page.screenshot({ path: `${OUT}/connectors-en.png`, fullPage: true });
    // Off and on again.
    await row.getByTestId('connector-enabled').click({ force: true });
    await row.locator('[data-testid="connector-enabled"]:not(:checked)').waitFor({ state: 'attached' });
    await row.getByTestId('connector-enabled').click({ force: true });
    await row.locator('[data-testid="connector-enabled"]:checked').waitFor({ state: 'attached' });
    const seen = sandbox.standIns.find((s) => s.name === 'firewall')!.requests;
    expect(seen.map((r) => [r.method, r.path, r.headers['x-api-key']])).toEqual([['GET', '/blocks', '[redacted]']]);

    // The same page in Chinese.
    const zh = await (await newContext(browser, { locale: 'zh-CN' })).newPage();
    const zhErrors = watchErrors(zh);
    await signIn(zh, server.url, server.adminEmail, server.adminPassword);
    await zh.getByTestId('nav-connectors').click();
    expect(await zh.getByTestId('nav-connectors').textContent()).toBe('连接器');
    await zh.locator('[data-testid="connector-row"][data-name="firewall"]').waitFor();
    expect(await zh.getByTestId('connector-secret-set').textContent()).toBe('apiKey：已设置');
    await zh.screenshot({ path: `${OUT}/connectors-zh.png`, fullPage: true });
    expect(zhErrors).toEqual([]);
    expect(errors).toEqual([]);
  });

  it("the war room words the action on its timeline in the reader's language", { timeout: 40_000 }, async () => {
    const s = server.running.services;
    const admin = (await s.users.byEmail(server.adminEmail))!;
    const principal = { user: admin, via: 'cli' as const, scopes: null, restrictedTo: null };
    const incident = await s.incidents.create(
      principal,
      IncidentCreate.parse({ title: 'Stuffing', category: 'other', grade: 'III' }),
    );
    await s.actions.requestForIncident(
      principal,
      incident.key,
      ActionRequestBody.parse({
        connector: 'firewall',
        action: 'block_ip',
        parameters: { ip: '203.0.113.50' },
      }),
    );
    const zh = await (await newContext(browser, { locale: 'zh-CN' })).newPage();
    await signIn(zh, `${server.url}/incidents/${incident.key}`, server.adminEmail, server.adminPassword);
    const done = zh.getByTestId('timeline-entry').filter({ hasText: '处置动作执行成功：firewall 封禁 IP' });
    await done.waitFor({ timeout: 15_000 }); // the job runner does it; the stream brings it
    await zh.screenshot({ path: `${OUT}/war-room-action-zh.png`, fullPage: true });
    const blocks = await fetch(`${sandbox.urls.firewall}/blocks`).then((r) => r.json());
    expect(blocks.blocks.map((b: { target: string }) => b.target)).toEqual(['203.0.113.50']);
  });
});
