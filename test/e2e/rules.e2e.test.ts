/**
 * The Rules page in a real browser against a real server: the bundled rules are listed (zh-CN titles in
 * Chinese), a rule is switched off from the table and stays off after a reload, and an upload that does
 * not compile shows each reason in the dialog while nothing is stored. Needs the built console and
 * Chromium (test/e2e/browser.ts).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { startTestServer } from '../helpers/server.js';
import { assertBrowserReady, launchBrowser, newContext, signIn, skipBrowserSuite, watchErrors } from './browser.js';

type Server = Awaited<ReturnType<typeof startTestServer>>;

const RANSOM_NOTE = '59c192dd-851b-4125-8b63-a057287c1451';
const BROKEN = `title: Broken probe
id: e2e-broken-rule
logsource:
  product: tocsin
  service: e2e
detection:
  selection:
    message|nosuchmodifier: boom
  condition: selection
`;

describe.skipIf(skipBrowserSuite())('rules (browser)', () => {
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

  const row = (p: Page, id: string) => p.locator(`[data-testid="rule-row"][data-id="${id}"]`);

  it('lists the bundled rules and switches one off for good', { timeout: 30_000 }, async () => {
    await signIn(page, server.url, server.adminEmail, server.adminPassword);
    await page.getByTestId('nav-rules').click();
    await row(page, RANSOM_NOTE).waitFor();
    expect(await row(page, RANSOM_NOTE).getByTestId('rule-row-title').textContent()).toBe('Ransom Note File Created');
    expect(await row(page, RANSOM_NOTE).getByTestId('level-badge').textContent()).toBe('High');
    expect(await page.getByTestId('rule-errors-none').isVisible()).toBe(true);

    await row(page, RANSOM_NOTE).getByTestId('rule-enabled').click({ force: true });
    await page.locator(`[data-testid="rule-row"][data-id="${RANSOM_NOTE}"][data-enabled="false"]`).waitFor();
    await page.reload();
    await page.locator(`[data-testid="rule-row"][data-id="${RANSOM_NOTE}"][data-enabled="false"]`).waitFor();
    expect(await row(page, RANSOM_NOTE).getByTestId('rule-enabled').isChecked()).toBe(false);
    expect(await page.getByTestId('rule-errors-summary').textContent()).toMatch(/1 disabled/);
    // The server agrees: the live engine no longer has it.
    const api = await server.running.app.inject({
      method: 'GET',
      url: `/api/v1/rules?enabled=false`,
      headers: { cookie: (await page.context().cookies()).map((c) => `${c.name}=${c.value}`).join('; ') },
    });
    expect(api.json().items.map((r: { id: string }) => r.id)).toEqual([RANSOM_NOTE]);
  });

  it('shows why an upload does not compile, and stores nothing', { timeout: 30_000 }, async () => {
    await page.getByTestId('rule-upload-open').click();
    await page.getByTestId('rule-upload-filename').fill('broken.yml');
    await page.getByTestId('rule-upload-yaml').fill(BROKEN);
    await page.getByTestId('rule-upload-submit').click();
    const error = page.getByTestId('rule-upload-error');
    await error.first().waitFor();
    expect(await error.count()).toBe(1);
    expect(await error.first().textContent()).toMatch(/^e2e-broken-rule: .*nosuchmodifier/);
    expect(await page.getByTestId('rule-upload-errors').textContent()).toMatch(/Not uploaded\. Problems found: 1/);
    await page.keyboard.press('Escape');
    await page.getByTestId('rule-filter-origin').click();
    await page.getByRole('option', { name: 'Uploaded', exact: true }).click();
    await page.getByTestId('rule-list-empty').waitFor();
    expect(errors).toEqual([]);
  });

  it('shows the Chinese titles to a zh-CN console, and the YAML of a rule', { timeout: 30_000 }, async () => {
    const zh = await (await newContext(browser, { locale: 'zh-CN' })).newPage();
    await signIn(zh, `${server.url}/rules`, server.adminEmail, server.adminPassword);
    await row(zh, RANSOM_NOTE).waitFor();
    expect(await zh.getByTestId('nav-rules').textContent()).toBe('检测规则');
    const title = await row(zh, RANSOM_NOTE).getByTestId('rule-row-title').textContent();
    expect(title).toMatch(/[\u4e00-\u9fff]/);
    await row(zh, RANSOM_NOTE).getByTestId('rule-row-title').click();
    await zh.getByTestId('rule-yaml').waitFor();
    expect(await zh.getByTestId('rule-detail-title').textContent()).toBe(title);
    expect(await zh.getByTestId('rule-yaml').textContent()).toMatch(/^title: Ransom Note File Created\nid: 59c192dd/);
  });
});
