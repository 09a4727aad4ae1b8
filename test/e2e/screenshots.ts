/**
 * Screenshots of the console for visual review: incident list and war room, zh-CN and English, laptop and phone.
 * Shows the demo firm (`tocsin demo`). Run from the repo root after `npx vite build`:
 *   npx tsx test/e2e/screenshots.ts  → .tmp/screens/*.png
 */
import { mkdirSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { startTestServer } from '../helpers/server.js';
import { wire } from '../../src/server/compose.js';
import { loadDemo, settableClock } from '../../src/server/cli/demo.js';
import { alertScreens, seedAlerts } from './alert-screens.js';
import { assertBrowserReady, launchBrowser, newContext, signIn } from './browser.js';

const OUT = '.tmp/screens';
const SIZES = { laptop: { width: 1366, height: 768 }, phone: { width: 390, height: 844 } };
const LOCALES = { 'zh-CN': 'zh-CN', en: 'en-US' };

/** The remaining screens, for a look at everything: declare form, users, audit, security, login. */
async function otherScreens(page: Page, suffix: string): Promise<void> {
  await page.goto(`${server.url}/incidents`);
  await page.getByTestId('declare-open').click();
  await page.getByTestId('declare-title').waitFor();
  await page.waitForTimeout(500); // let the modal's opening transition finish
  await page.screenshot({ path: `${OUT}/declare-${suffix}.png` });
  await page.keyboard.press('Escape');
  await page.goto(`${server.url}/users`);
  await page.getByTestId('user-row').first().waitFor();
  await page.screenshot({ path: `${OUT}/users-${suffix}.png` });
  await page.goto(`${server.url}/audit`);
  await page.getByTestId('audit-row').first().waitFor();
  await page.getByTestId('audit-verify').click();
  await page.getByTestId('audit-verify-result').waitFor();
  await page.getByTestId('audit-row').first().getByRole('button').click();
  await page.screenshot({ path: `${OUT}/audit-${suffix}.png` });
  await page.goto(`${server.url}/security`);
  await page.getByTestId('token-name').fill('SIEM webhook');
  await page.getByTestId('token-submit').click();
  await page.getByTestId('token-created').waitFor();
  await page.getByTestId('mfa-setup').click();
  await page.getByTestId('enrol-qr').waitFor();
  await page.screenshot({ path: `${OUT}/security-${suffix}.png`, fullPage: true });
  await page.getByTestId('user-menu').click();
  await page.getByTestId('logout').click();
  await page.getByTestId('login-form').waitFor();
  await page.screenshot({ path: `${OUT}/login-${suffix}.png` });
}

assertBrowserReady();
mkdirSync(OUT, { recursive: true });
const server = await startTestServer();
const browser = await launchBrowser();
try {
  // The same demo `tocsin demo` loads, written through the running server's store and bus.
  const { store, config, bus } = server.running.services;
  const clock = settableClock();
  const demo = await loadDemo(wire(store, config, { clock, bus }), clock);
  const key = demo.incidents.find((i) => i.status !== 'closed' && !i.restricted)!.key; // the live DDoS incident
  const seeded = await seedAlerts(server.running.services);
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
      await alertScreens(page, server.url, `${lang}-${size}`, seeded, size === 'laptop' || lang === 'zh-CN');
      if (size === 'laptop' || lang === 'zh-CN') await otherScreens(page, `${lang}-${size}`);
      await ctx.close();
    }
  }
  console.log(`screenshots written to ${OUT}/`);
} finally {
  await browser.close();
  await server.stop();
}
