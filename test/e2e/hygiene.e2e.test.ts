/**
 * Input hygiene as a user meets it in the console (English and Chinese): a token cannot be created with
 * an expiry in the past (the field says so in the reader's language, nothing is created), and a name
 * with a right-to-left override is kept in the order it was typed. Screenshots go to .tmp/screens/.
 * Needs the built console and Chromium (test/e2e/browser.ts).
 */
import { mkdirSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { startTestServer } from '../helpers/server.js';
import { assertBrowserReady, launchBrowser, newContext, signIn, skipBrowserSuite, watchErrors } from './browser.js';

const OUT = '.tmp/screens';
const PAST = {
  en: 'Pick a time in the future: a token that has already expired cannot be used.',
  'zh-CN': '请选择晚于现在的时间：已过期的令牌无法使用。',
};

describe.skipIf(skipBrowserSuite())('input hygiene in the console (browser)', () => {
  let server: Awaited<ReturnType<typeof startTestServer>>;
  let browser: Browser;

  beforeAll(async () => {
    assertBrowserReady();
    mkdirSync(OUT, { recursive: true });
    server = await startTestServer();
    browser = await launchBrowser();
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  for (const [lang, locale] of [
    ['en', 'en-US'],
    ['zh-CN', 'zh-CN'],
  ] as const) {
    it(`refuses a token expiring in the past and keeps a name in typed order (${lang})`, {
      timeout: 60_000,
    }, async () => {
      const page = await (await newContext(browser, { locale })).newPage();
      const errors = watchErrors(page);
      await signIn(page, `${server.url}/security`, server.adminEmail, server.adminPassword);
      const tokens = async () => (await server.running.services.tokens.list(undefined, undefined, 200)).items.length;
      const before = await tokens();

      await page.getByTestId('token-name').fill(`siem\u202E-forwarder-${lang}`);
      await page.getByTestId('token-expires').fill('2020-01-01T09:00');
      await page.getByTestId('token-submit').click();
      await page.getByText(PAST[lang]).waitFor();
      await page.screenshot({ path: `${OUT}/token-expiry-past-${lang}.png` });
      expect(await tokens()).toBe(before);

      await page.getByTestId('token-expires').fill(`${new Date().getFullYear() + 1}-01-01T09:00`);
      expect(await page.getByText(PAST[lang]).count()).toBe(0);
      await page.getByTestId('token-submit').click();
      await page.getByTestId('token-created').waitFor();
      await page.getByText(`siem-forwarder-${lang}`).first().waitFor();
      await page.screenshot({ path: `${OUT}/token-created-${lang}.png`, fullPage: true });
      expect(await tokens()).toBe(before + 1);
      const created = (await server.running.services.tokens.list(undefined, undefined, 200)).items.find((x) =>
        x.name.endsWith(lang),
      );
      expect(created?.name).toBe(`siem-forwarder-${lang}`);
      expect(errors).toEqual([]);
    });
  }
});
