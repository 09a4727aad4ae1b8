/**
 * Alerts in a real browser against a real server: an alert raised through the running server's services
 * appears live in the queue and in its incident's war room; its events show as text (table and JSON); acknowledge and
 * false positive (with a suppression) work from the console. Needs the built console and Chromium (test/e2e/browser.ts).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { RuleMatch } from '../../src/server/modules/detection/index.js';
import { startTestServer } from '../helpers/server.js';
import { assertBrowserReady, launchBrowser, newContext, signIn, skipBrowserSuite, watchErrors } from './browser.js';

type Server = Awaited<ReturnType<typeof startTestServer>>;

const TITLE = 'Credential stuffing <b>on trading login</b>';
const XSS_FIELD = '<img src=x onerror="window.__xss=1">';
let n = 0;
const match = (account: string, ip: string): RuleMatch => {
  const time = Date.now();
  return {
    ruleId: 'tocsin-credential-stuffing',
    ruleTitle: TITLE,
    level: 'high',
    tags: ['attack.credential_access', 'attack.t1110.004'],
    kind: 'detection',
    events: [
      {
        id: `e2e-${++n}`,
        time,
        source: 'api',
        logsource: { product: 'trading_gateway' },
        fields: { TargetUserName: account, IpAddress: ip, message: XSS_FIELD },
      },
    ],
    time,
  };
};

describe.skipIf(skipBrowserSuite())('alerts (browser)', () => {
  let server: Server;
  let browser: Browser;
  let a: Page; // English
  let b: Page; // Chinese, second profile
  let errorsA: string[] = [];
  let errorsB: string[] = [];
  let alertId = '';
  let incidentKey = '';

  beforeAll(async () => {
    assertBrowserReady();
    server = await startTestServer();
    browser = await launchBrowser();
    a = await (await newContext(browser, { locale: 'en-US' })).newPage();
    b = await (await newContext(browser, { locale: 'zh-CN' })).newPage();
    errorsA = watchErrors(a);
    errorsB = watchErrors(b);
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('shows a raised alert live in the queue of two consoles', { timeout: 30_000 }, async () => {
    await signIn(a, server.url, server.adminEmail, server.adminPassword);
    await signIn(b, server.url, server.adminEmail, server.adminPassword);
    await a.getByTestId('nav-alerts').click();
    await a.getByTestId('alert-list-empty').waitFor();
    await b.goto(`${server.url}/alerts`);
    await b.getByTestId('alert-list-empty').waitFor();
    expect(await b.getByTestId('nav-alerts').textContent()).toBe('告警');

    const [out] = await server.running.services.alerts.raise([match('alice', '203.0.113.7')]);
    alertId = out!.alertId;
    incidentKey = out!.incidentKey!;
    const rowA = a.locator(`[data-testid="alert-row"][data-id="${alertId}"]`);
    await rowA.waitFor({ timeout: 5_000 });
    expect(await rowA.getByTestId('alert-row-title').textContent()).toBe(TITLE);
    expect(await rowA.locator('b').count()).toBe(0);
    expect(await rowA.getByTestId('alert-row-incident').textContent()).toBe(incidentKey);
    expect(await rowA.getByTestId('level-badge').textContent()).toBe('High');
    const rowB = b.locator(`[data-testid="alert-row"][data-id="${alertId}"]`);
    await rowB.waitFor({ timeout: 5_000 });
    expect(await rowB.getByTestId('alert-status-badge').textContent()).toBe('未处理');
    expect(await rowB.getByTestId('entity-badge').allTextContents()).toEqual(['账户 alice', 'IP 203.0.113.7']);
  });

  it("appears in its incident's war room, and a repeat updates it live", { timeout: 30_000 }, async () => {
    await a.locator(`[data-testid="alert-row"][data-id="${alertId}"]`).getByTestId('alert-row-incident').click();
    await a.getByTestId('warroom').waitFor();
    const card = a.getByTestId('incident-alerts');
    await card.locator(`[data-testid="incident-alert"][data-id="${alertId}"]`).waitFor();
    // high, on the trading gateway: one grade up from III.
    expect(await a.getByTestId('warroom-grade').getAttribute('data-grade')).toBe('II');
    await a.getByTestId('timeline-headline').filter({ hasText: 'Declared by detection from alert' }).waitFor();

    // Another account from the same address: a new alert, grouped into the same incident, shown live.
    const [second] = await server.running.services.alerts.raise([match('bob', '203.0.113.7')]);
    expect(second!.incidentKey).toBe(incidentKey);
    await card.locator(`[data-testid="incident-alert"][data-id="${second!.alertId}"]`).waitFor({ timeout: 5_000 });
    await a
      .getByTestId('timeline-headline')
      .filter({ hasText: 'Alert attached by detection' })
      .waitFor({ timeout: 5_000 });
    // A repeat of the first: its count goes up in the queue of the other console.
    await server.running.services.alerts.raise([match('alice', '203.0.113.7')]);
    await b
      .locator(`[data-testid="alert-row"][data-id="${alertId}"] [data-testid="alert-count"]`)
      .filter({ hasText: '×2' })
      .waitFor({ timeout: 5_000 });
  });

  it('shows the alert with its events as literal text', { timeout: 30_000 }, async () => {
    await a
      .getByTestId('incident-alerts')
      .locator(`[data-testid="incident-alert"][data-id="${alertId}"]`)
      .getByTestId('incident-alert-title')
      .click();
    await a.getByTestId('alert-detail').waitFor();
    await expect.poll(async () => a.getByTestId('alert-event').count(), { timeout: 5_000 }).toBe(2);
    // the message column and the JSON opened from the row both show the markup as text
    expect(await a.getByTestId('alert-event-details').first().textContent()).toBe(XSS_FIELD);
    await a.getByTestId('alert-event-toggle').first().click();
    const json = await a.getByTestId('alert-event-json').first().textContent();
    expect(JSON.parse(json!)).toMatchObject({ TargetUserName: 'alice', message: XSS_FIELD });
    expect(await a.getByTestId('alert-events').locator('img').count()).toBe(0);
    expect(await a.evaluate(() => (window as { __xss?: number }).__xss)).toBeUndefined();
  });

  it('acknowledges, then marks false positive with a suppression that holds the next one back', {
    timeout: 30_000,
  }, async () => {
    await a.getByTestId('alert-ack').click();
    await a.locator('[data-testid="alert-detail"][data-status="acknowledged"]').waitFor();
    await b
      .locator(`[data-testid="alert-row"][data-id="${alertId}"][data-status="acknowledged"]`)
      .waitFor({ timeout: 5_000 });

    await a.getByTestId('alert-fp').click();
    await a.getByTestId('fp-reason').fill('Load test account from the QA subnet');
    await a.getByTestId('fp-suppress').check();
    await a.getByTestId('fp-submit').click();
    await a.locator('[data-testid="alert-detail"][data-status="false_positive"]').waitFor();
    expect(await a.getByTestId('alert-fp-reason').textContent()).toContain('Load test account from the QA subnet');
    // It leaves the "needs attention" queue of the other console.
    await b.locator(`[data-testid="alert-row"][data-id="${alertId}"]`).waitFor({ state: 'detached', timeout: 5_000 });

    const [held] = await server.running.services.alerts.raise([match('alice', '203.0.113.99')]);
    expect(held!.status).toBe('suppressed');
    await a.getByTestId('nav-suppressions').click();
    const row = a.getByTestId('suppression-row').first();
    await row.waitFor();
    expect(await row.textContent()).toContain('False positive: Load test account from the QA subnet');
    await a.goto(`${server.url}/alerts?status=suppressed`);
    await a.locator(`[data-testid="alert-row"][data-id="${held!.alertId}"] [data-testid="alert-held"]`).waitFor();
  });

  it('raised no uncaught errors in either console', () => {
    expect(errorsA).toEqual([]);
    expect(errorsB).toEqual([]);
  });
});
