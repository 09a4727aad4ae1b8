/**
 * The Services page in a real browser against a real server (with its probe scheduler running): a commander
 * adds an HTTP probe through the form, the scheduler checks it and the page shows it up; "run now" against
 * a failing endpoint turns it down after failuresToDown and a second console (Chinese) sees the service go
 * down live; disable and delete work. Needs the built console and Chromium (test/e2e/browser.ts).
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { startTestServer } from '../helpers/server.js';
import { assertBrowserReady, launchBrowser, newContext, signIn, skipBrowserSuite, watchErrors } from './browser.js';

type Server = Awaited<ReturnType<typeof startTestServer>>;

describe.skipIf(skipBrowserSuite())('services and probes (browser)', () => {
  let server: Server;
  let browser: Browser;
  let a: Page; // English, incident commander
  let b: Page; // Chinese, executive (reads only)
  let errorsA: string[] = [];
  let errorsB: string[] = [];
  const answer = { status: 200 };
  const web = http.createServer((_req, res) => res.writeHead(answer.status).end('ok'));
  let target = '';

  beforeAll(async () => {
    assertBrowserReady();
    await new Promise<void>((r) => web.listen(0, '127.0.0.1', r));
    target = `http://127.0.0.1:${(web.address() as AddressInfo).port}/health`;
    server = await startTestServer({ env: { TOCSIN_PROBE_ALLOW_LOOPBACK: 'true' } });
    const s = server.running.services;
    const system = { id: null, label: 'test' };
    await s.catalog.create(system, {
      key: 'online-trading',
      nameZh: '网上交易',
      nameEn: 'Online trading',
      description: '',
    });
    await s.users.create(system, {
      email: 'ic@test.example',
      name: 'Commander',
      role: 'incident_commander',
      password: server.adminPassword,
    });
    await s.users.create(system, {
      email: 'exec@test.example',
      name: 'Executive',
      role: 'executive',
      password: server.adminPassword,
    });
    browser = await launchBrowser();
    a = await (await newContext(browser, { locale: 'en-US' })).newPage();
    b = await (await newContext(browser, { locale: 'zh-CN' })).newPage();
    errorsA = watchErrors(a);
    errorsB = watchErrors(b);
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    web.closeAllConnections();
    web.close();
  });

  const card = (p: Page) => p.locator('[data-testid="service-card"][data-key="online-trading"]');

  it('a commander adds a probe and sees the service come up', { timeout: 30_000 }, async () => {
    await signIn(a, server.url, 'ic@test.example', server.adminPassword);
    await signIn(b, server.url, 'exec@test.example', server.adminPassword);
    await a.getByTestId('nav-services').click();
    await card(a).getByTestId('service-no-probes').waitFor();
    expect(await card(a).getByTestId('service-health').textContent()).toBe('Unknown');
    await b.getByTestId('nav-services').click();
    expect(await b.getByTestId('nav-services').textContent()).toBe('业务服务');
    expect(await card(b).getByTestId('service-name').textContent()).toBe('网上交易');
    expect(await card(b).getByTestId('probe-add').count()).toBe(0); // executives read only

    await card(a).getByTestId('probe-add').click();
    await a.getByTestId('probe-name').fill('Login page');
    await a.getByTestId('probe-target').fill(target);
    await a.getByTestId('probe-interval').fill('30');
    await a.getByTestId('probe-submit').click();
    const row = card(a).getByTestId('probe-row');
    await row.waitFor();
    // the scheduler checks a new probe at once; the stream tells the page
    await card(a).locator('[data-testid="service-health"][data-state="up"]').waitFor({ timeout: 10_000 });
    expect(await row.getByTestId('probe-state').textContent()).toBe('Up');
    expect(await row.getByTestId('probe-latency').textContent()).toMatch(/^\d+ ms$/);
    await card(b).locator('[data-testid="service-health"][data-state="up"]').waitFor({ timeout: 10_000 });
    expect(await card(b).getByTestId('service-health').textContent()).toBe('正常');
  });

  it('run now against a failing endpoint turns it down after three failures, live on the other console', {
    timeout: 30_000,
  }, async () => {
    answer.status = 503;
    const row = card(a).getByTestId('probe-row');
    for (let i = 0; i < 3; i++) {
      await row.getByTestId('probe-run').click();
      await row.locator('[data-testid="probe-run"]:not([data-loading])').waitFor();
    }
    await card(a).locator('[data-testid="service-health"][data-state="down"]').waitFor({ timeout: 10_000 });
    expect(await row.getByTestId('probe-error').textContent()).toBe('status 503, expected 200–399');
    await card(b).locator('[data-testid="service-health"][data-state="down"]').waitFor({ timeout: 10_000 });
    expect(await card(b).getByTestId('service-health').textContent()).toBe('中断');
    // the outage is an alert like any detection
    await a.getByTestId('nav-alerts').click();
    await a.getByText('Probe down: Online trading · Login page').waitFor();
    await b.getByTestId('nav-alerts').click();
    await b.getByText('拨测失败：网上交易 · Login page').waitFor();
    await b.getByTestId('nav-services').click();
  });

  it('disabling the probe leaves the service unknown; deleting removes it', { timeout: 30_000 }, async () => {
    answer.status = 200;
    await a.getByTestId('nav-services').click();
    const row = card(a).getByTestId('probe-row');
    await row.getByTestId('probe-toggle').click();
    await row.getByTestId('probe-disabled').waitFor();
    await card(a).locator('[data-testid="service-health"][data-state="unknown"]').waitFor();
    expect(await row.getByTestId('probe-toggle').textContent()).toBe('Enable');
    await card(b).locator('[data-testid="service-health"][data-state="unknown"]').waitFor({ timeout: 10_000 });
    await row.getByTestId('probe-delete').click();
    await a.getByRole('button', { name: 'Confirm' }).click();
    await card(a).getByTestId('service-no-probes').waitFor();
    expect(errorsA).toEqual([]);
    expect(errorsB).toEqual([]);
  });
});
