/**
 * The status-site management and the media desk in a real browser against a real server: a service
 * shown publicly and set to "major outage" by hand in the console, then the public /status page (another
 * browser context, signed out) shows it; a maintenance scheduled in the console shows publicly; a rumor
 * marked false with a rebuttal in the war room's register reaches the public fact check once the
 * incident has a published announcement (the backend's rule: an incident's fact checks go out with its
 * announcement); a media inquiry logged with a deadline half an hour ahead shows as due soon, and once
 * the server's clock has passed its deadline it is overdue: red, counted in the card's title and first
 * on the media desk, whose register across incidents links the rumor to its incident. Screenshots go to .tmp/screens/desk-*.png (en and zh-CN).
 * Needs the built console and Chromium (test/e2e/browser.ts).
 */
import fs from 'node:fs';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildIncident } from '../helpers/fixtures.js';
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
const SYSTEM = { id: null, label: 'test' };
const CLAIM = 'Customer funds were stolen';
const CLAIM_ZH = '客户资金被盗';

describe.skipIf(skipBrowserSuite())('status site and media desk (browser)', () => {
  let server: Server;
  let browser: Browser;
  let en: Page;
  let zh: Page;
  let reviewer: Page;
  let pub: BrowserContext;
  let errors: string[] = [];
  let incidentKey = '';
  /** The holding statement published in the fact-check test: it answers the inquiry later. */
  let publishedId = '';
  /** The server's clock runs with the wall clock, moved on by this much. */
  let offsetMs = 0;

  beforeAll(async () => {
    assertBrowserReady();
    fs.mkdirSync(OUT, { recursive: true });
    server = await startTestServer({ serve: { clock: { now: () => Date.now() + offsetMs } } });
    const s = server.running.services;
    await s.catalog.create(SYSTEM, {
      key: 'online-trading',
      nameZh: '网上交易',
      nameEn: 'Online trading',
      description: '',
    });
    await s.catalog.create(SYSTEM, {
      key: 'mobile-app',
      nameZh: '移动证券 App',
      nameEn: 'Mobile app',
      description: '',
    });
    await s.users.create(SYSTEM, {
      email: 'comms@test.example',
      name: 'Comms Reviewer',
      role: 'communications',
      password: server.adminPassword,
    });
    incidentKey = (
      await buildIncident(s, {
        title: 'Online trading interrupted',
        category: 'equipment_failure',
        grade: 'III',
        services: ['online-trading'],
      })
    ).key;
    browser = await launchBrowser();
    en = await (await newContext(browser, { locale: 'en-US', viewport: { width: 1366, height: 900 } })).newPage();
    zh = await (await newContext(browser, { locale: 'zh-CN', viewport: { width: 1366, height: 900 } })).newPage();
    reviewer = await (await newContext(browser)).newPage();
    pub = await newContext(browser, { locale: 'en-US' });
    errors = watchErrors(en);
    await signIn(en, server.url, server.adminEmail, server.adminPassword);
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  /** Calls the API as the page's signed-in session (the CSRF token from the session answer). */
  async function call(page: Page, method: string, path: string, body?: unknown) {
    return page.evaluate(
      async ([m, p, b]) => {
        const session = await (await fetch('/api/v1/session')).json();
        const res = await fetch(`/api/v1${p}`, {
          method: m as string,
          headers: {
            'x-csrf-token': session.csrfToken,
            ...(b === undefined ? {} : { 'content-type': 'application/json' }),
          },
          body: b === undefined ? undefined : JSON.stringify(b),
        });
        return { status: res.status, body: await res.json().catch(() => null) };
      },
      [method, path, body] as const,
    );
  }

  /** A datetime-local value `ms` from now in the page's time zone. */
  const localIn = (page: Page, ms: number) =>
    page.evaluate((delta) => {
      const d = new Date(Date.now() + delta);
      const pad = (n: number) => String(n).padStart(2, '0');
      return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
    }, ms);

  /** The public page as a signed-out visitor sees it, fetched again until `check` holds (it is rendered on change). */
  async function publicPage(path: string, check: (page: Page) => Promise<boolean>): Promise<Page> {
    const page = await pub.newPage();
    await page.goto(`${server.url}${path}`);
    await expect
      .poll(async () => {
        if (await check(page)) return true;
        await page.reload();
        return check(page);
      })
      .toBe(true);
    return page;
  }

  it('sets a service public and its state by hand; the public page shows it', { timeout: 60_000 }, async () => {
    await en.getByTestId('nav-status-site').click();
    await en.getByTestId('status-site-page').waitFor();
    const row = en.locator('[data-testid="status-component"][data-key="online-trading"]');
    await row.waitFor();
    await row.getByTestId('component-settings').click();
    await en.getByTestId('component-public').check({ force: true });
    await en.getByTestId('component-save').click();
    await en.getByTestId('component-save').waitFor({ state: 'detached' });
    await row.getByTestId('override-open').click();
    await pickOption(en, 'override-state', 'Major outage');
    await en.getByTestId('override-reason').fill('Matching engine failover in progress');
    await en.getByTestId('override-save').click();
    await en
      .locator(
        '[data-testid="status-component"][data-key="online-trading"][data-state="major_outage"][data-source="manual"]',
      )
      .waitFor();
    expect(await row.getByTestId('override-info').textContent()).toBe('Matching engine failover in progress');

    const page = await publicPage(
      '/status?lang=en',
      async (p) =>
        (await p.locator('.comp', { hasText: 'Online trading' }).locator('.state.s-major_outage').count()) === 1,
    );
    expect(await page.locator('.overall').textContent()).toMatch(/outage/i);
    await page.close();
  });

  it('schedules a maintenance; the public page lists it', { timeout: 60_000 }, async () => {
    await en.getByTestId('maintenance-add').click();
    await en.getByTestId('maintenance-title-zh').fill('移动证券 App 升级');
    await en.getByTestId('maintenance-title-en').fill('Mobile app upgrade');
    await en.getByTestId('maintenance-start').fill(await localIn(en, 2 * 3600_000));
    await en.getByTestId('maintenance-end').fill(await localIn(en, 4 * 3600_000));
    await pickOption(en, 'maintenance-services', 'Mobile app');
    await en.getByTestId('maintenance-save').click();
    const item = en.locator('[data-testid="maintenance"][data-state="scheduled"]');
    await item.waitFor();
    expect(await item.textContent()).toContain('Mobile app upgrade');
    // A webhook subscriber, counted beside the email subscribers.
    await en.getByTestId('webhook-add').click();
    await en.getByTestId('webhook-name').fill('Branch portal');
    await en.getByTestId('webhook-url').fill('https://hooks.example.com/tocsin');
    await en.getByTestId('webhook-secret').fill('a-signing-secret-of-32-characters');
    await en.getByTestId('webhook-save').click();
    await en.locator('[data-testid="webhook"]', { hasText: 'Branch portal' }).waitFor();
    await en.locator('[data-testid="subscribers-webhooks"][data-n="1"]').waitFor();
    expect(await en.getByTestId('subscribers-confirmed').getAttribute('data-n')).toBe('0');
    await en.mouse.move(0, 0);
    await en.screenshot({ path: `${OUT}/desk-status-site-en.png`, fullPage: true });

    const page = await publicPage(
      '/status?lang=en',
      async (p) => (await p.locator('.maint h3', { hasText: 'Mobile app upgrade' }).count()) === 1,
    );
    await page.screenshot({ path: `${OUT}/desk-public-en.png`, fullPage: true });
    await page.close();
  });

  it('adds a false rumor with a rebuttal in the war room; it reaches the public fact check with the announcement', {
    timeout: 60_000,
  }, async () => {
    await en.goto(`${server.url}/incidents/${incidentKey}`);
    const card = en.getByTestId('rumors');
    await card.getByTestId('facts-empty').waitFor();
    await card.getByTestId('fact-add').click();
    await en.getByTestId('fact-claim-zh').fill(CLAIM_ZH);
    await en.getByTestId('fact-claim-en').fill(CLAIM);
    await en.getByTestId('fact-source').fill('https://weibo.example/post/1');
    await pickOption(en, 'fact-verdict', 'False');
    await en.getByTestId('fact-rebuttal-zh').fill('客户资金由存管银行**第三方存管**，未受影响。');
    await en
      .getByTestId('fact-rebuttal-en')
      .fill('Customer funds are held by the **depository bank** and are not affected.');
    await en.getByTestId('fact-published').check({ force: true });
    await en.getByTestId('fact-save').click();
    const fact = card.locator('[data-testid="fact"][data-verdict="false"][data-published="true"]');
    await fact.waitFor();
    expect(await fact.getByTestId('fact-claim').textContent()).toBe(CLAIM);

    // A second version: the source changes; the history lists both.
    await fact.getByTestId('fact-edit').click();
    await en.getByTestId('fact-source').fill('https://weibo.example/post/2');
    await en.getByTestId('fact-save').click();
    await fact.getByTestId('fact-history').filter({ hasText: '(2)' }).click();
    await expect.poll(() => en.getByTestId('fact-version').count()).toBe(2);
    await en.keyboard.press('Escape');

    // A FAQ entry for customer service and the announcement page.
    await en.getByTestId('faq').getByTestId('faq-add').click();
    await en.getByTestId('faq-question-zh').fill('我的资金安全吗？');
    await en.getByTestId('faq-question-en').fill('Are my funds safe?');
    await en.getByTestId('faq-answer-en').fill('Yes: funds are held by the *depository bank*.');
    await en.getByTestId('faq-published').check({ force: true });
    await en.getByTestId('faq-save').click();
    const faq = en.getByTestId('faq').getByTestId('faq-item');
    await faq.waitFor();
    expect(await faq.locator('em').textContent()).toBe('depository bank');

    // The incident's first announcement: a holding statement drafted, approved by another person, published.
    const drafted = await call(en, 'POST', `/incidents/${incidentKey}/statements`, { kind: 'holding_statement' });
    expect(drafted.status, JSON.stringify(drafted.body)).toBe(201);
    const id = drafted.body.id as string;
    expect((await call(en, 'POST', `/statements/${id}/submit`)).status).toBe(200);
    await signIn(reviewer, server.url, 'comms@test.example', server.adminPassword);
    const review = await call(reviewer, 'POST', `/statements/${id}/reviews`, { verdict: 'approve' });
    expect(review.body.state).toBe('approved');
    const published = await call(reviewer, 'POST', `/statements/${id}/publish`, {});
    expect(published.status, JSON.stringify(published.body)).toBe(200);
    publishedId = id;

    const page = await publicPage(
      '/status?lang=en',
      async (p) => (await p.locator('.factcheck .claim', { hasText: CLAIM }).count()) === 1,
    );
    expect(await page.locator('.factcheck', { hasText: CLAIM }).locator('.verdict.v-false').count()).toBe(1);
    expect(await page.locator('.factcheck', { hasText: CLAIM }).locator('.rich strong').textContent()).toBe(
      'depository bank',
    );
    await page.close();
    // The console lists the announcement with its public page.
    await en.getByTestId('nav-status-site').click();
    const ann = en.getByTestId('announcement').first();
    await ann.waitFor();
    expect(await ann.locator('a').getAttribute('href')).toMatch(/\/status\/incidents\/\d{4}-\d{4,}$/);
  });

  it('logs a media inquiry due soon; past its deadline on the server it is overdue and first', {
    timeout: 60_000,
  }, async () => {
    await en.goto(`${server.url}/incidents/${incidentKey}`);
    const card = en.getByTestId('media-inquiries');
    // One without a deadline first, then the one due in half an hour.
    for (const [outlet, deadline] of [
      ['Securities Daily', null],
      ['Caixin', 30 * 60_000],
    ] as const) {
      await card.getByTestId('inquiry-add').click();
      await en.getByTestId('inquiry-outlet').fill(outlet);
      await en.getByTestId('inquiry-journalist').fill('Wang Lei');
      await en.getByTestId('inquiry-contact').fill('13812345678');
      await en.getByTestId('inquiry-question').fill('Were customer funds affected by the outage?');
      if (deadline !== null) await en.getByTestId('inquiry-deadline').fill(await localIn(en, deadline));
      await en.getByTestId('inquiry-save').click();
      await card.locator('[data-testid="inquiry"]', { hasText: outlet }).waitFor();
    }
    const due = card.locator('[data-testid="inquiry"]', { hasText: 'Caixin' });
    expect(await due.getByTestId('inquiry-due').getAttribute('data-due')).toBe('soon');
    // Contacts are masked in lists.
    expect(await due.textContent()).not.toContain('13812345678');

    // The server's clock passes the deadline: after a fetch the inquiry is overdue.
    offsetMs = 3600_000;
    await en.reload();
    const overdue = card.locator('[data-testid="inquiry"][data-overdue="true"]');
    await overdue.waitFor();
    expect(await overdue.textContent()).toContain('Caixin');
    expect(await overdue.getByTestId('inquiry-due').getAttribute('data-due')).toBe('overdue');
    expect(await card.getByTestId('inquiries-overdue-count').getAttribute('data-n')).toBe('1');
    expect(await card.getByTestId('inquiry').first().getAttribute('data-overdue')).toBe('true');
    await card.scrollIntoViewIfNeeded();
    await en.mouse.move(0, 0);
    await en.screenshot({ path: `${OUT}/desk-warroom-en.png`, fullPage: true });

    await en.getByTestId('nav-media').click();
    const desk = en.getByTestId('desk-inquiries');
    await desk.locator('[data-testid="inquiry"]').nth(1).waitFor();
    expect(await desk.getByTestId('inquiry').first().getAttribute('data-overdue')).toBe('true');
    expect(await desk.getByTestId('desk-overdue-count').getAttribute('data-n')).toBe('1');
    await en.screenshot({ path: `${OUT}/desk-media-en.png`, fullPage: true });

    // Answered, it leaves the open list.
    await desk.getByTestId('inquiry').first().getByTestId('inquiry-answer-open').click();
    await en
      .getByTestId('inquiry-answer')
      .fill('Customer funds are held by the depository bank and were not affected.');
    // The approved words: the published holding statement is chosen as the answer.
    await en.getByTestId('inquiry-answer-statement').click();
    await en.getByRole('option', { name: /Published/ }).click();
    await en.getByTestId('inquiry-answer-save').click();
    await expect.poll(() => desk.getByTestId('inquiry').count()).toBe(1);
    const inquiries = await call(en, 'GET', `/incidents/${incidentKey}/media-inquiries`);
    const answered = (inquiries.body.items as { status: string; answer: { statementId: string | null } }[]).filter(
      (x) => x.status === 'answered',
    );
    expect(answered.map((x) => x.answer.statementId)).toEqual([publishedId]);

    // The register across incidents: the war room's rumor shows with a link to its incident.
    const register = en.getByTestId('desk-register');
    await register.getByTestId('desk-register-scope').getByText('All incidents').click();
    const rumor = register.locator('[data-testid="fact"]', { hasText: CLAIM });
    await rumor.waitFor();
    expect(await rumor.getByTestId('fact-incident').textContent()).toBe(incidentKey);
    await en.screenshot({ path: `${OUT}/desk-register-all-en.png`, fullPage: true });
    await rumor.getByTestId('fact-incident').click();
    await en.waitForURL(`**/incidents/${incidentKey}`);
    expect(errors).toEqual([]);
  });

  it('shows the same screens in Chinese', { timeout: 60_000 }, async () => {
    const zhErrors = watchErrors(zh);
    await signIn(zh, server.url, server.adminEmail, server.adminPassword);
    await zh.getByTestId('nav-status-site').click();
    await zh.locator('[data-testid="status-component"][data-key="online-trading"]').waitFor();
    expect(await zh.getByTestId('open-public-page').textContent()).toBe('打开公开页面');
    expect(await zh.getByTestId('nav-media').textContent()).toBe('媒体');
    await zh.mouse.move(0, 0);
    await zh.screenshot({ path: `${OUT}/desk-status-site-zh.png`, fullPage: true });
    await zh.goto(`${server.url}/incidents/${incidentKey}`);
    await zh.locator('[data-testid="fact"]').waitFor();
    expect(await zh.locator('[data-testid="fact-claim"]').textContent()).toBe(CLAIM_ZH);
    await zh.screenshot({ path: `${OUT}/desk-warroom-zh.png`, fullPage: true });
    await zh.getByTestId('nav-media').click();
    await zh.getByTestId('desk-state-filter').getByText('全部').click();
    await zh.locator('[data-testid="inquiry"]').nth(1).waitFor();
    await zh.screenshot({ path: `${OUT}/desk-media-zh.png`, fullPage: true });
    const page = await pub.newPage();
    await page.goto(`${server.url}/status?lang=zh-CN`);
    expect(await page.locator('.factcheck .claim', { hasText: CLAIM_ZH }).count()).toBe(1);
    await page.screenshot({ path: `${OUT}/desk-public-zh.png`, fullPage: true });
    await page.close();
    expect(zhErrors).toEqual([]);
  });
});
