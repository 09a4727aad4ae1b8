/**
 * Regulatory clocks in a real browser: the war room shows the clocks of a graded incident, and re-grading
 * it IV -> III brings the CAC clock in live; the server's clock (a test clock, moved by the test: no
 * sleeping) is advanced past the CAC clock's 50 % point, the warning sweep the run-once scheduler runs
 * fires, and the war room shows the warning and the page that went out — in English and Chinese.
 * Needs Chromium (test/e2e/browser.ts).
 */
import { mkdirSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IncidentCreate } from '../../src/shared/incident-schemas.js';
import { startTestServer } from '../helpers/server.js';
import { assertBrowserReady, launchBrowser, newContext, signIn, skipBrowserSuite, watchErrors } from './browser.js';

type Server = Awaited<ReturnType<typeof startTestServer>>;
const OUT = '.tmp/screens';
const HOUR = 3_600_000;

describe.skipIf(skipBrowserSuite())('regulatory clocks (browser)', () => {
  let server: Server;
  let browser: Browser;
  const clock = { t: Date.now(), now: () => clock.t };

  beforeAll(async () => {
    assertBrowserReady();
    mkdirSync(OUT, { recursive: true });
    server = await startTestServer({ serve: { clock, jobRunner: false } });
    browser = await launchBrowser();
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('shows the clocks after grading, then the 50 % warning and its page once the server clock passes it', {
    timeout: 60_000,
  }, async () => {
    const s = server.running.services;
    const admin = (await s.users.byEmail(server.adminEmail))!;
    const p = { user: admin, via: 'cli' as const, scopes: null, restrictedTo: null };
    await s.obligations.profiles.setFirm(p, {
      jurisdictions: ['CN'],
      ciiOperator: false,
      usBrokerDealer: null,
      listedUs: false,
      doraEntity: false,
      clientsTotal: null,
      csrcTargetMinutes: null,
    });
    const incident = await s.incidents.create(
      p,
      IncidentCreate.parse({
        title: 'Account takeover: customer data exposed',
        category: 'network_attack',
        grade: 'IV',
        commanderId: admin.id,
        detectedAt: new Date(clock.t).toISOString(),
      }),
    );

    const page: Page = await (await newContext(browser, { locale: 'en-US' })).newPage();
    const errors = watchErrors(page);
    await signIn(page, `${server.url}/incidents/${incident.key}`, server.adminEmail, server.adminPassword);
    const card = page.getByTestId('regulatory-clocks');
    await card.locator('[data-testid="reg-clock"][data-obligation="csrc-emergency"][data-status="running"]').waitFor();
    expect(await card.locator('[data-testid="reg-clock"][data-obligation="cac-report"]').count()).toBe(0);
    expect(await card.getByTestId('reg-clock-zone').textContent()).toMatch(/^Times in \S+/);

    // Graded III (较大): the CAC clock appears live, counted from discovery.
    await s.incidents.update(p, incident.key, { grade: 'III' });
    const cac = card.locator('[data-testid="reg-clock"][data-obligation="cac-report"][data-stage="initial"]');
    await cac.waitFor({ timeout: 15_000 });
    expect(await cac.getByTestId('reg-clock-status').textContent()).toBe('Running');

    // The server's clock passes half of the CAC report's 4 hours: the sweep warns once, and pages.
    clock.t += 2 * HOUR + 60_000;
    expect((await s.obligations.warnings.sweep()).warned).toBe(1);
    expect((await s.obligations.warnings.sweep()).warned).toBe(0);
    await cac.locator('[data-testid="reg-clock-warning"][data-point="50%"]').waitFor({ timeout: 15_000 });
    expect(await cac.locator('[data-testid="reg-clock-warning"][data-point="50%"]').textContent()).toBe(
      'Warned at 50% · paged',
    );
    // The page went out (the CSRC target's miss and the CAC warning): in the war room's pages and on record.
    await page.getByTestId('incident-pages').locator('[data-testid="page-item"]').nth(1).waitFor({ timeout: 15_000 });
    const reasons = (await s.paging.listForIncident(p, incident.key)).items.map((x) => x.reason);
    expect(
      reasons.filter((r) => /^Regulatory deadline: Network security incident report .*50% of the time elapsed/.test(r)),
    ).toHaveLength(1);
    await card.getByTestId('reg-clock-why').first().click();
    await page.screenshot({ path: `${OUT}/obligations-warroom-en.png`, fullPage: true });

    const zh: Page = await (await newContext(browser, { locale: 'zh-CN' })).newPage();
    await signIn(zh, `${server.url}/incidents/${incident.key}`, server.adminEmail, server.adminPassword);
    const zhCard = zh.getByTestId('regulatory-clocks');
    await zhCard.locator('[data-testid="reg-clock-warning"][data-point="50%"]').first().waitFor();
    expect(await zhCard.locator('h4').first().textContent()).toBe('监管时限');
    await zh.screenshot({ path: `${OUT}/obligations-warroom-zh.png`, fullPage: true });
    await zhCard.getByTestId('reg-facts-toggle').click();
    await zhCard.getByTestId('reg-facts-form').waitFor();
    await zhCard.screenshot({ path: `${OUT}/obligations-facts-form-zh.png` });
    await zh.goto(`${server.url}/settings`);
    await zh.getByTestId('firm-profile').waitFor();
    await zh.screenshot({ path: `${OUT}/obligations-firm-profile-zh.png`, fullPage: true });
    expect(errors).toEqual([]);
  });
});
