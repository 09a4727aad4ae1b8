/**
 * The staff console in a real browser against a real server: sign-in, declaring an incident, live updates
 * in a second console, status changes, timeline notes, literal HTML, and the language switch.
 * Needs the built console (`npx vite build`) and Chromium (test/e2e/browser.ts).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
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

const TITLE = 'Credential stuffing on <b>online trading</b> <img src=x onerror="window.__xss=1">';
const NOTE = 'Blocked 203.0.113.0/24 at the WAF <script>window.__xss=2</script>';

describe.skipIf(skipBrowserSuite())('staff console (browser)', () => {
  let server: Server;
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  let a: Page; // the commander, English browser
  let b: Page; // a colleague in a second browser profile, Chinese browser
  let errorsA: string[] = [];
  let errorsB: string[] = [];
  let key = '';

  beforeAll(async () => {
    assertBrowserReady();
    server = await startTestServer();
    browser = await launchBrowser();
    for (const locale of ['en-US', 'zh-CN']) contexts.push(await newContext(browser, { locale }));
    a = await contexts[0]!.newPage();
    b = await contexts[1]!.newPage();
    errorsA = watchErrors(a);
    errorsB = watchErrors(b);
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('rejects a wrong password with a message, then signs in', { timeout: 30_000 }, async () => {
    await a.goto(server.url);
    await a.getByTestId('login-email').fill(server.adminEmail);
    await a.getByTestId('login-password').fill('not-the-password');
    await a.getByTestId('login-submit').click();
    await a.getByTestId('problem-alert').waitFor();
    expect(await a.getByTestId('problem-alert').textContent()).toContain('Wrong email or password');

    await signIn(a, server.url, server.adminEmail, server.adminPassword);
    expect(await a.getByTestId('nav-incidents').textContent()).toBe('Incidents');
    expect(await a.getByTestId('product-name').textContent()).toBe('Tocsin 警钟');
    // The navigation is grouped by what one comes to do; an administrator sees every group with something in it.
    expect(await a.getByTestId('app-nav').locator('[data-testid^="nav-group-"] > p').allTextContents()).toEqual([
      'Respond',
      'Communicate',
      'Investigate',
      'Improve',
      'Detection & operations',
      'Administration & account',
    ]);
    expect(await a.getByTestId('nav-group-respond').getByTestId('nav-incidents').count()).toBe(1);

    // The second console follows its browser's language.
    await signIn(b, server.url, server.adminEmail, server.adminPassword);
    expect(await b.getByTestId('nav-incidents').textContent()).toBe('事件');
    expect(await b.getByTestId('nav-group-respond').locator('p').first().textContent()).toBe('应急响应');
    await b.getByTestId('incident-list').waitFor();
  });

  it('declares an incident; the other console sees it appear without reload', { timeout: 30_000 }, async () => {
    await a.getByTestId('declare-open').click();
    await a.getByTestId('declare-title').fill(TITLE);
    await a.getByTestId('declare-summary').fill('Login failures ×40 from a botnet.\nSecond line.');
    await pickOption(a, 'declare-category', 'Network attack');
    await pickOption(a, 'declare-grade', 'II · Serious');
    await a.getByTestId('declare-customers').fill('1200');
    await a.getByTestId('declare-funds').fill('1250000.50');
    await a.getByTestId('declare-trading').check();
    await a.getByTestId('declare-submit').click();

    await a.getByTestId('warroom').waitFor();
    key = (await a.getByTestId('warroom-key').textContent()) ?? '';
    expect(key).toMatch(/^INC-\d{4}-\d{4,}$/);
    expect(new URL(a.url()).pathname).toBe(`/incidents/${key}`);

    // Yuan typed by a person are stored as fen, exactly.
    const res = await a.request.get(`${server.url}/api/v1/incidents/${key}`);
    const stored = (await res.json()) as { impact: { fundsAtRisk: { amountMinor: number; currency: string } } };
    expect(stored.impact.fundsAtRisk).toEqual({ amountMinor: 125_000_050, currency: 'CNY' });
    expect(await a.getByTestId('impact-funds').textContent()).toContain('1,250,000.50');

    const row = b.locator(`[data-testid="incident-row"][data-key="${key}"]`);
    await row.waitFor({ timeout: 5_000 });
    expect(await row.getByTestId('incident-row-title').textContent()).toBe(TITLE);
    expect(await row.getByTestId('grade-badge').textContent()).toBe('II 重大');
  });

  it('shows HTML in a title literally, never as markup', async () => {
    const title = a.getByTestId('warroom-title');
    expect(await title.textContent()).toBe(TITLE);
    expect(await title.locator('b, img').count()).toBe(0);
    expect(await a.evaluate(() => (window as { __xss?: number }).__xss)).toBeUndefined();
    expect(await b.evaluate(() => (window as { __xss?: number }).__xss)).toBeUndefined();
  });

  it('changes status with legal transitions only; the other console follows live', { timeout: 30_000 }, async () => {
    await b.locator(`[data-testid="incident-row"][data-key="${key}"]`).click();
    await b.getByTestId('warroom').waitFor();

    const offered = async (page: Page) =>
      page
        .getByTestId('transitions')
        .locator('button')
        .evaluateAll((els) => els.map((e) => e.getAttribute('data-testid')));
    expect(await offered(a)).toEqual(['transition-acknowledged', 'transition-false_positive']);

    await a.getByTestId('transition-acknowledged').click();
    await a.getByTestId('transition-note').fill('Commander on the bridge');
    await a.getByTestId('transition-confirm').click();
    await a.locator('[data-testid="warroom-status"][data-status="acknowledged"]').waitFor();
    expect(await offered(a)).toEqual(['transition-contained', 'transition-false_positive']);

    await b.locator('[data-testid="warroom-status"][data-status="acknowledged"]').waitFor({ timeout: 5_000 });
    expect(await b.getByTestId('warroom-status').textContent()).toBe('已确认');
    await b.locator('[data-testid="clock-ack"][data-reached="true"]').waitFor();
    await b.locator('[data-testid="timeline-entry"][data-kind="status_change"]').first().waitFor({ timeout: 5_000 });
  });

  it('edits the grade and shares tasks live in both directions', { timeout: 30_000 }, async () => {
    await a.getByTestId('edit-open').click();
    await pickOption(a, 'edit-grade', 'I · Extraordinarily serious');
    await a.getByTestId('edit-submit').click();
    await b.locator('[data-testid="warroom-grade"][data-grade="I"]').waitFor({ timeout: 5_000 });
    expect(await b.getByTestId('warroom-grade').textContent()).toBe('I 特别重大');
    await b
      .getByTestId('timeline-headline')
      .filter({ hasText: '等级：II 重大 → I 特别重大' })
      .waitFor({ timeout: 5_000 });

    await a.getByTestId('task-title').fill('Freeze outgoing transfers of the 3 accounts');
    await a.getByTestId('task-add').click();
    const taskInB = b.getByTestId('task').filter({ hasText: 'Freeze outgoing transfers' });
    await taskInB.waitFor({ timeout: 5_000 });
    // The box shows the server's state: it turns once the change is stored (check() would expect it at once).
    await taskInB.getByTestId('task-done').click();
    await b
      .locator('[data-testid="task"][data-status="done"]')
      .filter({ hasText: 'Freeze outgoing transfers' })
      .waitFor({ timeout: 5_000 });
    await a
      .locator('[data-testid="task"][data-status="done"]')
      .filter({ hasText: 'Freeze outgoing transfers' })
      .waitFor({ timeout: 5_000 });
  });

  it('ticks the since-detection clock every second', async () => {
    const clock = a.getByTestId('clock-detected');
    const first = await clock.textContent();
    // Wait for the next tick rather than sleeping a fixed time: a busy CI machine can delay a timer.
    await a.waitForFunction(
      (before) => document.querySelector('[data-testid="clock-detected"]')?.textContent !== before,
      first,
      { timeout: 10_000 },
    );
    expect(await clock.textContent()).not.toBe(first);
    expect(await clock.textContent()).toMatch(/^\d{2}:\d{2}:\d{2}$/);
  });

  it('adds a timeline note that appears in the other console within a second or two', { timeout: 30_000 }, async () => {
    await a.getByTestId('composer-text').fill(NOTE);
    const sentAt = Date.now();
    await a.getByTestId('composer-submit').click();

    const inB = b
      .locator('[data-testid="timeline-entry"][data-kind="note"]')
      .filter({ hasText: 'Blocked 203.0.113.0/24' });
    await inB.waitFor({ timeout: 3_000 });
    expect(Date.now() - sentAt).toBeLessThan(3_000);
    expect(await inB.getByTestId('timeline-text').textContent()).toBe(NOTE);
    expect(await b.evaluate(() => (window as { __xss?: number }).__xss)).toBeUndefined();

    // A correction is a new entry that points at the old one, which stays as written.
    await a
      .locator('[data-testid="timeline-entry"][data-kind="note"]')
      .filter({ hasText: 'Blocked 203.0.113.0/24' })
      .getByTestId('entry-correct')
      .click();
    await a.getByTestId('composer-text').fill('It was 198.51.100.0/24, not 203.0.113.0/24');
    await a.getByTestId('composer-submit').click();
    await b.locator('[data-testid="timeline-entry"][data-kind="correction"]').waitFor({ timeout: 3_000 });
    await inB.getByTestId('timeline-corrected').waitFor({ timeout: 3_000 });
    expect(await inB.getByTestId('timeline-text').textContent()).toBe(NOTE);
  });

  it('switches language between zh-CN and English and remembers the choice', { timeout: 30_000 }, async () => {
    await a.getByTestId('lang-switch').getByText('中文').click();
    await a.getByTestId('nav-incidents').filter({ hasText: '事件' }).waitFor();
    expect(await a.getByTestId('warroom-status').textContent()).toBe('已确认');
    expect(await a.evaluate(() => document.documentElement.lang)).toBe('zh-CN');

    await a.reload();
    await a.getByTestId('warroom').waitFor();
    expect(await a.getByTestId('nav-incidents').textContent()).toBe('事件');

    await a.getByTestId('lang-switch').getByText('EN').click();
    await a.getByTestId('nav-incidents').filter({ hasText: 'Incidents' }).waitFor();
    expect(await a.getByTestId('warroom-status').textContent()).toBe('Acknowledged');
  });

  it('signs out back to the login form', async () => {
    await a.getByTestId('user-menu').click();
    await a.getByTestId('logout').click();
    await a.getByTestId('login-form').waitFor();
    const res = await a.request.get(`${server.url}/api/v1/session`);
    expect(res.status()).toBe(401);
  });

  it('raised no uncaught errors in either console', () => {
    expect(errorsA).toEqual([]);
    expect(errorsB).toEqual([]);
  });
});
