/**
 * The war room's ATT&CK card in a real browser: an incident whose alert's rule is tagged
 * `attack.t1110.004` shows Credential Stuffing under Credential Access (orange: from the rule); an analyst
 * finds "Steal Web Session Cookie" with the picker and adds it with a note; it appears, and the audit log
 * has it; taken off again it goes. In Chinese the tactic reads 凭证访问. Needs Chromium (test/e2e/browser.ts).
 */
import { mkdirSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IncidentCreate } from '../../src/shared/incident-schemas.js';
import { startTestServer } from '../helpers/server.js';
import { assertBrowserReady, launchBrowser, newContext, signIn, skipBrowserSuite, watchErrors } from './browser.js';

type Server = Awaited<ReturnType<typeof startTestServer>>;
const OUT = '.tmp/screens';

describe.skipIf(skipBrowserSuite())('ATT&CK card (browser)', () => {
  let server: Server;
  let browser: Browser;

  beforeAll(async () => {
    assertBrowserReady();
    mkdirSync(OUT, { recursive: true });
    server = await startTestServer({ serve: { jobRunner: false } });
    browser = await launchBrowser();
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('shows the rule’s technique in its tactic, adds one with the picker and takes it off', {
    timeout: 60_000,
  }, async () => {
    const s = server.running.services;
    const admin = (await s.users.byEmail(server.adminEmail))!;
    const p = { user: admin, via: 'cli' as const, scopes: null, restrictedTo: null };
    const incident = await s.incidents.create(
      p,
      IncidentCreate.parse({
        title: 'Account takeover',
        category: 'network_attack',
        grade: 'III',
        commanderId: admin.id,
      }),
    );
    const [raised] = await s.alerts.raise([
      {
        ruleId: 'e2e-stuffing',
        ruleTitle: 'Credential stuffing against the trading login',
        level: 'high',
        tags: ['attack.credential_access', 'attack.t1110.004'],
        kind: 'detection',
        events: [],
        time: Date.now(),
      },
    ]);
    await s.alerts.link(p, raised!.alertId, incident.key);

    const page: Page = await (await newContext(browser, { locale: 'en-US' })).newPage();
    const errors = watchErrors(page);
    await signIn(page, `${server.url}/incidents/${incident.key}`, server.adminEmail, server.adminPassword);
    const card = page.getByTestId('attack-card');
    const stuffing = card.locator(
      '[data-testid="attack-tactic"][data-tactic="credential-access"] [data-testid="attack-technique"][data-technique="T1110.004"]',
    );
    await stuffing.waitFor();
    expect(await stuffing.textContent()).toContain('Credential Stuffing');

    // The picker searches the catalogue; the technique is added with a note.
    await card.getByTestId('attack-pick').click();
    await card.getByTestId('attack-pick').fill('session cookie');
    await page.getByRole('option', { name: 'T1539 Steal Web Session Cookie', exact: true }).click();
    await card.getByLabel('Note (optional)').fill('Cookies taken from the victims’ browsers');
    await card.getByRole('button', { name: 'Add', exact: true }).click();
    const cookie = card.locator(
      '[data-testid="attack-tactic"][data-tactic="credential-access"] [data-testid="attack-technique"][data-technique="T1539"]',
    );
    await cookie.waitFor();
    await card.screenshot({ path: `${OUT}/attack-card.png` });
    const audit = await s.audit.list({ action: 'investigation.technique_add' }, 10);
    expect(audit.items.map((e) => e.after)).toEqual([expect.objectContaining({ technique: 'T1539' })]);

    await card.getByRole('button', { name: 'Take T1539 off' }).click();
    await cookie.waitFor({ state: 'detached' });
    expect(await card.locator('[data-testid="attack-technique"]').count()).toBe(1);
    expect(errors).toEqual([]);

    const zh: Page = await (await newContext(browser, { locale: 'zh-CN' })).newPage();
    await signIn(zh, `${server.url}/incidents/${incident.key}`, server.adminEmail, server.adminPassword);
    const tactic = zh.locator('[data-testid="attack-tactic"][data-tactic="credential-access"]');
    await tactic.locator('[data-testid="attack-technique"][data-technique="T1110.004"]').waitFor();
    expect(await tactic.textContent()).toContain('凭证访问');
  });
});
