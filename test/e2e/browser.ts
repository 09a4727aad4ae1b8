/** Browser helpers for the console's end-to-end tests: Debian's Chromium through playwright-core. */
import type { FastifyInstance } from 'fastify';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

/**
 * The browser the tests drive: `TOCSIN_CHROMIUM` if set, else Debian's `chromium-headless-shell` (Chromium's
 * headless shell: the same Blink and V8 without the desktop browser's own UI around the page), else
 * Debian's `chromium`. Measured on this 2-core machine, eight console loads in fresh contexts took 4.1-4.2 s
 * of CPU and 6.5-6.7 s of wall with the shell, 8.7-9.3 s and 12.8-14.1 s with the full browser, whose hidden
 * window UI (tabs, omnibox, its WebUI renderers) costs as much as the page.
 */
export const CHROMIUM =
  process.env.TOCSIN_CHROMIUM ??
  ['/usr/bin/chromium-headless-shell', '/usr/bin/chromium'].find((path) => existsSync(path)) ??
  // Neither: name the one the message below says to install.
  '/usr/bin/chromium-headless-shell';
export const haveChromium = existsSync(CHROMIUM);
const INSTALL = 'apt-get install -y chromium-headless-shell fonts-wqy-microhei';
export const builtConsole = fileURLToPath(new URL('../../dist/web/index.html', import.meta.url));

/**
 * Whether the browser suite should be skipped: only outside CI, and only when Chromium is missing.
 * In CI a missing browser is a failure, raised by `assertBrowserReady`.
 */
export function skipBrowserSuite(): boolean {
  if (haveChromium) return false;
  if (process.env.CI) return false;
  console.warn(`[e2e] skipping browser tests: ${CHROMIUM} not found (${INSTALL})`);
  return true;
}

/** Fails with a clear message when the browser or the built console is missing. */
export function assertBrowserReady(): void {
  if (!haveChromium) {
    throw new Error(`${CHROMIUM} not found: install it with "${INSTALL}" (browser tests cannot run)`);
  }
  if (!existsSync(builtConsole)) {
    throw new Error(`${builtConsole} not found: build the console first with "npx vite build"`);
  }
}

/** Browsers of this test process, by their extra switches: see launchBrowser. */
const browsers = new Map<string, Promise<Browser>>();

/**
 * Chromium, headless; `args` adds switches (e.g. `--host-resolver-rules=MAP name 127.0.0.1`). One
 * browser per set of switches serves every file this vitest worker runs: starting Chromium (five
 * processes) for each of ~55 browser files was a fifth of the CPU the browser used in a suite. Each
 * test works in its own contexts (`newContext`: own cookies, storage and cache, as a separate person
 * would have), so a file's `browser.close()` closes only the contexts still open; Chromium itself
 * ends with the worker process (Playwright closes what it launched when its process exits).
 */
export function launchBrowser(args: string[] = []): Promise<Browser> {
  const key = args.join('\n');
  let browser = browsers.get(key);
  if (!browser) {
    browser = launchChromium(args).then((b) => {
      b.on('disconnected', () => browsers.delete(key));
      b.close = async () => {
        await Promise.all(b.contexts().map((c) => c.close()));
      };
      return b;
    });
    browser.catch(() => browsers.delete(key));
    browsers.set(key, browser);
  }
  return browser;
}

function launchChromium(args: string[]): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      ...args,
    ],
  });
}

/**
 * Whether screenshots are taken (.tmp/screens/*.png): yes on a developer's machine and in the screenshot
 * scripts (test/e2e/*-screens.ts, screenshots.ts), where a person opens them to look at the console; no
 * in the test suite in CI, where no one does. A screenshot is a picture for review, never a check (no test
 * reads one back), and the suite's ~170 of them (two thirds full-page: the whole page laid out, painted in
 * software and PNG-encoded) cost Chromium ~0.25 s of CPU and the test ~0.5 s each (four screenshot-heavy
 * files, 31 screenshots: 102-104 s and 71-73 s of CPU with them, 88 s and 64 s without).
 * TOCSIN_E2E_SCREENSHOTS=1 (or 0) says otherwise.
 */
export const writeScreenshots = process.env.TOCSIN_E2E_SCREENSHOTS
  ? process.env.TOCSIN_E2E_SCREENSHOTS !== '0'
  : !(process.env.CI && process.env.VITEST);

/** Makes `screenshot()` of pages and locators take no picture (see writeScreenshots); once per process. */
let screenshotsOff = false;
function turnScreenshotsOff(page: Page): void {
  if (screenshotsOff) return;
  screenshotsOff = true;
  const none = async () => Buffer.alloc(0);
  Object.getPrototypeOf(page).screenshot = none;
  Object.getPrototypeOf(page.locator('body')).screenshot = none;
}

export interface ContextOptions {
  locale?: string;
  viewport?: { width: number; height: number };
  /** The viewer's time zone (default Asia/Shanghai). */
  timezoneId?: string;
}

/** A fresh browser profile (own cookies and storage), as a separate person would have. */
export async function newContext(browser: Browser, opts: ContextOptions = {}): Promise<BrowserContext> {
  const ctx = await browser.newContext({
    locale: opts.locale ?? 'en-US',
    timezoneId: opts.timezoneId ?? 'Asia/Shanghai',
    viewport: opts.viewport ?? { width: 1366, height: 768 },
  });
  // Fail a step (naming its locator) well before the test's own timeout.
  ctx.setDefaultTimeout(10_000);
  if (!writeScreenshots) ctx.on('page', turnScreenshotsOff);
  return ctx;
}

/** Collect page errors so a test can assert that the console raised none. */
export function watchErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  return errors;
}

/**
 * Opens `url` — the console's root or any page of it — signs in through the login form shown there and
 * waits for the page with a live stream. Signing in where the test goes next spares a second load of the
 * console (~1.3 s of Chromium's CPU): the sign-in form is shown at any address, and the page itself after.
 */
export async function signIn(page: Page, url: string, email: string, password: string): Promise<void> {
  await page.goto(url);
  await page.getByTestId('login-email').fill(email);
  await page.getByTestId('login-password').fill(password);
  await page.getByTestId('login-submit').click();
  await page.getByTestId('app-header').waitFor();
  await page.locator('[data-testid="live-status"][data-state="open"]').waitFor({ state: 'attached' });
}

/** Pick an option of a Mantine Select / MultiSelect by its visible label. */
export async function pickOption(page: Page, testId: string, label: string): Promise<void> {
  await page.getByTestId(testId).click();
  await page.getByRole('option', { name: label, exact: true }).click();
}

/**
 * Calls the API in-process (`app.inject`) as the session `page` is signed in with: its cookies and the
 * session's CSRF token — setting up what a test does not click through.
 */
export async function injectAs(
  app: FastifyInstance,
  page: Page,
  method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE',
  url: string,
  payload?: unknown,
) {
  const cookie = (await page.context().cookies()).map((c) => `${c.name}=${c.value}`).join('; ');
  const session = await app.inject({ method: 'GET', url: '/api/v1/session', headers: { cookie } });
  return app.inject({
    method,
    url,
    ...(payload === undefined ? {} : { payload: payload as object }),
    headers: { cookie, 'x-csrf-token': session.json().csrfToken },
  });
}
