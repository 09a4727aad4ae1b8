/**
 * A statement and the incident's fact register in a real browser (issue 11): the register holds a
 * confirmed fact, a false rumor with its rebuttal and an unverified claim; in the statement editor
 * "Cite the fact register" offers the first two only, and citing adds the fact and the rebuttal (not the
 * rumor's words) to both languages. A sentence that repeats the false rumor, saved, is flagged in red
 * on the statement; the draft is then withdrawn with a reason and the editor becomes read-only.
 * Screenshots go to .tmp/screens/statement-facts-*.png. Needs the built console and Chromium (test/e2e/browser.ts).
 */
import fs from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer } from '../helpers/server.js';
import {
  assertBrowserReady,
  injectAs,
  launchBrowser,
  newContext,
  signIn,
  skipBrowserSuite,
  watchErrors,
} from './browser.js';

type Server = Awaited<ReturnType<typeof startTestServer>>;

const OUT = '.tmp/screens';
const FACT = { zh: '交易系统已于10:40恢复', en: 'Trading was restored at 10:40' };
const RUMOR = { zh: '客户资金被盗', en: 'Customer funds were stolen' };
const REBUTTAL = {
  zh: '客户资金由存管银行保管，未受影响。',
  en: 'Customer funds are held by the depository bank and were not affected.',
};
const UNVERIFIED = { zh: '攻击来自内部人员', en: 'The attack came from an insider' };

describe.skipIf(skipBrowserSuite())('statements cite the fact register (browser)', () => {
  let server: Server;
  let browser: Browser;
  let page: Page;
  let errors: string[] = [];
  let key = '';

  beforeAll(async () => {
    assertBrowserReady();
    fs.mkdirSync(OUT, { recursive: true });
    server = await startTestServer();
    browser = await launchBrowser();
    page = await (await newContext(browser, { locale: 'en-US', viewport: { width: 1366, height: 900 } })).newPage();
    errors = watchErrors(page);
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  const apiAs = (method: 'GET' | 'POST', url: string, payload?: unknown) =>
    injectAs(server.running.app, page, method, url, payload);

  it('offers confirmed facts and rebuttals, never unverified claims, and cites them in both languages', {
    timeout: 60_000,
  }, async () => {
    await signIn(page, server.url, server.adminEmail, server.adminPassword);
    const declared = await apiAs('POST', '/api/v1/incidents', {
      title: 'Rumor of stolen funds',
      category: 'network_attack',
      grade: 'II',
      tags: ['credential_stuffing'],
    });
    expect(declared.statusCode, declared.body).toBe(201);
    key = declared.json().key;
    for (const [claim, verdict, rebuttal] of [
      [FACT, 'confirmed', { zh: '', en: '' }],
      [RUMOR, 'false', REBUTTAL],
      [UNVERIFIED, 'unverified', { zh: '', en: '' }],
    ] as const) {
      const res = await apiAs('POST', `/api/v1/incidents/${key}/facts`, { claim, verdict, rebuttal });
      expect(res.statusCode, res.body).toBe(201);
    }

    await page.goto(`${server.url}/incidents/${key}`);
    await page.getByTestId('statement-draft').click();
    await page.locator('[data-testid="statement-detail"][data-state="draft"]').waitFor();
    await page.getByTestId('statement-cite').click();
    const items = page.getByTestId('statement-cite-item');
    await expect.poll(() => items.count()).toBe(2);
    const offered = await items.allTextContents();
    expect(offered.join(' | ')).toContain(FACT.en);
    expect(offered.join(' | ')).toContain(RUMOR.en);
    expect(offered.join(' | ')).not.toContain(UNVERIFIED.en);
    await page.mouse.move(0, 0);
    await page.screenshot({ path: `${OUT}/statement-facts-cite-en.png`, fullPage: true });

    await items.filter({ hasText: FACT.en }).click();
    await page.getByTestId('statement-cite').click();
    await items.filter({ hasText: RUMOR.en }).click();
    const bodyEn = await page.getByTestId('statement-body-en').inputValue();
    const bodyZh = await page.getByTestId('statement-body-zh').inputValue();
    expect(bodyEn).toContain(FACT.en);
    expect(bodyEn).toContain(`**Fact check:** ${REBUTTAL.en}`);
    expect(bodyZh).toContain(FACT.zh);
    expect(bodyZh).toContain(`**辟谣：**${REBUTTAL.zh}`);
    // The rebuttal answers the rumor without repeating it.
    expect(bodyEn).not.toContain(RUMOR.en);
    await page.getByTestId('statement-save').click();
    await page.locator('[data-testid="statement-editor"][data-version="2"]').waitFor();
    expect(await page.getByTestId('statement-flags').count()).toBe(0);
  });

  it('flags a statement that repeats a rumor marked false, and withdraws the draft', {
    timeout: 60_000,
  }, async () => {
    const en = page.getByTestId('statement-body-en');
    await en.fill(`${await en.inputValue()}\n\nSome say: ${RUMOR.en}.`);
    await page.getByTestId('statement-save').click();
    await page.locator('[data-testid="statement-editor"][data-version="3"]').waitFor();
    const flags = page.getByTestId('statement-flags');
    await flags.waitFor();
    expect(await flags.textContent()).toContain(RUMOR.en);
    await page.mouse.move(0, 0);
    await page.screenshot({ path: `${OUT}/statement-facts-flag-en.png`, fullPage: true });

    await page.getByTestId('statement-withdraw-reason').fill('Repeats the rumor; redrafting');
    await page.getByTestId('statement-withdraw').click();
    await page.locator('[data-testid="statement-detail"][data-state="withdrawn"]').waitFor();
    expect(await page.getByTestId('statement-withdrawn').textContent()).toContain('Repeats the rumor; redrafting');
    // Withdrawn, it is read-only: no save, no workflow.
    expect(await page.getByTestId('statement-save').count()).toBe(0);
    expect(await page.getByTestId('statement-workflow').count()).toBe(0);
    await page.screenshot({ path: `${OUT}/statement-facts-withdrawn-en.png`, fullPage: true });
    expect(errors).toEqual([]);
  });
});
