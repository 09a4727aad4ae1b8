/**
 * In a real browser: an administrator unlocks a locked-out colleague and resets their password; the
 * colleague signs in with the one-time password, must choose a new one, then reaches the incidents;
 * the two-step nudge shows until dismissed.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { startTestServer } from '../helpers/server.js';
import { assertBrowserReady, launchBrowser, newContext, signIn, skipBrowserSuite, watchErrors } from './browser.js';

type Server = Awaited<ReturnType<typeof startTestServer>>;
const EMAIL = 'duty.officer@test.example';

describe.skipIf(skipBrowserSuite())('password reset and forced change (browser)', () => {
  let server: Server;
  let browser: Browser;
  let admin: Page;
  let otp = '';
  const errors: string[][] = [];

  beforeAll(async () => {
    assertBrowserReady();
    server = await startTestServer();
    await server.running.services.users.create(
      { id: null, label: 'test' },
      { email: EMAIL, name: 'Duty Officer', role: 'incident_commander', password: 'forgotten-long-password' },
    );
    browser = await launchBrowser();
    admin = await (await newContext(browser, { locale: 'en-US' })).newPage();
    errors.push(watchErrors(admin));
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it("shows a locked-out user's sign-in lock and unlocks it", { timeout: 30_000 }, async () => {
    for (let i = 0; i < 6; i++) {
      await fetch(`${server.url}/api/v1/session`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: EMAIL, password: 'a-wrong-guess-123' }),
      });
    }
    // As after an hour of guessing from this address (no waiting here): 15 failures, 15 minutes to wait.
    await server.running.services.store.db
      .updateTable('sign_in_pairs')
      .set({ failures: 15, next_at: Date.now() + 15 * 60_000 })
      .where('email', '=', EMAIL)
      .execute();
    await signIn(admin, server.url, server.adminEmail, server.adminPassword);
    await admin.getByTestId('nav-users').click();
    const row = admin.locator(`[data-testid="user-row"][data-email="${EMAIL}"]`);
    await row.getByTestId('user-row-lock').click();
    await admin.getByTestId('sign-in-lock-row').first().waitFor();
    expect(await admin.getByTestId('sign-in-lock-state').textContent()).toBe('Blocked');
    expect(await admin.getByTestId('sign-in-lock-row').first().textContent()).toContain('127.0.0.1');
    await admin.getByTestId('sign-in-unlock').click();
    await admin.getByTestId('sign-in-unlocked').waitFor();
    expect(await admin.getByTestId('sign-in-lock-state').textContent()).toBe('Not blocked');
    await admin.locator('.mantine-Modal-close').click();
    await admin.getByTestId('sign-in-lock').waitFor({ state: 'detached' });
  });

  it('resets the password to a one-time password shown once', { timeout: 30_000 }, async () => {
    const row = admin.locator(`[data-testid="user-row"][data-email="${EMAIL}"]`);
    await row.getByTestId('user-row-reset-password').click();
    await admin.getByTestId('reset-submit').click();
    otp = ((await admin.getByTestId('reset-password-value').textContent()) ?? '').trim();
    expect(otp).toMatch(/^[A-Za-z0-9_-]{20}$/);
    await admin.getByTestId('reset-close').click();
    await row.getByTestId('user-row-must-change').waitFor();
  });

  it('makes the user choose a new password, then opens the incidents', { timeout: 30_000 }, async () => {
    const page = await (await newContext(browser, { locale: 'en-US' })).newPage();
    errors.push(watchErrors(page));
    await page.goto(server.url);
    await page.getByTestId('login-email').fill(EMAIL);
    await page.getByTestId('login-password').fill(otp);
    await page.getByTestId('login-submit').click();
    await page.getByTestId('password-required').waitFor();
    expect(await page.getByTestId('app-header').count()).toBe(0);

    await page.getByTestId('password-current').fill(otp);
    await page.getByTestId('password-new').fill('weak password');
    expect(await page.getByTestId('password-submit').isDisabled()).toBe(true); // under 12 characters: said before sending
    await page.getByTestId('password-new').fill('password1234');
    await page.getByTestId('password-confirm').fill('password1234');
    await page.getByTestId('password-submit').click();
    await page.getByText('Too easy to guess').waitFor();

    await page.getByTestId('password-new').fill('quiet-river-morning-tea-7');
    await page.getByTestId('password-confirm').fill('quiet-river-morning-tea-7');
    await page.getByTestId('password-submit').click();
    await page.getByTestId('app-header').waitFor();
    await page.getByTestId('incident-list').waitFor();

    // Without a second factor, a nudge points to the security page until dismissed.
    await page.getByTestId('mfa-nudge').waitFor();
    await page.getByTestId('mfa-nudge-dismiss').click();
    expect(await page.getByTestId('mfa-nudge').count()).toBe(0);
    await page.reload();
    await page.getByTestId('incident-list').waitFor();
    expect(await page.getByTestId('mfa-nudge').count()).toBe(0);
    expect(errors.flat()).toEqual([]);
  });
});
