/**
 * The On-call page in a real browser against a real server: a schedule and an escalation policy made
 * through the API show as the week view (who is on call in each three-hour block of the next seven
 * days) and the policy list, in English and Chinese; an override added through the form shows in the
 * week. Screenshots in .tmp/screens/oncall-*.png. Needs the built console and Chromium (test/e2e/browser.ts).
 */
import { mkdirSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer } from '../helpers/server.js';
import { assertBrowserReady, launchBrowser, newContext, signIn, skipBrowserSuite, watchErrors } from './browser.js';

type Server = Awaited<ReturnType<typeof startTestServer>>;
const OUT = '.tmp/screens';

/** Today's date in Shanghai (the schedule's zone), YYYY-MM-DD. */
const shanghaiDate = (ms: number) => new Date(ms + 8 * 3_600_000).toISOString().slice(0, 10);

describe.skipIf(skipBrowserSuite())('on-call page (browser)', () => {
  let server: Server;
  let browser: Browser;
  let en: Page;
  let zh: Page;
  let errorsEn: string[] = [];
  let errorsZh: string[] = [];
  let post: (path: string, body: unknown) => Promise<{ status: number; body: Record<string, string> }>;
  let zhangId = '';

  beforeAll(async () => {
    assertBrowserReady();
    mkdirSync(OUT, { recursive: true });
    server = await startTestServer();
    const s = server.running.services;
    const system = { id: null, label: 'test' };
    const make = (email: string, name: string, role: 'incident_commander' | 'responder' | 'executive') =>
      s.users.create(system, { email, name, role, password: server.adminPassword });
    await make('ic@test.example', 'Commander', 'incident_commander');
    const zhang = await make('zhang@test.example', '张伟', 'responder');
    const li = await make('li@test.example', 'Li Na', 'responder');
    await make('exec@test.example', '王芳', 'executive');
    browser = await launchBrowser();
    en = await (await newContext(browser, { locale: 'en-US' })).newPage();
    zh = await (await newContext(browser, { locale: 'zh-CN' })).newPage();
    errorsEn = watchErrors(en);
    errorsZh = watchErrors(zh);
    await signIn(en, server.url, 'ic@test.example', server.adminPassword);
    await signIn(zh, server.url, 'exec@test.example', server.adminPassword);
    // The schedule and policy through the API, as an integration would make them.
    zhangId = zhang.id;
    const api = (path: string, body: unknown) =>
      en.evaluate(
        async ([p, b]) => {
          // The console keeps its CSRF token in memory; the session answer names it.
          const session = await (await fetch('/api/v1/session')).json();
          const res = await fetch(`/api/v1${p}`, {
            method: 'POST',
            headers: { 'content-type': 'application/json', 'x-csrf-token': session.csrfToken },
            body: JSON.stringify(b),
          });
          return { status: res.status, body: await res.json() };
        },
        [path, body] as const,
      );
    post = api;
    const start = shanghaiDate(Date.now() - 86_400_000);
    const schedule = await api('/oncall/schedules', {
      name: '交易系统一线 Trading L1',
      layers: [{ rotation: 'daily', participants: [zhang.id, li.id], handoffTime: '09:00', startDate: start }],
    });
    expect(schedule.status, JSON.stringify(schedule.body)).toBe(201);
    const policy = await api('/oncall/policies', {
      name: 'SOC 升级 SOC escalation',
      levels: [
        { targets: [{ kind: 'schedule', scheduleId: schedule.body.id }], waitMinutes: 5 },
        { targets: [{ kind: 'person', personId: li.id }], waitMinutes: 15 },
      ],
      repeat: 1,
    });
    expect(policy.status, JSON.stringify(policy.body)).toBe(201);
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('shows the week view and the policies in English, and an override added through the form', {
    timeout: 30_000,
  }, async () => {
    await en.getByTestId('nav-oncall').click();
    await en.getByTestId('oncall-week').waitFor();
    expect(await en.getByTestId('oncall-day').count()).toBe(7);
    const cells = en.getByTestId('oncall-cell');
    expect(await cells.count()).toBe(56);
    const people = new Set(await cells.evaluateAll((els) => els.map((e) => e.getAttribute('data-person'))));
    expect(people).toEqual(new Set(['张伟', 'Li Na']));
    await en.getByTestId('oncall-policy').getByText('Level 2').waitFor();
    expect(await en.getByTestId('oncall-policy').textContent()).toContain('on call in 交易系统一线 Trading L1');
    await en.screenshot({ path: `${OUT}/oncall-en.png`, fullPage: true });

    // An override for tomorrow 10:00-16:00 local: the 12:00 block shows the commander.
    const tomorrow = new Date();
    tomorrow.setDate(tomorrow.getDate() + 1);
    const day = `${tomorrow.getFullYear()}-${String(tomorrow.getMonth() + 1).padStart(2, '0')}-${String(tomorrow.getDate()).padStart(2, '0')}`;
    await en.getByTestId('override-person').click();
    await en.getByRole('option', { name: 'Commander' }).click();
    await en.getByTestId('override-from').fill(`${day}T10:00`);
    await en.getByTestId('override-to').fill(`${day}T16:00`);
    await en.getByTestId('override-add').click();
    await en.getByTestId('oncall-overrides').getByText('Commander').waitFor();
    await en.locator('[data-testid="oncall-cell"][data-person="Commander"]').first().waitFor();
    expect(await en.locator('[data-testid="oncall-cell"][data-person="Commander"]').count()).toBe(2); // 12:00 and 15:00
    await en.screenshot({ path: `${OUT}/oncall-override-en.png`, fullPage: true });
  });

  it('makes a schedule and an escalation policy with the forms', { timeout: 30_000 }, async () => {
    await en.getByTestId('nav-oncall').click();
    await en.getByTestId('schedule-form').waitFor();
    await en.getByTestId('schedule-name').fill('Network on-call');
    await en.getByTestId('schedule-people').click();
    await en.getByRole('option', { name: 'Li Na' }).click();
    await en.keyboard.press('Escape');
    await en.getByTestId('schedule-create').click();
    await en.getByTestId('oncall-schedule').click();
    await en.getByRole('option', { name: 'Network on-call' }).waitFor();
    await en.keyboard.press('Escape');

    await en.getByTestId('policy-name').fill('Network escalation');
    const level = en.getByTestId('policy-level').first();
    await level.locator('input').first().click();
    await en.getByRole('option', { name: 'Network on-call' }).click();
    await en.keyboard.press('Escape');
    await en.getByTestId('policy-create').click();
    const made = en.getByTestId('oncall-policy').filter({ hasText: 'Network escalation' });
    await made.waitFor();
    expect(await made.textContent()).toContain('on call in Network on-call');
    await en.screenshot({ path: `${OUT}/oncall-forms-en.png`, fullPage: true });
  });

  it('the war room shows a page, whom it could not reach, and acknowledges it', { timeout: 30_000 }, async () => {
    const incident = await post('/incidents', {
      title: 'Credential stuffing',
      category: 'network_attack',
      grade: 'III',
    });
    expect(incident.status).toBe(201);
    const page = await post(`/incidents/${incident.body.key}/pages`, { reason: 'Login failures', userIds: [zhangId] });
    expect(page.status, JSON.stringify(page.body)).toBe(201);
    await en.goto(`${server.url}/incidents/${incident.body.key}`);
    const card = en.getByTestId('incident-pages');
    await card.getByTestId('page-problem').waitFor();
    expect(await card.getByTestId('page-problem').textContent()).toBe('Level 1: 张伟 has no contact route.');
    await card.getByTestId('page-ack').click();
    await card.locator('[data-testid="page-item"][data-status="acknowledged"]').waitFor();
    expect(await card.getByTestId('page-acked').textContent()).toMatch(/^Acknowledged by Commander at /);
    await en.screenshot({ path: `${OUT}/oncall-warroom-en.png`, fullPage: true });
  });

  it('reads the same in Chinese for an executive (no override form)', { timeout: 30_000 }, async () => {
    await zh.getByTestId('nav-oncall').click();
    expect(await zh.getByTestId('nav-oncall').textContent()).toBe('值班');
    await zh.getByTestId('oncall-week').waitFor();
    await zh.getByTestId('oncall-policy').getByText('第 2 级').waitFor();
    expect(await zh.getByTestId('override-add').count()).toBe(0);
    expect(await zh.getByRole('heading', { name: '升级策略' }).count()).toBe(1);
    await zh.screenshot({ path: `${OUT}/oncall-zh.png`, fullPage: true });
    expect(errorsEn).toEqual([]);
    expect(errorsZh).toEqual([]);
  });
});
