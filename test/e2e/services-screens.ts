/**
 * Screenshots of the Services page for visual review, zh-CN and English, laptop and phone: four services,
 * probes up, degraded (slow), down (refused) and one without probes. Run from the repo root after
 * `node scripts/build.mjs`:  npx tsx test/e2e/services-screens.ts  → .tmp/screens/services-*.png
 */
import http from 'node:http';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { mkdirSync } from 'node:fs';
import { startTestServer } from '../helpers/server.js';
import { assertBrowserReady, launchBrowser, newContext, signIn } from './browser.js';

const OUT = '.tmp/screens';
const SIZES = { laptop: { width: 1366, height: 900 }, phone: { width: 390, height: 844 } };
const LOCALES = { 'zh-CN': 'zh-CN', en: 'en-US' };

assertBrowserReady();
mkdirSync(OUT, { recursive: true });
const web = http.createServer((req, res) =>
  setTimeout(() => res.end(req.url === '/slow' ? 'ok' : 'OK trading open'), req.url === '/slow' ? 180 : 5),
);
await new Promise<void>((r) => web.listen(0, '127.0.0.1', r));
const base = `http://127.0.0.1:${(web.address() as AddressInfo).port}`;
const tcp = net.createServer((s) => s.end());
await new Promise<void>((r) => tcp.listen(0, '127.0.0.1', r));
const tcpPort = (tcp.address() as AddressInfo).port;
const closed = net.createServer();
await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
const closedPort = (closed.address() as AddressInfo).port;
await new Promise<void>((r) => closed.close(() => r()));

const server = await startTestServer({ env: { TOCSIN_PROBE_ALLOW_LOOPBACK: 'true' } });
const browser = await launchBrowser();
try {
  const s = server.running.services;
  const system = { id: null, label: 'screens' };
  for (const [key, zh, en] of [
    ['online-trading', '网上交易', 'Online trading'],
    ['market-data', '行情服务', 'Market data'],
    ['bank-transfer', '银证转账', 'Bank-securities transfer'],
    ['account-opening', '线上开户', 'Account opening'],
  ]) {
    await s.catalog.create(system, { key: key!, nameZh: zh!, nameEn: en!, description: '' });
  }
  const ctx = await newContext(browser);
  const page = await ctx.newPage();
  await signIn(page, server.url, server.adminEmail, server.adminPassword);
  const add = async (key: string, body: Record<string, unknown>) => {
    const res = await page.request.post(`${server.url}/api/v1/services/${key}/probes`, {
      data: body,
      headers: {
        'x-csrf-token': (await page.request.get(`${server.url}/api/v1/session`).then((r) => r.json())).csrfToken,
      },
    });
    if (!res.ok()) throw new Error(await res.text());
    return (await res.json()) as { id: string };
  };
  await add('online-trading', {
    name: '交易登录页 Login page',
    kind: 'http',
    target: `${base}/login`,
    intervalS: 30,
    expect: { status: [[200, 299]], bodyContains: 'trading open' },
  });
  await add('online-trading', { name: 'Order gateway', kind: 'tcp', target: `127.0.0.1:${tcpPort}`, intervalS: 30 });
  await add('market-data', {
    name: 'Quotes API',
    kind: 'http',
    target: `${base}/slow`,
    intervalS: 30,
    expect: { maxLatencyMs: 100 },
  });
  await add('bank-transfer', {
    name: 'Bank link',
    kind: 'tcp',
    target: `127.0.0.1:${closedPort}`,
    intervalS: 30,
    failuresToDown: 1,
  });
  // the scheduler runs new probes at once
  await new Promise((r) => setTimeout(r, 2500));
  await ctx.close();
  for (const [lang, locale] of Object.entries(LOCALES)) {
    for (const [size, viewport] of Object.entries(SIZES)) {
      const c = await newContext(browser, { locale, viewport });
      const p = await c.newPage();
      await signIn(p, server.url, server.adminEmail, server.adminPassword);
      await p.goto(`${server.url}/services`);
      await p.locator('[data-testid="service-card"][data-key="bank-transfer"][data-state="down"]').waitFor();
      await p.screenshot({ path: `${OUT}/services-${lang}-${size}.png`, fullPage: true });
      if (size === 'laptop') {
        await p.locator('[data-testid="service-card"][data-key="account-opening"]').getByTestId('probe-add').click();
        await p.getByTestId('probe-name').waitFor();
        await p.waitForTimeout(400);
        await p.screenshot({ path: `${OUT}/services-add-${lang}.png` });
      }
      await c.close();
    }
  }
  console.log(`screens written to ${OUT}`);
} finally {
  await browser.close();
  await server.stop();
  web.close();
  tcp.close();
}
