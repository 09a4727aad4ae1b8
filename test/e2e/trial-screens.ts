/**
 * Screenshots of a trial as a new user on the office network sees it: the console over plain http under a
 * host name that is not localhost (tocsin-trial.test, mapped to 127.0.0.1 in Chromium), with the demo
 * firm; the incident list, the Services page (the demo's self probes up, and a probe an older demo wrote
 * at 127.0.0.1:8080, now refused as loopback: not checked, not down) and the read-only settings page,
 * zh-CN and English. Run from the repo root after `node scripts/build.mjs`:
 *   npx tsx test/e2e/trial-screens.ts  → .tmp/screens/trial-*.png
 */
import { mkdirSync } from 'node:fs';
import { wire } from '../../src/server/compose.js';
import { loadDemo, settableClock } from '../../src/server/cli/demo.js';
import { createProbeService } from '../../src/server/modules/probe/index.js';
import { createOutboundGuard } from '../../src/server/platform/outbound-guard.js';
import { startTestServer } from '../helpers/server.js';
import { assertBrowserReady, launchBrowser, newContext, signIn } from './browser.js';

const OUT = '.tmp/screens';
const HOST = 'tocsin-trial.test';
const LOCALES = { 'zh-CN': 'zh-CN', en: 'en-US' };

assertBrowserReady();
mkdirSync(OUT, { recursive: true });
const server = await startTestServer({ env: { TOCSIN_PUBLIC_URL: 'http://tocsin-trial.test:9090' } });
const browser = await launchBrowser([`--host-resolver-rules=MAP ${HOST} 127.0.0.1`]);
try {
  const { store, config, bus } = server.running.services;
  const clock = settableClock();
  const demo = wire(store, config, { clock, bus });
  await loadDemo(demo, clock);
  // What `tocsin demo` wrote before self targets: a loopback URL (saved then, refused now).
  const before = createProbeService({
    store,
    audit: demo.audit,
    bus,
    clock: demo.clock,
    config: config.probes,
    raise: async () => [],
    guard: createOutboundGuard({ allowLoopback: true }),
  });
  const admin = (await demo.users.list(undefined, 1)).items[0]!;
  await before.create({ user: admin, via: 'cli', scopes: null, restrictedTo: null }, 'market-data', {
    name: '行情网关 Quotes gateway (older demo)',
    kind: 'http',
    target: 'http://127.0.0.1:8080/api/v1/health',
    intervalS: 30,
    expect: {},
    failuresToDown: 3,
    successesToUp: 2,
    enabled: true,
  });
  const base = `http://${HOST}:${new URL(server.url).port}`;
  for (const [lang, locale] of Object.entries(LOCALES)) {
    const ctx = await newContext(browser, { locale, viewport: { width: 1366, height: 900 } });
    const page = await ctx.newPage();
    await page.goto(`${base}/`);
    await page.getByTestId('login-form').waitFor();
    await page.screenshot({ path: `${OUT}/trial-login-${lang}.png` });
    await signIn(page, base, server.adminEmail, server.adminPassword);
    await page.getByTestId('incident-row').first().waitFor();
    await page.screenshot({ path: `${OUT}/trial-incidents-${lang}.png` });
    await page.getByTestId('nav-services').click();
    await page
      .locator('[data-testid="service-card"][data-key="online-trading"][data-state="up"]')
      .waitFor({ timeout: 20_000 });
    await page.getByTestId('probe-refused').waitFor({ timeout: 20_000 });
    await page.screenshot({ path: `${OUT}/trial-services-${lang}.png`, fullPage: true });
    await page.getByTestId('nav-settings').click();
    await page.getByTestId('setting-row').first().waitFor();
    await page.screenshot({ path: `${OUT}/trial-settings-${lang}.png`, fullPage: true });
    await ctx.close();
  }
  console.log(`screenshots written to ${OUT}/trial-*.png`);
} finally {
  await browser.close();
  await server.stop();
}
