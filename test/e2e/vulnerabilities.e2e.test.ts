/**
 * Vulnerabilities in the console, in a real browser against a real server (issue 16): with CISA's KEV
 * catalog imported, a responder imports a Nessus file from the page's form and reads the import's result
 * (new findings, the refused items with where and why); the Log4Shell finding is in KEV, so KEV's long-past
 * due date makes it past its SLA: the table shows the SLA-breach and KEV badges and "past SLA only" keeps
 * it alone; its drawer shows the history and moves it to remediation. In zh-CN the same page reads in
 * Chinese with the finding past SLA (已超期). Screenshots: .tmp/screens/vulns-*.png.
 * Needs the built console and Chromium (test/e2e/browser.ts).
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildService, buildUser, PASSWORD } from '../helpers/fixtures.js';
import { multipartBody } from '../helpers/multipart.js';
import { startTestServer } from '../helpers/server.js';
import {
  assertBrowserReady,
  launchBrowser,
  newContext,
  pickOption,
  signIn,
  skipBrowserSuite,
  watchErrors,
} from './browser.js';

type Server = Awaited<ReturnType<typeof startTestServer>>;

const OUT = '.tmp/screens';
const WAIT = { timeout: 10_000 };
const FIX = path.resolve(import.meta.dirname, '../fixtures/vulns');

describe.skipIf(skipBrowserSuite())('vulnerabilities console (browser)', () => {
  let server: Server;
  let browser: Browser;
  let en: Page;
  let zh: Page;
  let errors: string[] = [];

  beforeAll(async () => {
    assertBrowserReady();
    fs.mkdirSync(OUT, { recursive: true });
    server = await startTestServer();
    const s = server.running.services;
    const responder = { email: 'vu-responder@test.example', name: 'Zhao Responder', role: 'responder' as const };
    const zhUser = { email: 'vu-zh@test.example', name: '孙审计', role: 'auditor' as const, locale: 'zh-CN' as const };
    for (const u of [responder, zhUser]) await buildUser(s, u);
    await buildService(s, { key: 'online-trading' });
    browser = await launchBrowser();
    const open = async (locale: string, email: string) => {
      const page = await (await newContext(browser, { locale, viewport: { width: 1366, height: 900 } })).newPage();
      await signIn(page, server.url, email, PASSWORD);
      return page;
    };
    en = await open('en-US', responder.email);
    errors = watchErrors(en);
    zh = await open('zh-CN', zhUser.email);
    // CISA's KEV catalog, uploaded through the API as the responder.
    const cookie = (await en.context().cookies()).map((c) => `${c.name}=${c.value}`).join('; ');
    const app = server.running.app;
    const csrf = (await app.inject({ method: 'GET', url: '/api/v1/session', headers: { cookie } })).json().csrfToken;
    const { payload, contentType } = await multipartBody(
      {},
      { name: 'kev.json', bytes: fs.readFileSync(path.join(FIX, 'kev.json')) },
    );
    const kev = await app.inject({
      method: 'POST',
      url: '/api/v1/vulnerabilities/kev',
      headers: { cookie, 'x-csrf-token': csrf, 'content-type': contentType },
      payload,
    });
    expect(kev.statusCode, kev.body).toBe(200);
  }, 90_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  async function shoot(p: Page, name: string) {
    await p.mouse.move(0, 0);
    // Transitions are taken to their end (no wait on the wall clock).
    await p.screenshot({ path: `${OUT}/vulns-${name}.png`, fullPage: true, animations: 'disabled' });
  }

  it('imports a Nessus file from the form, shows the result, and the KEV finding past its SLA with its badges', {
    timeout: 90_000,
  }, async () => {
    await en.goto(`${server.url}/vulnerabilities`);
    await en.getByTestId('vuln-import').waitFor();
    await pickOption(en, 'vuln-import-format', 'Nessus (.nessus)');
    await en.getByTestId('vuln-import-scanner').fill('nessus-dc1');
    const [chooser] = await Promise.all([en.waitForEvent('filechooser'), en.getByTestId('vuln-import-file').click()]);
    await chooser.setFiles(path.join(FIX, 'scan.nessus'));
    await en.getByTestId('vuln-import-submit').click();
    const result = en.getByTestId('vuln-import-result');
    await result.waitFor(WAIT);
    const said = (await result.textContent()) ?? '';
    expect(said).toContain('Imported scan.nessus (utf-8): 4 new, 0 updated, 0 reopened, 0 closed, 2 rejected');
    expect(said).toContain('the ReportItem has no numeric pluginID');

    await expect.poll(() => en.getByTestId('vuln-row').count(), WAIT).toBe(4);
    const first = en.getByTestId('vuln-row').first();
    expect(await first.textContent()).toContain('Apache Log4j RCE (Log4Shell)');
    expect(await first.getByTestId('vuln-past-sla').textContent()).toBe('Past SLA');
    expect(await first.getByTestId('vuln-kev').count()).toBe(1);
    expect(await en.getByTestId('vuln-past-sla').count()).toBe(1);

    await en.getByTestId('vuln-filter-past-sla').click();
    await expect.poll(() => en.getByTestId('vuln-row').count(), WAIT).toBe(1);
    await shoot(en, 'list-en');

    await en.getByTestId('vuln-row').first().click();
    const drawer = en.getByTestId('vuln-drawer');
    await drawer.waitFor(WAIT);
    expect(await en.getByTestId('vuln-history').textContent()).toMatch(/— → Open.*found by scan/);
    await pickOption(en, 'vuln-transition-to', 'In remediation');
    await en.getByTestId('vuln-transition-reason').fill('Patch window Saturday 02:00');
    await en.getByTestId('vuln-transition-submit').click();
    await expect
      .poll(async () => (await en.getByTestId('vuln-history').textContent()) ?? '', WAIT)
      .toContain('Patch window Saturday 02:00');
    expect(await drawer.getByTestId('vuln-status').textContent()).toBe('In remediation');
    await shoot(en, 'drawer-en');
    await en.keyboard.press('Escape');

    // A mapping rule added from the page maps the findings kept without a service.
    const rules = en.getByTestId('vuln-mappings');
    await rules.getByPlaceholder('trade-gw-*').fill('trade-gw-*');
    await rules.getByPlaceholder('online-trading').fill('online-trading');
    await rules.getByRole('button', { name: 'Add rule' }).click();
    await expect.poll(() => en.getByTestId('vuln-mapping').count(), WAIT).toBe(1);
    await expect
      .poll(async () => (await en.getByTestId('vuln-row').first().textContent()) ?? '', WAIT)
      .toContain('online-trading');
    expect(errors).toEqual([]);
  });

  it('reads in Chinese, with the finding past its SLA (已超期)', { timeout: 60_000 }, async () => {
    await zh.goto(`${server.url}/vulnerabilities`);
    await expect.poll(() => zh.getByTestId('vuln-row').count(), WAIT).toBe(4);
    expect(await zh.getByRole('heading', { name: '漏洞管理' }).count()).toBe(1);
    expect(await zh.getByTestId('vuln-import').count()).toBe(0); // an auditor reads only
    const past = zh.getByTestId('vuln-past-sla');
    expect(await past.count()).toBe(1);
    expect(await past.textContent()).toBe('已超期');
    expect(await zh.getByTestId('vuln-row').first().getByTestId('vuln-severity').textContent()).toBe('严重 10.0');
    expect(await zh.getByTestId('vuln-sla-critical').inputValue()).toBe('7 天');
    expect(await zh.getByTestId('vuln-sla-save').count()).toBe(0);
    await shoot(zh, 'list-zh');
  });
});
