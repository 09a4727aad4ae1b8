/**
 * The access review in a real browser (issue 17): an administrator in English sees the break-glass
 * notice on Users, opens the access review from there, filters dormant accounts and downloads the CSV;
 * an administrator in Chinese sees the notice worded in Chinese; an auditor in Chinese reads the review
 * and downloads the CSV with Chinese headers, but gets no notices (they are for administrators).
 * Needs the built console and Chromium (test/e2e/browser.ts).
 */
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { startTestServer } from '../helpers/server.js';
import { assertBrowserReady, launchBrowser, newContext, signIn, skipBrowserSuite, watchErrors } from './browser.js';

type Server = Awaited<ReturnType<typeof startTestServer>>;

const PASSWORD = 'correct-horse-battery-staple';
const DAY = 86_400_000;

async function downloadCsv(page: Page): Promise<Buffer> {
  const [file] = await Promise.all([page.waitForEvent('download'), page.getByTestId('access-review-csv').click()]);
  expect(file.suggestedFilename()).toMatch(/^access-review-\d{4}-\d{2}-\d{2}\.csv$/);
  return fs.readFileSync((await file.path()) ?? '');
}

describe.skipIf(skipBrowserSuite())('access review (browser)', () => {
  let server: Server;
  let browser: Browser;
  let errors: string[] = [];

  beforeAll(async () => {
    assertBrowserReady();
    server = await startTestServer();
    browser = await launchBrowser();
    const s = server.running.services;
    const system = { id: null, label: 'test' };
    const quiet = await s.users.create(system, {
      email: 'wang.jing@test.example',
      name: '王静',
      role: 'compliance',
      password: PASSWORD,
    });
    // Created 200 days ago and never signed in: dormant.
    await s.store.db
      .updateTable('users')
      .set({ created_at: Date.now() - 200 * DAY })
      .where('id', '=', quiet.id)
      .execute();
    await s.users.create(system, { email: 'zhao@test.example', name: '赵管理员', role: 'admin', password: PASSWORD });
    await s.users.create(system, { email: 'sun@test.example', name: '审计员孙', role: 'auditor', password: PASSWORD });
    const glass = await s.users.create(system, {
      email: 'glass@test.example',
      name: 'Glass Keeper',
      role: 'admin',
      password: PASSWORD,
    });
    await s.tokens.create(system, quiet.id, { name: 'SIEM export', scopes: ['read'] });
    // The directory was down and the break-glass account was used: every administrator is told.
    await s.store.transaction((tx) => s.identity.breakGlassUsed(tx, glass, '10.8.0.5'));
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('shows an administrator the break-glass notice, the tables, the dormant filter and the CSV (English)', {
    timeout: 60_000,
  }, async () => {
    const page = await (await newContext(browser, { locale: 'en-US' })).newPage();
    errors = watchErrors(page);
    await signIn(page, `${server.url}/users`, server.adminEmail, server.adminPassword);
    const notice = page.getByTestId('security-notices');
    await expect.poll(() => notice.textContent()).toContain('Break-glass sign-ins');
    expect(await notice.getByTestId('security-notice').first().textContent()).toMatch(
      /^Glass Keeper signed in with a break-glass account on .+ from 10\.8\.0\.5$/,
    );

    await page.getByTestId('users-access-review').click();
    await page.waitForURL(/\/access-review$/);
    await expect.poll(() => page.title()).toMatch(/^Access review · Tocsin/);
    await page.getByTestId('access-review-accounts').waitFor();
    await expect.poll(() => page.getByTestId('security-notices').isVisible()).toBe(true);
    const row = page.locator('[data-testid="access-review-account"][data-email="wang.jing@test.example"]');
    expect(await row.textContent()).toMatch(/王静.*Compliance.*Password.*Not enrolled.*Never.*Dormant/);
    expect(await page.getByTestId('sum-dormant').textContent()).toBe('Dormant1');
    expect(await page.getByTestId('access-review-token').textContent()).toMatch(
      /王静.*SIEM export.*read.*Never.*No expiry.*Active/,
    );

    await page.getByTestId('access-review-dormant-only').click();
    await page.waitForURL(/dormant=1/);
    await expect.poll(() => page.getByTestId('access-review-account').count()).toBe(1);
    // A threshold longer than the account's 200 days: nobody is dormant.
    await page.getByTestId('access-review-days').fill('365');
    await page.waitForURL(/dormantDays=365/);
    await page.getByTestId('access-review-accounts-empty').waitFor();
    expect(await page.getByTestId('access-review-accounts-empty').textContent()).toBe('No account matches.');
    await page.getByTestId('access-review-days').fill('90');
    await page.getByTestId('access-review-account').first().waitFor();

    const csv = await downloadCsv(page);
    expect([...csv.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = csv.subarray(3).toString('utf8');
    expect(text.split('\r\n')[0]).toMatch(/^Name,Email,Role,Sign-in method,MFA enrolled,/);
    expect(text).toMatch(/王静,wang\.jing@test\.example,compliance,password,no,,[^,]+,yes,no,0/);
    expect(text).toContain('王静,wang.jing@test.example,SIEM export,read,');
    expect(errors).toEqual([]);
  });

  it('speaks zh-CN to an administrator and an auditor; notices are for administrators only', {
    timeout: 60_000,
  }, async () => {
    const admin = await (await newContext(browser, { locale: 'zh-CN' })).newPage();
    const auditor = await (await newContext(browser, { locale: 'zh-CN' })).newPage();
    errors = [...watchErrors(admin), ...watchErrors(auditor)];

    await signIn(admin, `${server.url}/access-review`, 'zhao@test.example', PASSWORD);
    const notice = admin.getByTestId('security-notices');
    await expect.poll(() => notice.textContent()).toContain('应急账号登录');
    expect(await notice.getByTestId('security-notice').first().textContent()).toMatch(
      /^Glass Keeper 于 .+ 从 10\.8\.0\.5 使用应急账号登录$/,
    );

    await signIn(auditor, server.url, 'sun@test.example', PASSWORD);
    await auditor.getByTestId('nav-access-review').click();
    await auditor.waitForURL(/\/access-review$/);
    await expect.poll(() => auditor.title()).toMatch(/^访问权限审查 · Tocsin/);
    await auditor.getByTestId('access-review-accounts').waitFor();
    expect(await auditor.getByTestId('access-review-accounts').locator('th').allTextContents()).toEqual([
      '人员',
      '角色',
      '登录方式',
      '双因素认证',
      '最近登录',
      '状态',
      '有效会话数',
    ]);
    const row = auditor.locator('[data-testid="access-review-account"][data-email="wang.jing@test.example"]');
    expect(await row.textContent()).toMatch(/王静.*密码.*未启用.*从未.*长期未登录/);
    expect(await auditor.getByTestId('security-notices').count()).toBe(0);

    const text = (await downloadCsv(auditor)).subarray(3).toString('utf8');
    expect(text.split('\r\n')[0]).toBe(
      '姓名,邮箱,角色,登录方式,已启用双因素认证,最近登录（UTC）,创建时间（UTC）,长期未登录,已停用,有效会话数',
    );
    expect(text).toMatch(/王静,wang\.jing@test\.example,compliance,password,否,,[^,]+,是,否,0/);
    expect(errors).toEqual([]);
  });
});
