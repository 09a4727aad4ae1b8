/**
 * The register of requests from outside in a real browser: a compliance officer records a police request
 * with a deadline (English), sees it open, answers it with an evidence package handed over, and it moves
 * to "Answered" with who handed what; in Chinese the register reads 外部调取请求登记 with 公安机关.
 * Needs Chromium (test/e2e/browser.ts).
 */
import { mkdirSync } from 'node:fs';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer } from '../helpers/server.js';
import { assertBrowserReady, launchBrowser, newContext, signIn, skipBrowserSuite, watchErrors } from './browser.js';

type Server = Awaited<ReturnType<typeof startTestServer>>;
const OUT = '.tmp/screens';

describe.skipIf(skipBrowserSuite())('requests register (browser)', () => {
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

  it('records a police request, answers it with a package, and reads in Chinese', { timeout: 90_000 }, async () => {
    const page = await (await newContext(browser, { locale: 'en-US' })).newPage();
    const errors = watchErrors(page);
    await signIn(page, server.url, server.adminEmail, server.adminPassword);
    await page.getByTestId('nav-requests').click();
    await page.getByRole('heading', { name: 'Requests from outside' }).waitFor();
    await page.getByTestId('request-new').click();
    const dialog = page.getByRole('dialog');
    await dialog.getByTestId('request-name').fill('Pudong public security bureau, cyber unit');
    await dialog.getByLabel('Their reference').fill('沪公网安 [2026] 118');
    await dialog.getByTestId('request-requested').fill('Login logs of the victims, 1-3 Dec');
    await dialog.getByTestId('request-deadline').fill('2030-01-10T18:00');
    await dialog.getByRole('button', { name: 'Record' }).click();
    const row = page.getByTestId('request-row').filter({ hasText: 'Pudong public security bureau' });
    await row.waitFor();
    expect(await row.textContent()).toContain('沪公网安 [2026] 118');
    expect(await row.getAttribute('data-status')).toBe('open');

    await row.getByRole('button', { name: 'Answer' }).click();
    await page.getByRole('dialog').getByLabel('Reference (package id, …)').fill('PKG-1');
    await page.getByRole('dialog').getByTestId('handed-description').fill('Signed evidence package, 3 items');
    await page.getByRole('dialog').getByRole('button', { name: 'Answer' }).click();
    await row.waitFor({ state: 'detached' });
    await page.locator('.mantine-SegmentedControl-label', { hasText: 'Answered' }).click();
    const answered = page.getByTestId('request-row').filter({ hasText: 'Pudong public security bureau' });
    await answered.getByTestId('request-handed').waitFor();
    expect(await answered.getByTestId('request-handed').textContent()).toContain('Evidence package PKG-1');
    await page.screenshot({ path: `${OUT}/requests-register.png`, fullPage: true });
    expect(errors).toEqual([]);

    const zh = await (await newContext(browser, { locale: 'zh-CN' })).newPage();
    await signIn(zh, `${server.url}/investigation-requests`, server.adminEmail, server.adminPassword);
    await zh.getByRole('heading', { name: '外部调取请求登记' }).waitFor();
    await zh.locator('.mantine-SegmentedControl-label', { hasText: '全部' }).click();
    await zh.getByTestId('request-row').getByText('公安机关', { exact: false }).first().waitFor();
  });
});
