/**
 * Screenshots of the audit page for visual review, zh-CN and English: the demo firm's log as an
 * administrator (names, pager), the action picker, a filtered page, and the auditor's view. Run from
 * the repo root after `node scripts/build.mjs`:  npx tsx test/e2e/audit-screens.ts  → .tmp/screens/audit-*.png
 */
import { mkdirSync } from 'node:fs';
import { startTestServer } from '../helpers/server.js';
import { wire } from '../../src/server/compose.js';
import { loadDemo, settableClock } from '../../src/server/cli/demo.js';
import { assertBrowserReady, launchBrowser, newContext, signIn } from './browser.js';

const OUT = '.tmp/screens';
const LOCALES = { 'zh-CN': 'zh-CN', en: 'en-US' };
const COMMANDER = 'chen.jie@donghai-sec.example';
const AUDITOR = 'zheng.yu@donghai-sec.example';

assertBrowserReady();
mkdirSync(OUT, { recursive: true });
const server = await startTestServer();
const browser = await launchBrowser();
try {
  const { store, config, bus } = server.running.services;
  const clock = settableClock();
  const demo = await loadDemo(wire(store, config, { clock, bus }), clock);
  for (const [lang, locale] of Object.entries(LOCALES)) {
    const ctx = await newContext(browser, { locale, viewport: { width: 1366, height: 900 } });
    const page = await ctx.newPage();
    await signIn(page, server.url, server.adminEmail, server.adminPassword);
    await page.goto(`${server.url}/audit`);
    await page.getByTestId('audit-row').first().waitFor();
    await page.waitForTimeout(300);
    await page.screenshot({ path: `${OUT}/audit-log-${lang}.png` });

    await page.getByTestId('audit-action').click();
    await page.getByRole('option').first().waitFor();
    await page.waitForTimeout(300);
    await page.screenshot({ path: `${OUT}/audit-actions-${lang}.png` });
    await page.getByRole('option', { name: /incident\.transition/ }).click();

    await page.getByTestId('audit-actor').click();
    await page.getByRole('option', { name: new RegExp(COMMANDER.replace(/\./g, '\\.')) }).click();
    await page.getByTestId('audit-apply').click();
    await page.waitForFunction(() => {
      const codes = [...document.querySelectorAll('[data-testid="audit-action-name"] + *')].map((e) => e.textContent);
      return codes.length > 0 && codes.every((c) => c === 'incident.transition');
    });
    await page.getByTestId('audit-row').first().getByRole('button').click();
    await page.waitForTimeout(300);
    await page.screenshot({ path: `${OUT}/audit-filtered-${lang}.png`, fullPage: true });
    await ctx.close();

    const auditorCtx = await newContext(browser, { locale, viewport: { width: 1366, height: 900 } });
    const auditor = await auditorCtx.newPage();
    await signIn(auditor, server.url, AUDITOR, demo.password);
    await auditor.goto(`${server.url}/audit`);
    await auditor.getByTestId('audit-row').first().waitFor();
    await auditor.waitForTimeout(300);
    await auditor.screenshot({ path: `${OUT}/audit-auditor-${lang}.png` });
    await auditorCtx.close();
  }
  console.log(`screenshots written to ${OUT}/`);
} finally {
  await browser.close();
  await server.stop();
}
