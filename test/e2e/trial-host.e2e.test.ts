/**
 * A trial on the office network: the console reached over plain http under a host name other than
 * localhost (Chromium maps tocsin-trial.test to 127.0.0.1). With `upgrade-insecure-requests` in the CSP
 * every asset would be fetched over https and fail (a blank white page); it must render and sign in.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { startTestServer } from '../helpers/server.js';
import { assertBrowserReady, launchBrowser, newContext, skipBrowserSuite, watchErrors } from './browser.js';

type Server = Awaited<ReturnType<typeof startTestServer>>;
const HOST = 'tocsin-trial.test';

describe.skipIf(skipBrowserSuite())('the console over http under a non-localhost host name (browser)', () => {
  let server: Server;
  let browser: Browser;
  let page: Page;
  let errors: string[] = [];
  const failed: string[] = [];
  let base = '';

  beforeAll(async () => {
    assertBrowserReady();
    server = await startTestServer();
    base = `http://${HOST}:${new URL(server.url).port}`;
    browser = await launchBrowser([`--host-resolver-rules=MAP ${HOST} 127.0.0.1`]);
    page = await (await newContext(browser, { locale: 'en-US' })).newPage();
    errors = watchErrors(page);
    page.on('requestfailed', (r) => failed.push(`${r.url()}: ${r.failure()?.errorText}`));
    // The API answers 401 before signing in, as it should; a page or an asset must never fail.
    page.on('response', (r) => void (r.status() >= 400 && !new URL(r.url()).pathname.startsWith('/api/') && failed.push(`${r.url()}: HTTP ${r.status()}`)));
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('renders the sign-in form with every asset loaded over http, and signing in works', { timeout: 30_000 }, async () => {
    const res = await page.goto(`${base}/`);
    expect(res?.status()).toBe(200);
    expect(res?.headers()['content-security-policy']).not.toContain('upgrade-insecure-requests');
    await page.getByTestId('login-form').waitFor();
    expect(await page.getByTestId('login-email').isVisible()).toBe(true);
    const assets = await page.evaluate(() => performance.getEntriesByType('resource').map((e) => e.name));
    expect(assets.filter((u) => u.includes('/assets/')).length).toBeGreaterThan(0);
    for (const u of assets) expect(u.startsWith(`http://${HOST}:`), u).toBe(true);
    expect(failed).toEqual([]);

    await page.getByTestId('login-email').fill(server.adminEmail);
    await page.getByTestId('login-password').fill(server.adminPassword);
    await page.getByTestId('login-submit').click();
    await page.getByTestId('app-header').waitFor();
    await page.locator('[data-testid="live-status"][data-state="open"]').waitFor({ state: 'attached' });
    expect(page.url().startsWith(`${base}/`)).toBe(true);
    expect(failed).toEqual([]);
    expect(errors).toEqual([]);
  });
});
