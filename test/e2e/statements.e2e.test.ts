/**
 * Statements in a real browser against a real server (issue 11): an incident declared through the API;
 * in the war room the administrator drafts a holding statement from its template, edits it, sees the
 * server's zh and en previews and submits it (the author's own approval is refused by design); a person
 * of the communications role, in another browser context, finds it in the approval inbox and approves
 * it; the administrator's page hears of it live and publishes. A third, logged-out context reads it on
 * the public status site in zh-CN and, with ?lang=en, in English — and the announcement's address was a
 * 404 before approval. Screenshots go to .tmp/screens/statements-*.png. Needs the built console and
 * Chromium (test/e2e/browser.ts).
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
const EDIT_ZH = '目前**交易功能已恢复**，我们仍在观察。';
const EDIT_EN = 'Trading has been **restored**; we keep watching it.';
/** The credential-stuffing template's title (the scenario is guessed from the incident's tag). */
const TITLE = { zh: '关于部分客户账户异常登录的说明', en: 'About unusual sign-in attempts on some customer accounts' };
const COMMS = { email: 'comms@test.example', name: 'Chen Comms' };

describe.skipIf(skipBrowserSuite())('statements (browser)', () => {
  let server: Server;
  let browser: Browser;
  let page: Page;
  let errors: string[] = [];
  let key = '';
  let statementId = '';
  /** The public address the first announcement of this year gets (slug YYYY-0001, Beijing time). */
  const year = new Intl.DateTimeFormat('en', { timeZone: 'Asia/Shanghai', year: 'numeric' }).format(new Date());
  const guessedPath = `/status/incidents/${year}-0001`;

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

  /** Calls the API as the signed-in browser's session. */
  const apiAs = (p: Page, method: 'GET' | 'POST', url: string, payload?: unknown) =>
    injectAs(server.running.app, p, method, url, payload);

  /** A logged-out visitor's page (no cookies). */
  async function visitor(locale: string, width = 1280) {
    return (await newContext(browser, { locale, viewport: { width, height: 900 } })).newPage();
  }

  it('drafts a holding statement from the war room, edits it and shows both previews', {
    timeout: 60_000,
  }, async () => {
    await signIn(page, server.url, server.adminEmail, server.adminPassword);
    const declared = await apiAs(page, 'POST', '/api/v1/incidents', {
      title: 'Mobile app sign-in failures',
      category: 'network_attack',
      grade: 'II',
      tags: ['credential_stuffing'],
    });
    expect(declared.statusCode, declared.body).toBe(201);
    key = declared.json().key;
    const user = await apiAs(page, 'POST', '/api/v1/users', {
      ...COMMS,
      role: 'communications',
      password: server.adminPassword,
      locale: 'zh-CN',
    });
    expect(user.statusCode, user.body).toBe(201);

    await page.goto(`${server.url}/incidents/${key}`);
    const card = page.getByTestId('statements-card');
    await card.waitFor();
    await card.getByText('No statements for this incident yet.').waitFor();
    await page.getByTestId('statement-draft').click();
    await page.waitForURL(/\/statements\/[^/]+$/);
    statementId = decodeURIComponent(new URL(page.url()).pathname.split('/').pop()!);
    await page.locator('[data-testid="statement-detail"][data-state="draft"]').waitFor();
    expect(await page.getByTestId('statement-heading').textContent()).toBe(TITLE.en);
    expect(await page.getByTestId('statement-detail').textContent()).toContain('Credential stuffing');
    // The template was filled from the incident, in both languages.
    expect(await page.getByTestId('statement-body-zh').inputValue()).toContain(key);
    expect(await page.getByTestId('statement-body-en').inputValue()).toContain(key);
    // A holding statement is a status-site kind: it has the announcement's fields.
    await page.getByTestId('statement-fields').waitFor();

    const zh = page.getByTestId('statement-body-zh');
    await zh.fill(`${await zh.inputValue()}\n\n${EDIT_ZH}`);
    const en = page.getByTestId('statement-body-en');
    await en.fill(`${await en.inputValue()}\n\n${EDIT_EN}`);
    await page.getByTestId('statement-unsaved').waitFor();
    // The preview is the server's rendering (Markdown → sanitized HTML), in both languages.
    await expect
      .poll(() => page.getByTestId('statement-preview-zh').innerHTML())
      .toContain('<strong>交易功能已恢复</strong>');
    await expect
      .poll(() => page.getByTestId('statement-preview-en').innerHTML())
      .toContain('<strong>restored</strong>');
    await page.getByTestId('statement-save').click();
    await page.locator('[data-testid="statement-editor"][data-version="2"]').waitFor();
    await page.locator('[data-testid="statement-version-row"][data-version="2"]').waitFor();
    await expect
      .poll(() => page.getByTestId('plan-diff').locator('[data-diff="add"]').allTextContents())
      .toContain(`+${EDIT_EN}`);
    await page.mouse.move(0, 0);
    await page.screenshot({ path: `${OUT}/statements-editor-en.png`, fullPage: true });
  });

  it('submits; the author cannot approve their own version, and nothing is public yet', {
    timeout: 30_000,
  }, async () => {
    await page.getByTestId('statement-submit').click();
    await page.locator('[data-testid="statement-detail"][data-state="in_review"]').waitFor();
    // The console says why there is no approve button; the server refuses it too.
    await page.getByTestId('statement-own-version').waitFor();
    expect(await page.getByTestId('statement-approve').count()).toBe(0);
    const own = await apiAs(page, 'POST', `/api/v1/statements/${statementId}/reviews`, { verdict: 'approve' });
    expect(own.statusCode).toBe(403);
    expect(own.json().code).toBe('statement.self_review');

    const anon = await visitor('zh-CN');
    for (const path of [guessedPath, `/status/incidents/${statementId}`]) {
      const res = await anon.goto(`${server.url}${path}`);
      expect(res?.status(), path).toBe(404);
    }
    await anon.goto(`${server.url}/status`);
    expect(await anon.content()).not.toContain(TITLE.zh);
    await anon.context().close();
  });

  it('is approved by a second person from the approval inbox (zh-CN)', { timeout: 60_000 }, async () => {
    const comms = await (
      await newContext(browser, { locale: 'zh-CN', viewport: { width: 1366, height: 900 } })
    ).newPage();
    const commsErrors = watchErrors(comms);
    await signIn(comms, server.url, COMMS.email, server.adminPassword);
    await comms.getByTestId('nav-statements').click();
    await comms.getByTestId('statements-view').getByText('待我审核').click();
    const row = comms.locator(`[data-testid="statement-row"][data-id="${statementId}"]`);
    await row.waitFor();
    expect(await row.textContent()).toContain('首次声明');
    expect(await row.textContent()).toContain('审核中');
    expect(await row.textContent()).toContain(TITLE.zh);
    await comms.screenshot({ path: `${OUT}/statements-inbox-zh-CN.png` });

    await row.getByRole('link', { name: /关于/ }).click();
    await comms.getByTestId('statement-review-form').waitFor();
    await comms.getByTestId('statement-review-comment').fill('口径准确，同意发布。');
    await comms.getByTestId('statement-approve').click();
    await comms.locator('[data-testid="statement-detail"][data-state="approved"]').waitFor();
    const review = comms.locator('[data-testid="statement-review"][data-verdict="approve"]');
    expect(await review.textContent()).toContain(COMMS.name);
    await comms.mouse.move(0, 0);
    await comms.screenshot({ path: `${OUT}/statements-approved-zh-CN.png`, fullPage: true });
    // The inbox is empty now.
    await comms.goto(`${server.url}/statements?view=inbox`);
    await comms.getByTestId('statements-empty').waitFor();
    expect(commsErrors).toEqual([]);
    await comms.context().close();
  });

  it('reaches the author live; published, it is on the public status site in zh-CN and English', {
    timeout: 60_000,
  }, async () => {
    // No reload: the stream's statement.changed brought the approval.
    await page.locator('[data-testid="statement-detail"][data-state="approved"]').waitFor();
    await page.getByTestId('statement-publish').click();
    await page.getByTestId('statement-publish-confirm').click();
    await page.locator('[data-testid="statement-detail"][data-state="published"]').waitFor();
    const link = page.getByTestId('statement-public-link');
    expect(await link.getAttribute('href')).toBe(guessedPath);
    await page.mouse.move(0, 0);
    await page.screenshot({ path: `${OUT}/statements-published-en.png`, fullPage: true });

    const anon = await visitor('zh-CN');
    const anonErrors = watchErrors(anon);
    // Pages are rendered on change: the next render carries the announcement.
    await expect
      .poll(async () => {
        await anon.goto(`${server.url}/status`);
        return anon.content();
      })
      .toContain(TITLE.zh);
    await anon.screenshot({ path: `${OUT}/statements-public-home-zh-CN.png`, fullPage: true });
    const res = await anon.goto(`${server.url}${guessedPath}`);
    expect(res?.status()).toBe(200);
    expect(await anon.locator('h1').textContent()).toBe(TITLE.zh);
    const zhText = await anon.locator('body').textContent();
    expect(zhText ?? '').toContain('交易功能已恢复');
    expect(zhText ?? '').toContain(key);
    expect(await anon.locator('strong', { hasText: '交易功能已恢复' }).count()).toBeGreaterThan(0);
    await anon.screenshot({ path: `${OUT}/statements-public-zh-CN.png`, fullPage: true });

    await anon.goto(`${server.url}${guessedPath}?lang=en`);
    expect(await anon.locator('h1').textContent()).toBe(TITLE.en);
    expect(await anon.locator('body').textContent()).toContain('Trading has been restored; we keep watching it.');
    await anon.screenshot({ path: `${OUT}/statements-public-en.png`, fullPage: true });
    expect(anonErrors).toEqual([]);
    await anon.context().close();
  });

  it('lists the statement with filters, and reads on a phone', { timeout: 30_000 }, async () => {
    await page.getByTestId('nav-statements').click();
    await page.locator(`[data-testid="statement-row"][data-id="${statementId}"][data-state="published"]`).waitFor();
    await page.goto(`${server.url}/statements?state=draft`);
    await page.getByTestId('statements-empty').waitFor();
    await page.goto(`${server.url}/statements?state=published&kind=holding_statement`);
    await page.locator(`[data-testid="statement-row"][data-id="${statementId}"]`).waitFor();
    await page.screenshot({ path: `${OUT}/statements-list-en.png` });
    await page.goto(`${server.url}/incidents/${key}`);
    await page.locator(`[data-testid="statement-item"][data-id="${statementId}"][data-state="published"]`).waitFor();
    await page.getByTestId('statements-card').scrollIntoViewIfNeeded();
    await page.screenshot({ path: `${OUT}/statements-warroom-en.png` });
    expect(errors).toEqual([]);

    const phone = await (
      await newContext(browser, { locale: 'zh-CN', viewport: { width: 390, height: 844 } })
    ).newPage();
    await signIn(phone, `${server.url}/statements/${statementId}`, server.adminEmail, server.adminPassword);
    await phone.getByTestId('statement-detail').waitFor();
    await phone.getByTestId('statement-preview-en').waitFor();
    const overflow = await phone.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await phone.screenshot({ path: `${OUT}/statements-phone-zh-CN.png` });
    await phone.getByTestId('statement-reviews').scrollIntoViewIfNeeded();
    await phone.screenshot({ path: `${OUT}/statements-phone-reviews-zh-CN.png` });
    await phone.goto(`${server.url}/statements`);
    await phone.locator(`[data-testid="statement-row"][data-id="${statementId}"]`).waitFor();
    await phone.screenshot({ path: `${OUT}/statements-phone-list-zh-CN.png` });
    await phone.context().close();
  });
  it('publishes an update by the emergency path: two approvals at once, then a reason', {
    timeout: 60_000,
  }, async () => {
    const drafted = await apiAs(page, 'POST', `/api/v1/incidents/${key}/statements`, { kind: 'status_update' });
    expect(drafted.statusCode, drafted.body).toBe(201);
    const id = drafted.json().id as string;
    const compliance = { email: 'compliance@test.example', name: 'Li Compliance' };
    const made = await apiAs(page, 'POST', '/api/v1/users', {
      ...compliance,
      role: 'compliance',
      password: server.adminPassword,
    });
    expect(made.statusCode, made.body).toBe(201);

    const comms = await (
      await newContext(browser, { locale: 'en-US', viewport: { width: 1366, height: 900 } })
    ).newPage();
    await signIn(comms, `${server.url}/statements/${id}`, COMMS.email, server.adminPassword);
    await comms.locator('[data-testid="statement-detail"][data-state="draft"]').waitFor();
    await comms.getByTestId('statement-emergency-approve').click();
    await comms.getByTestId('statement-emergency-approve-confirm').click();
    await expect.poll(() => comms.getByTestId('statement-emergency').textContent()).toContain('1/2');
    expect(await comms.getByTestId('statement-emergency-publish').count()).toBe(0);

    // The second approval, by another person (compliance may review, not publish), reaches the page live.
    const other = await (await newContext(browser)).newPage();
    await signIn(other, server.url, compliance.email, server.adminPassword);
    const second = await apiAs(other, 'POST', `/api/v1/statements/${id}/emergency-approve`, {});
    expect(second.statusCode, second.body).toBe(200);
    await other.context().close();
    await comms.getByTestId('statement-emergency-reason').fill('Customers are calling: the update cannot wait.');
    await comms.getByTestId('statement-emergency-publish').click();
    await comms.locator('[data-testid="statement-detail"][data-state="published"]').waitFor();
    const record = await comms.getByTestId('statement-emergency-record').textContent();
    expect(record).toContain(COMMS.name);
    expect(record).toContain(compliance.name);
    expect(record).toContain('Customers are calling');
    await comms.mouse.move(0, 0);
    await comms.screenshot({ path: `${OUT}/statements-emergency-en.png`, fullPage: true });
    await comms.context().close();
  });
});
