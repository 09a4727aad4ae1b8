/**
 * Responding in the war room, in a real browser against a real server and the sandbox stand-ins: an
 * alert joins an incident a commander is watching, the bundled account-takeover plan starts by itself
 * and shows up live (tasks, roles, actions), the firewall block and the session revocation run, and the
 * transfer freeze waits until a second person approves it from another browser — which the first one
 * sees live. Screenshots in .tmp/screens (English and Chinese). Needs the built console and Chromium (test/e2e/browser.ts).
 */
import fs, { mkdirSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { IncidentCreate } from '../../src/shared/incident-schemas.js';
import { type RunningSandbox, startSandbox } from '../../src/server/sandbox/index.js';
import { buildUser, PASSWORD, SYSTEM } from '../helpers/fixtures.js';
import { startTestServer } from '../helpers/server.js';
import { assertBrowserReady, launchBrowser, newContext, signIn, skipBrowserSuite, watchErrors } from './browser.js';

type Server = Awaited<ReturnType<typeof startTestServer>>;
const OUT = '.tmp/screens';
const STUFFING = '95fa4895-874a-46cd-a448-2f770e76d64d';
const SUCCESS_AFTER_STUFFING = '5486bfb5-4a3c-4b39-bce3-4b5e0c3ee29b';

describe.skipIf(skipBrowserSuite())('response in the war room (browser)', () => {
  let server: Server;
  let sandbox: RunningSandbox;
  let browser: Browser;

  beforeAll(async () => {
    assertBrowserReady();
    mkdirSync(OUT, { recursive: true });
    sandbox = await startSandbox();
    server = await startTestServer();
    browser = await launchBrowser();
    const s = server.running.services;
    const admin = (await s.users.byEmail(server.adminEmail))!;
    const p = { user: admin, via: 'cli' as const, scopes: null, restrictedTo: null };
    for (const [name, kind, url] of [
      ['firewall', 'firewall', sandbox.urls.firewall],
      ['trading-core', 'trading-core', sandbox.urls.trading],
    ] as const)
      await s.connectors.create(p, {
        name,
        kind,
        config: { baseUrl: url },
        secrets: { apiKey: 'sandbox-e2e-key-2718' },
        enabled: true,
      });
    const { plan, version } = await s.plans.importSource(SYSTEM, fs.readFileSync('plans/account-takeover.yml', 'utf8'));
    await s.plans.approve(SYSTEM, plan.id, version.version);
    await s.plans.activate(SYSTEM, plan.id, version.version);
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    await sandbox?.stop();
  });

  it('a plan starts live when an alert joins, and a second person approves the freeze', {
    timeout: 60_000,
  }, async () => {
    const s = server.running.services;
    const alice = await buildUser(s, { role: 'incident_commander', name: 'Alice Chen', email: 'alice@test.example' });
    await buildUser(s, { role: 'responder', name: 'Bob Li', email: 'bob@test.example', locale: 'zh-CN' });
    const ap = { user: alice, via: 'cli' as const, scopes: null, restrictedTo: null };
    const incident = await s.incidents.create(
      ap,
      IncidentCreate.parse({ title: 'Login failures on the app', category: 'other', grade: 'IV' }),
    );

    const page: Page = await (await newContext(browser, { locale: 'en-US' })).newPage();
    const errors = watchErrors(page);
    await signIn(page, `${server.url}/incidents/${incident.key}`, 'alice@test.example', PASSWORD);
    await page.getByTestId('plans').getByText('No plan is running on this incident.').waitFor();

    // Detection sees stuffing from one address; the alert (too low to declare by itself) joins the incident.
    const [raised] = await s.alerts.raise([
      {
        ruleId: STUFFING,
        ruleTitle: 'Credential Stuffing on the Trading Login - Many Accounts From One Source',
        level: 'medium',
        tags: ['attack.t1110.004'],
        kind: 'correlation',
        time: Date.now(),
        events: ['c7001', 'c7002', 'c7003'].map((user, i) => ({
          id: `e2e-${i}`,
          time: Date.now(),
          source: 'trading',
          logsource: { product: 'tocsin', service: 'trading_login' },
          fields: { src_ip: '203.0.113.99', user, outcome: 'failure' },
        })),
      },
    ]);
    await s.alerts.link(ap, raised!.alertId, incident.key);

    // Live, without reloading: the plan, its tasks, and the actions it asked for.
    const activation = page.locator('[data-testid="activation"][data-plan="account-takeover"]');
    await activation.waitFor({ timeout: 20_000 });
    await page.locator('[data-testid="action-run"][data-step="block-attacking-ips"][data-state="succeeded"]').waitFor({
      timeout: 20_000,
    });
    // Nobody has been logged into yet: the revocation waits for its victims instead of taking every account tried.
    await page.getByTestId('plan-awaiting-alerts').getByText('revoke-victim-sessions').waitFor({ timeout: 20_000 });
    await page.screenshot({ path: `${OUT}/response-awaiting-victims-en.png`, fullPage: true });

    // Two of the three accounts tried are logged into from the source: their alert joins, and they are the victims.
    const [hit] = await s.alerts.raise([
      {
        ruleId: SUCCESS_AFTER_STUFFING,
        ruleTitle: 'Successful Trading Login From a Credential Stuffing Source',
        level: 'medium',
        tags: ['attack.t1110.004', 'attack.t1078'],
        kind: 'correlation',
        time: Date.now(),
        events: [
          ['c7003', 'failure'],
          ['c7001', 'success'],
          ['c7002', 'success'],
        ].map(([user, outcome], i) => ({
          id: `e2e-s${i}`,
          time: Date.now(),
          source: 'trading',
          logsource: { product: 'tocsin', service: 'trading_login' },
          fields: { src_ip: '203.0.113.99', user, outcome },
        })),
      },
    ]);
    await s.alerts.link(ap, hit!.alertId, incident.key);
    // The timeline says what was asked, for whom, and why.
    await page
      .getByText('asked as its first matching alerts joined: revoke-victim-sessions (2 accounts: c7001, c7002)')
      .waitFor({ timeout: 20_000 });
    await page
      .locator('[data-testid="action-run"][data-step="revoke-victim-sessions"][data-state="succeeded"]')
      .waitFor({ timeout: 20_000 });
    const freeze = page.locator(
      '[data-testid="action-run"][data-step="freeze-victim-transfers"][data-state="awaiting_approval"]',
    );
    await freeze.waitFor({ timeout: 20_000 });
    expect(await page.getByTestId('task').count()).toBe(9); // 6 tasks + 3 communication steps (one the holding statement)
    await page.screenshot({ path: `${OUT}/response-war-room-en.png`, fullPage: true });

    // A second person, in Chinese, approves the freeze.
    const bob: Page = await (await newContext(browser, { locale: 'zh-CN' })).newPage();
    const bobErrors = watchErrors(bob);
    await signIn(bob, `${server.url}/incidents/${incident.key}`, 'bob@test.example', PASSWORD);
    const bobFreeze = bob.locator('[data-testid="action-run"][data-step="freeze-victim-transfers"]');
    await bobFreeze.getByTestId('action-approve').click();
    await bob
      .locator('[data-testid="action-run"][data-step="freeze-victim-transfers"][data-state="succeeded"]')
      .waitFor({ timeout: 20_000 });
    expect(await bob.getByTestId('plans').textContent()).toContain('撞库与客户账户盗用应急预案');
    await bob.getByText('首个匹配告警并入，已请求：revoke-victim-sessions（2 个账户：c7001, c7002）').waitFor();
    await bob.screenshot({ path: `${OUT}/response-war-room-zh.png`, fullPage: true });

    // Alice sees it succeed without reloading; the trading core froze the two victims' accounts only.
    await page
      .locator('[data-testid="action-run"][data-step="freeze-victim-transfers"][data-state="succeeded"]')
      .waitFor({ timeout: 20_000 });
    const frozen = await fetch(`${sandbox.urls.trading}/transfers/frozen`).then((r) => r.json());
    expect(frozen.accounts.map((a: { account: string }) => a.account).sort()).toEqual(['c7001', 'c7002']);
    expect(errors).toEqual([]);
    expect(bobErrors).toEqual([]);
  });
});
