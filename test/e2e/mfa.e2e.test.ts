/**
 * Two-step sign-in in a real browser, with a policy that requires MFA for everyone: forced enrolment
 * (QR code, secret, code) before anything else, then the code step at the next sign-in.
 */
import { authenticator } from 'otplib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { startTestServer } from '../helpers/server.js';
import { assertBrowserReady, launchBrowser, newContext, skipBrowserSuite, watchErrors } from './browser.js';

type Server = Awaited<ReturnType<typeof startTestServer>>;

describe.skipIf(skipBrowserSuite())('two-step sign-in (browser)', () => {
  let server: Server;
  let browser: Browser;
  let page: Page;
  let errors: string[] = [];
  let secret = '';

  beforeAll(async () => {
    assertBrowserReady();
    server = await startTestServer({ env: { TOCSIN_REQUIRE_MFA: 'all' } });
    browser = await launchBrowser();
    page = await (await newContext(browser, { locale: 'en-US' })).newPage();
    errors = watchErrors(page);
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  const submitPassword = async () => {
    await page.goto(server.url);
    await page.getByTestId('login-email').fill(server.adminEmail);
    await page.getByTestId('login-password').fill(server.adminPassword);
    await page.getByTestId('login-submit').click();
  };

  it('shows only the enrolment screen until a second factor is set up', { timeout: 30_000 }, async () => {
    await submitPassword();
    await page.getByTestId('enrol-required').waitFor();
    await page.getByTestId('enrol-qr').locator('svg').waitFor();
    expect(await page.getByTestId('app-header').count()).toBe(0);

    secret = ((await page.getByTestId('enrol-secret').textContent()) ?? '').trim();
    expect(secret).toMatch(/^[A-Z2-7]{16,}$/);
    await page.getByTestId('enrol-code').fill(authenticator.generate(secret));
    await page.getByTestId('enrol-submit').click();
    await page.getByTestId('app-header').waitFor();
    await page.getByTestId('incident-list').waitFor();
  });

  it('asks for the code at the next sign-in and rejects a wrong one', { timeout: 30_000 }, async () => {
    await page.getByTestId('user-menu').click();
    await page.getByTestId('logout').click();
    await page.getByTestId('login-form').waitFor();

    await submitPassword();
    await page.getByTestId('mfa-code').waitFor();
    // The enrolment used this 30-second step's code and the server refuses a code twice, so sign in
    // with the next step's code (accepted: the server allows one step of clock drift).
    const good = authenticator.clone({ epoch: Date.now() + 30_000 }).generate(secret);
    await page.getByTestId('mfa-code').fill(good === '000000' ? '111111' : '000000');
    await page.getByTestId('mfa-submit').click();
    await page.getByTestId('problem-alert').waitFor();
    expect(await page.getByTestId('problem-alert').textContent()).toContain('That code is wrong');
    expect(await page.getByTestId('app-header').count()).toBe(0);

    await page.getByTestId('mfa-code').fill(good);
    await page.getByTestId('mfa-submit').click();
    await page.getByTestId('app-header').waitFor();

    await page.getByTestId('nav-security').click();
    await page.getByTestId('mfa-on').waitFor();
    expect(await page.getByTestId('mfa-state').textContent()).toBe('On');
    expect(errors).toEqual([]);
  });
});
