/**
 * Escalation in a real browser: a page nobody acknowledges goes to level two after the level's wait, and
 * the commander's war room shows it live; the level-two responder acknowledges through the signed link in
 * the email the sandbox SMTP server received, and the war room shows who acknowledged. The server runs on
 * a clock the test moves (no sleeping): its job runner is driven with runDue. Needs Chromium (test/e2e/browser.ts).
 */
import { mkdirSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IncidentCreate } from '../../src/shared/incident-schemas.js';
import { type RunningSandbox, startSandbox } from '../../src/server/sandbox/index.js';
import { buildUser } from '../helpers/fixtures.js';
import { startTestServer } from '../helpers/server.js';
import { assertBrowserReady, launchBrowser, newContext, signIn, skipBrowserSuite, watchErrors } from './browser.js';

type Server = Awaited<ReturnType<typeof startTestServer>>;
const OUT = '.tmp/screens';

describe.skipIf(skipBrowserSuite())('escalation (browser)', () => {
  let server: Server;
  let sandbox: RunningSandbox;
  let browser: Browser;
  const clock = { t: Date.now(), now: () => clock.t };

  beforeAll(async () => {
    assertBrowserReady();
    mkdirSync(OUT, { recursive: true });
    sandbox = await startSandbox();
    server = await startTestServer({ serve: { clock, jobRunner: false } });
    browser = await launchBrowser();
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    await sandbox?.stop();
  });

  it('pages level two after the wait, live in the war room, and stops when the link is used', {
    timeout: 60_000,
  }, async () => {
    const s = server.running.services;
    const admin = (await s.users.byEmail(server.adminEmail))!;
    const p = { user: admin, via: 'cli' as const, scopes: null, restrictedTo: null };
    const smtp = new URL(sandbox.urls.smtp);
    await s.connectors.create(p, {
      name: 'mail',
      kind: 'email',
      config: { host: smtp.hostname, port: Number(smtp.port), tls: 'none', from: 'tocsin@firm.example' },
      secrets: {},
    });
    const wang = await buildUser(s, { role: 'responder', name: 'Wang Lei', email: 'wang@test.example' });
    const zhao = await buildUser(s, {
      role: 'responder',
      name: 'Zhao Min',
      email: 'zhao@test.example',
      locale: 'zh-CN',
    });
    for (const u of [wang, zhao])
      await s.paging.setContacts(p, u.id, { routes: [{ channel: 'mail', address: u.email }] });
    const policy = await s.oncallAdmin.createPolicy(p, {
      name: 'SOC escalation',
      levels: [
        { targets: [{ kind: 'person', personId: wang.id }], waitMinutes: 5 },
        { targets: [{ kind: 'person', personId: zhao.id }], waitMinutes: 10 },
      ],
      repeat: 0,
    });
    const incident = await s.incidents.create(
      p,
      IncidentCreate.parse({ title: 'Trading gateway rejecting orders', category: 'equipment_failure', grade: 'II' }),
    );
    await s.paging.raise(p, incident.key, { reason: 'Orders rejected at the gateway', policyId: policy.id });
    await s.jobs.runDue(clock.t);
    expect(sandbox.smtp.messages.map((m) => m.rcptTo)).toEqual([['wang@test.example']]);

    const page: Page = await (await newContext(browser, { locale: 'en-US' })).newPage();
    const errors = watchErrors(page);
    await signIn(page, `${server.url}/incidents/${incident.key}`, server.adminEmail, server.adminPassword);
    const card = page.getByTestId('incident-pages');
    await card.locator('[data-testid="page-delivery"][data-level="1"][data-state="sent"]').waitFor();
    expect(await card.locator('[data-testid="page-delivery"][data-level="2"]').count()).toBe(0);

    // Nobody acknowledged within level one's five minutes: level two is paged, and the war room shows it.
    clock.t += 6 * 60_000;
    await s.jobs.runDue(clock.t);
    await card.locator('[data-testid="page-delivery"][data-level="2"][data-state="sent"]').waitFor({ timeout: 15_000 });
    expect(sandbox.smtp.messages.map((m) => m.rcptTo)).toEqual([['wang@test.example'], ['zhao@test.example']]);
    await page.screenshot({ path: `${OUT}/escalation-level-two-en.png`, fullPage: true });

    // Zhao acknowledges with the signed link of the email (in Chinese: her language).
    const mail = sandbox.smtp.messages[1]!;
    const link = /https?:\/\/[^\s"<>]+\/ack\/[A-Za-z0-9._~-]+/.exec(mail.raw.replace(/=\r?\n/g, ''))?.[0];
    expect(link, mail.raw).toBeTruthy();
    const zhaoPage: Page = await (await newContext(browser, { locale: 'zh-CN' })).newPage();
    const landed = await zhaoPage.goto(link!.replace(/^https?:\/\/[^/]+/, server.url));
    expect(landed?.status()).toBe(200);
    await zhaoPage.screenshot({ path: `${OUT}/escalation-ack-link-zh.png`, fullPage: true });
    await card.locator('[data-testid="page-item"][data-status="acknowledged"]').waitFor({ timeout: 15_000 });
    expect(await card.getByTestId('page-acked').textContent()).toMatch(/^Acknowledged by Zhao Min/);

    // Acknowledged: the next level's time passes and nobody else is paged; the link does not work twice.
    clock.t += 30 * 60_000;
    await s.jobs.runDue(clock.t);
    expect(sandbox.smtp.messages).toHaveLength(2);
    const again = await fetch(link!.replace(/^https?:\/\/[^/]+/, server.url));
    expect(again.status).toBeGreaterThanOrEqual(400);
    expect(errors).toEqual([]);
  });
});
