/**
 * The war room's IOC card in a real browser: an analyst adds an address (English), sees it in the table,
 * turns the IOCs into detection rules and sees the rule listed with no hit; an event naming the address
 * then counts a hit after a reload; in Chinese the card reads 入侵指标 and the STIX link is there.
 * Needs Chromium (test/e2e/browser.ts).
 */
import { mkdirSync } from 'node:fs';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IncidentCreate } from '../../src/shared/incident-schemas.js';
import { startTestServer } from '../helpers/server.js';
import { assertBrowserReady, launchBrowser, newContext, signIn, skipBrowserSuite, watchErrors } from './browser.js';

type Server = Awaited<ReturnType<typeof startTestServer>>;
const OUT = '.tmp/screens';

describe.skipIf(skipBrowserSuite())('IOC card (browser)', () => {
  let server: Server;
  let browser: Browser;

  beforeAll(async () => {
    assertBrowserReady();
    mkdirSync(OUT, { recursive: true });
    server = await startTestServer({ serve: { jobRunner: false } });
    browser = await launchBrowser();
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('adds an IOC, makes it a detection rule and shows its hit; reads in Chinese', { timeout: 90_000 }, async () => {
    const s = server.running.services;
    const admin = (await s.users.byEmail(server.adminEmail))!;
    const p = { user: admin, via: 'cli' as const, scopes: null, restrictedTo: null };
    const incident = await s.incidents.create(
      p,
      IncidentCreate.parse({
        title: 'Credential stuffing',
        category: 'network_attack',
        grade: 'III',
        commanderId: admin.id,
      }),
    );

    const page = await (await newContext(browser, { locale: 'en-US' })).newPage();
    const errors = watchErrors(page);
    await signIn(page, `${server.url}/incidents/${incident.key}`, server.adminEmail, server.adminPassword);
    const card = page.getByTestId('ioc-card');
    await card.getByText('No IOC yet').waitFor();
    await card.getByTestId('ioc-value').fill('203.0.113.99');
    await card.getByRole('button', { name: 'Add', exact: true }).click();
    await card.locator('[data-testid="ioc-row"][data-type="ipv4"]').getByText('203.0.113.99').waitFor();

    await card.getByRole('button', { name: 'Create detection rules' }).click();
    const rule = card.getByTestId('ioc-rule');
    await rule.getByText(`IOC match (addresses and domains) of ${incident.key}`).waitFor();
    expect(await rule.textContent()).toContain('0 hits');
    await s.rules.settled();

    await s.detection.sink([
      {
        id: 'e2e-ioc-1',
        time: Date.now(),
        source: 'proxy',
        logsource: { product: 'proxy' },
        fields: { 'c-ip': '203.0.113.99' },
      },
    ]);
    await s.detection.idle();
    await s.rules.flushHits();
    await page.reload();
    await card.getByTestId('ioc-rule').getByText('1 hit').waitFor();
    await card.screenshot({ path: `${OUT}/ioc-card.png` });
    expect(errors).toEqual([]);

    const zh = await (await newContext(browser, { locale: 'zh-CN' })).newPage();
    await signIn(zh, `${server.url}/incidents/${incident.key}`, server.adminEmail, server.adminPassword);
    const zhCard = zh.getByTestId('ioc-card');
    await zhCard.getByText('入侵指标（IOC）').waitFor();
    await zhCard.getByRole('button', { name: '更新检测规则' }).waitFor();
    expect(await zhCard.getByRole('link', { name: 'STIX 2.1' }).getAttribute('href')).toBe(
      `/api/v1/incidents/${incident.key}/stix`,
    );
  });
});
