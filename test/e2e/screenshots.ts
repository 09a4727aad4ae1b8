/**
 * Screenshots of the console for visual review: incident list and war room, zh-CN and English, laptop and phone.
 * Run from the repo root after `npx vite build`:  npx tsx test/e2e/screenshots.ts  → .tmp/screens/*.png
 */
import { mkdirSync } from 'node:fs';
import { startTestServer } from '../helpers/server.js';
import { signInApi } from './api-client.js';
import { assertBrowserReady, launchBrowser, newContext, signIn } from './browser.js';
import { seedDemo } from './seed.js';

const OUT = '.tmp/screens';
const SIZES = { laptop: { width: 1366, height: 768 }, phone: { width: 390, height: 844 } };
const LOCALES = { 'zh-CN': 'zh-CN', en: 'en-US' };

assertBrowserReady();
mkdirSync(OUT, { recursive: true });
const server = await startTestServer();
const browser = await launchBrowser();
try {
  const api = await signInApi(server.url, server.adminEmail, server.adminPassword);
  const key = await seedDemo(api);
  for (const [lang, locale] of Object.entries(LOCALES)) {
    for (const [size, viewport] of Object.entries(SIZES)) {
      const ctx = await newContext(browser, { locale, viewport });
      const page = await ctx.newPage();
      await signIn(page, server.url, server.adminEmail, server.adminPassword);
      await page.getByTestId('incident-row').first().waitFor();
      await page.screenshot({ path: `${OUT}/incidents-${lang}-${size}.png` });
      await page.screenshot({ path: `${OUT}/incidents-${lang}-${size}-full.png`, fullPage: true });
      await page.goto(`${server.url}/incidents/${key}`);
      await page.getByTestId('timeline-entry').first().waitFor();
      await page.getByTestId('task').first().waitFor();
      await page.waitForTimeout(300);
      await page.screenshot({ path: `${OUT}/warroom-${lang}-${size}.png` });
      await page.screenshot({ path: `${OUT}/warroom-${lang}-${size}-full.png`, fullPage: true });
      await ctx.close();
    }
  }
  console.log(`screenshots written to ${OUT}/`);
} finally {
  await browser.close();
  await server.stop();
}
