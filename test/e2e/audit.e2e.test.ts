/**
 * The audit page in a real browser: actions by name (English and Chinese), pages of entries, filters by
 * action, actor and days (in the viewer's zone), and an auditor who does not see a restricted incident,
 * in the log or in a suppression made there.
 * Needs the built console and Chromium (test/e2e/browser.ts).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { Principal } from '../../src/server/modules/auth/index.js';
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

const PASSWORD = 'correct-horse-battery-staple';
const SECRET = 'Insider dealing probe 内幕交易调查';
/** Today in the browser's zone (newContext sets Asia/Shanghai), as a date input holds it. */
const dayIn = (offsetDays: number) =>
  new Intl.DateTimeFormat('en-CA', {
    timeZone: 'Asia/Shanghai',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(new Date(Date.now() + offsetDays * 86_400_000));

describe.skipIf(skipBrowserSuite())('audit page and need-to-know (browser)', () => {
  let server: Server;
  let browser: Browser;
  let a: Page; // the administrator, English
  let b: Page; // the auditor, Chinese
  let errors: string[] = [];
  let commanderName = '';
  let restrictedKey = '';

  beforeAll(async () => {
    assertBrowserReady();
    server = await startTestServer();
    browser = await launchBrowser();
    a = await (await newContext(browser, { locale: 'en-US' })).newPage();
    b = await (await newContext(browser, { locale: 'zh-CN' })).newPage();
    errors = [...watchErrors(a), ...watchErrors(b)];
    const s = server.running.services;
    const system = { id: null, label: 'test' };
    const ic = await s.users.create(system, {
      email: 'ic@test.example',
      name: 'Commander Qian',
      role: 'incident_commander',
      password: PASSWORD,
    });
    await s.users.create(system, {
      email: 'auditor@test.example',
      name: 'Auditor Sun',
      role: 'auditor',
      password: PASSWORD,
    });
    commanderName = ic.name;
    const p: Principal = { user: ic, via: 'session', scopes: null, restrictedTo: null };
    // Enough entries for a few pages of 25.
    for (let i = 0; i < 20; i++) {
      const inc = await s.incidents.create(p, {
        title: `Gateway latency ${i}`,
        summary: '',
        category: 'equipment_failure',
        grade: 'IV',
        services: [],
        tags: [],
        restricted: false,
      });
      await s.incidents.transition(p, inc.key, 'acknowledged');
    }
    restrictedKey = (
      await s.incidents.create(p, {
        title: SECRET,
        summary: SECRET,
        category: 'rule_violation',
        grade: 'II',
        services: [],
        tags: [],
        restricted: true,
        commanderId: ic.id,
      })
    ).key;
    // A suppression asked for from an alert inside the restricted incident.
    const [raised] = await s.alerts.raise([
      {
        ruleId: 'e2e-insider-watch',
        ruleTitle: 'Insider watch',
        level: 'low',
        tags: [],
        kind: 'detection',
        events: [
          {
            id: 'e2e-ntk-1',
            time: Date.now(),
            source: 'api',
            logsource: {},
            fields: { TargetUserName: 'chairman-li' },
          },
        ],
        time: Date.now(),
      },
    ]);
    await s.alerts.link(p, raised!.alertId, restrictedKey);
    await s.alerts.markFalsePositive(p, raised!.alertId, {
      reason: 'Legal hold',
      suppress: { entity: { kind: 'account', value: 'chairman-li' } },
    });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  const seqs = async (page: Page) =>
    await page.getByTestId('audit-row').evaluateAll((rows) => rows.map((r) => Number(r.getAttribute('data-seq'))));
  const actionNames = async (page: Page) => page.getByTestId('audit-action-name').allTextContents();

  it('names actions, and pages through the log', { timeout: 30_000 }, async () => {
    await signIn(a, server.url, server.adminEmail, server.adminPassword);
    await a.getByTestId('nav-audit').click();
    await a.getByTestId('audit-row').first().waitFor();
    const names = await actionNames(a);
    expect(names).toContain('Declared an incident');
    expect(names).toContain("Changed an incident's status");
    expect(names.some((x) => /^[a-z_]+\.[a-z_+]+$/.test(x))).toBe(false);
    expect(await a.getByTestId('audit-table').textContent()).toContain('incident.transition'); // the code, beside its name

    await pickOption(a, 'audit-page-size', '25');
    await a.waitForFunction(() => document.querySelectorAll('[data-testid="audit-row"]').length === 25);
    const first = await seqs(a);
    expect(first).toHaveLength(25);
    await a.getByTestId('audit-older').click();
    await a.getByText('Page 2').waitFor();
    await a.waitForFunction(
      (top) => Number(document.querySelector('[data-testid="audit-row"]')?.getAttribute('data-seq')) < top,
      first.at(-1)!,
    );
    const second = await seqs(a);
    expect(Math.max(...second)).toBe(Math.min(...first) - 1);
    await a.getByTestId('audit-newer').click();
    await a.getByText('Page 1').waitFor();
    await a.waitForFunction(
      (top) => Number(document.querySelector('[data-testid="audit-row"]')?.getAttribute('data-seq')) === top,
      first[0]!,
    );
    expect(await a.getByTestId('audit-newer').isDisabled()).toBe(true);
  });

  it("filters by action and actor, and by days in the viewer's zone", { timeout: 30_000 }, async () => {
    // An action option shows its name with the code under it.
    await a.getByTestId('audit-action').click();
    await a.getByRole('option', { name: "Changed an incident's status incident.transition" }).click();
    await pickOption(a, 'audit-actor', `${commanderName} <ic@test.example>`);
    await a.getByTestId('audit-apply').click();
    await a.waitForFunction(() =>
      [...document.querySelectorAll('[data-testid="audit-action-name"]')].every(
        (e) => e.textContent === "Changed an incident's status",
      ),
    );
    expect(new Set(await actionNames(a))).toEqual(new Set(["Changed an incident's status"]));
    expect(await seqs(a)).toHaveLength(20);
    // The filters are in the address: a reload shows the same entries, and the form the same choices.
    expect(new URL(a.url()).searchParams.get('action')).toBe('incident.transition');
    await a.reload();
    await a.getByTestId('audit-row').first().waitFor();
    expect(new Set(await actionNames(a))).toEqual(new Set(["Changed an incident's status"]));
    expect(await a.getByTestId('audit-action').inputValue()).toBe("Changed an incident's status");
    expect(await a.title()).toBe('Audit log · Tocsin 警钟');

    await a.getByTestId('audit-clear').click();
    await a.getByTestId('audit-from').fill(dayIn(1));
    await a.getByTestId('audit-apply').click();
    await a.getByTestId('audit-empty').waitFor();
    await a.getByTestId('audit-from').fill(dayIn(0));
    await a.getByTestId('audit-to').fill(dayIn(0));
    await a.getByTestId('audit-apply').click();
    await a.getByTestId('audit-row').first().waitFor();
    // A range that ends before it starts is refused before asking the server.
    await a.getByTestId('audit-to').fill(dayIn(-1));
    await a.getByTestId('audit-apply').click();
    await a.getByText('The end date is before the start date').waitFor();
  });

  it('shows an auditor the names in Chinese, and nothing of a restricted incident they are not part of', {
    timeout: 30_000,
  }, async () => {
    await signIn(b, `${server.url}/audit`, 'auditor@test.example', PASSWORD);
    await b.getByTestId('audit-row').first().waitFor();
    await b.getByTestId('audit-need-to-know').waitFor();
    expect(await b.title()).toBe('审计日志 · Tocsin 警钟');
    const names = await actionNames(b);
    expect(names).toContain('变更事件状态');
    expect(names).toContain('登记事件');
    await b.getByTestId('audit-target-id').fill(restrictedKey);
    await b.getByTestId('audit-apply').click();
    await b.getByTestId('audit-empty').waitFor();
    expect(await b.content()).not.toContain('Insider dealing');
    // The administrator sees it.
    await a.getByTestId('audit-clear').click();
    await a.getByTestId('audit-target-id').fill(restrictedKey);
    await a.getByTestId('audit-apply').click();
    await a.waitForFunction(() => document.querySelectorAll('[data-testid="audit-row"]').length === 1);
    expect(await actionNames(a)).toEqual(['Declared an incident']);
  });

  it('shows the auditor a suppression made in that incident without its rule, entity or reason', {
    timeout: 30_000,
  }, async () => {
    await b.goto(`${server.url}/suppressions`);
    const row = b.getByTestId('suppression-row').first();
    await row.waitFor();
    const text = (await row.textContent()) ?? '';
    expect(text).toContain('不予显示');
    expect(text).not.toMatch(/chairman-li|e2e-insider-watch|Legal hold/);
    await a.goto(`${server.url}/suppressions`);
    await a.getByTestId('suppression-row').first().waitFor();
    expect(await a.getByTestId('suppression-row').first().textContent()).toContain('chairman-li');
    expect(errors).toEqual([]);
  });
});
