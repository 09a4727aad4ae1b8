/**
 * The console's live stream resumes where it stopped: when the connection drops, the browser reconnects
 * with Last-Event-ID, the server replays what was missed, and the console applies it without refetching
 * everything on screen. Needs the built console (`npx vite build`) and Chromium (test/e2e/browser.ts).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page, Request } from 'playwright-core';
import { buildIncident, buildPrincipal } from '../helpers/fixtures.js';
import { startTestServer } from '../helpers/server.js';
import { assertBrowserReady, launchBrowser, newContext, signIn, skipBrowserSuite, watchErrors } from './browser.js';

type Server = Awaited<ReturnType<typeof startTestServer>>;

describe.skipIf(skipBrowserSuite())('live stream resume (browser)', () => {
  let server: Server;
  let browser: Browser;
  let page: Page;
  let errors: string[] = [];

  beforeAll(async () => {
    assertBrowserReady();
    server = await startTestServer();
    browser = await launchBrowser();
    page = await (await newContext(browser, { locale: 'en-US' })).newPage();
    errors = watchErrors(page);
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('gets a note made while its stream was down, replayed, without refetching the war room', {
    timeout: 30_000,
  }, async () => {
    const s = server.running.services;
    const admin = await buildPrincipal(s);
    const incident = await buildIncident(s, { by: admin, title: 'Quote feed gaps' });
    await signIn(page, `${server.url}/incidents/${incident.key}`, server.adminEmail, server.adminPassword);
    await page.getByTestId('warroom').waitFor();
    await page.locator('[data-testid="live-status"][data-state="open"]').waitFor({ state: 'attached' });
    await page.locator('[data-testid="timeline-entry"]').first().waitFor();

    const requests: Request[] = [];
    page.on('request', (r) => requests.push(r));
    // The stream (and every other connection) drops; the browser reconnects after the server's `retry`.
    server.running.app.server.closeAllConnections();
    await s.timeline.append(admin, incident.key, { text: 'Made while the console was away', kind: 'note' });

    await page
      .locator('[data-testid="timeline-entry"][data-kind="note"]')
      .filter({ hasText: 'Made while the console was away' })
      .waitFor({ timeout: 10_000 });
    const streams = requests.filter((r) => new URL(r.url()).pathname === '/api/v1/stream');
    expect(streams.length).toBeGreaterThanOrEqual(1);
    expect((await streams[0]!.allHeaders())['last-event-id']).toBeTruthy();
    // Replayed, not refetched: the incident and its timeline were not asked for again.
    const refetched = requests.filter((r) => new URL(r.url()).pathname.startsWith(`/api/v1/incidents/${incident.key}`));
    expect(refetched.map((r) => r.url())).toEqual([]);
    expect(errors).toEqual([]);
  });
});
