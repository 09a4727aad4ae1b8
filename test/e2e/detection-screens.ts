/**
 * Screenshots of what detection writes, for review in both languages: the demo firm, then the
 * credential-stuffing scenario (raw login events through the events API and the bundled rules); the
 * alert queue, the stuffing alert and the war room of the incident detection declared, zh-CN and English.
 * Run from the repo root after `node scripts/build.mjs`:
 *   npx tsx test/e2e/detection-screens.ts  → .tmp/screens/detection-*.png
 */
import { mkdirSync } from 'node:fs';
import { startTestServer } from '../helpers/server.js';
import { wire } from '../../src/server/compose.js';
import { loadDemo, settableClock } from '../../src/server/cli/demo.js';
import { credentialStuffing } from '../../src/server/cli/scenario-credential-stuffing.js';
import { assertBrowserReady, launchBrowser, newContext, signIn } from './browser.js';

const OUT = '.tmp/screens';
const STUFFING = '95fa4895-874a-46cd-a448-2f770e76d64d';

assertBrowserReady();
mkdirSync(OUT, { recursive: true });
const server = await startTestServer();
const browser = await launchBrowser();
try {
  const s = server.running.services;
  const clock = settableClock();
  await loadDemo(wire(s.store, s.config, { clock, bus: s.bus }), clock);
  const admin = (await s.users.list(undefined, 50)).items.find((u) => u.role === 'admin')!;
  const token = (
    await s.tokens.create({ id: null, label: 'screens' }, admin.id, {
      name: 'screens',
      scopes: ['read', 'write', 'events'],
    })
  ).token;
  await credentialStuffing.run({ baseUrl: server.url, token, log: (line) => console.log(line) });
  await s.detection.idle();
  const alerts = (await (
    await fetch(`${server.url}/api/v1/alerts?rule=${STUFFING}`, { headers: { authorization: `Bearer ${token}` } })
  ).json()) as { items: { id: string; incident: { key: string } | null }[] };
  const alert = alerts.items[0]!;
  for (const [lang, locale] of [
    ['zh-CN', 'zh-CN'],
    ['en', 'en-US'],
  ] as const) {
    const ctx = await newContext(browser, { locale, viewport: { width: 1366, height: 900 } });
    const page = await ctx.newPage();
    await signIn(page, server.url, server.adminEmail, server.adminPassword);
    await page.goto(`${server.url}/alerts`);
    await page.getByTestId('alert-row').first().waitFor();
    await page.waitForTimeout(300);
    await page.screenshot({ path: `${OUT}/detection-alerts-${lang}.png` });
    await page.goto(`${server.url}/alerts/${alert.id}`);
    await page.getByTestId('alert-event').first().waitFor();
    await page.waitForTimeout(300);
    await page.screenshot({ path: `${OUT}/detection-alert-${lang}.png` });
    await page.goto(`${server.url}/incidents/${alert.incident!.key}`);
    await page.getByTestId('timeline-entry').first().waitFor();
    await page.getByTestId('incident-alert').first().waitFor();
    await page.waitForTimeout(300);
    await page.screenshot({ path: `${OUT}/detection-warroom-${lang}.png`, fullPage: true });
    await page.goto(`${server.url}/incidents/INC-1999-0001`);
    await page.getByTestId('problem-alert').waitFor();
    await page.screenshot({ path: `${OUT}/detection-problem-${lang}.png` });
    await ctx.close();
  }
  console.log(`screenshots written to ${OUT}/detection-*.png`);
} finally {
  await browser.close();
  await server.stop();
}
