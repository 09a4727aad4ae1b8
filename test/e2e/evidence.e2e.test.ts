/**
 * The evidence locker in the console, in a real browser against a real server (issue 15): a responder
 * opens the locker from the war room's "Evidence" card, uploads a log export with where it came from and
 * sees its SHA-256 in the list and the drawer; opens the safe preview (text in a <pre>); the chain of
 * custody lists the upload, the view and the preview; a legal hold (with its reason) disables deletion.
 * In zh-CN a picture is uploaded and its preview is the server's re-encoded PNG from a blob URL. An
 * auditor reads the list and the drawer without the upload form, hold or delete. The attack timeline
 * card's "Preserve as evidence" adds a snapshot both cards count; two items go out as a signed package. Screenshots: .tmp/screens/evidence-*.png.
 * Needs the built console and Chromium (test/e2e/browser.ts).
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildIncident, buildUser, PASSWORD } from '../helpers/fixtures.js';
import { startTestServer } from '../helpers/server.js';
import { assertBrowserReady, launchBrowser, newContext, signIn, skipBrowserSuite, watchErrors } from './browser.js';

type Server = Awaited<ReturnType<typeof startTestServer>>;

const OUT = '.tmp/screens';
/** The machine is shared: a query may take a few seconds. */
const WAIT = { timeout: 10_000 };
const LOG = Buffer.from('2026-12-04T01:30:00Z login failed user=A10000013 ip=203.0.113.66\n'.repeat(3));
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

describe.skipIf(skipBrowserSuite())('evidence locker console (browser)', () => {
  let server: Server;
  let browser: Browser;
  let en: Page;
  let zh: Page;
  let auditor: Page;
  let errors: string[] = [];
  let key = '';

  beforeAll(async () => {
    assertBrowserReady();
    fs.mkdirSync(OUT, { recursive: true });
    server = await startTestServer();
    const s = server.running.services;
    const responder = { email: 'ev-responder@test.example', name: 'Li Responder', role: 'responder' as const };
    const zhResponder = { email: 'ev-zh@test.example', name: '王取证', role: 'responder' as const, locale: 'zh-CN' };
    const audit = { email: 'ev-auditor@test.example', name: 'Qian Auditor', role: 'auditor' as const };
    for (const u of [responder, zhResponder, audit]) await buildUser(s, u);
    key = (await buildIncident(s, { title: 'Account takeover wave', category: 'network_attack', grade: 'II' })).key;
    browser = await launchBrowser();
    const open = async (locale: string, email: string) => {
      const page = await (await newContext(browser, { locale, viewport: { width: 1366, height: 900 } })).newPage();
      await signIn(page, server.url, email, PASSWORD);
      return page;
    };
    en = await open('en-US', responder.email);
    errors = watchErrors(en);
    zh = await open('zh-CN', zhResponder.email);
    auditor = await open('en-US', audit.email);
  }, 90_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  const locker = () => `${server.url}/incidents/${key}/evidence`;
  async function choose(p: Page, file: { name: string; mimeType: string; buffer: Buffer }) {
    const [chooser] = await Promise.all([p.waitForEvent('filechooser'), p.getByTestId('evidence-file').click()]);
    await chooser.setFiles(file);
  }
  const custody = (p: Page) =>
    p.getByTestId('evidence-custody-entry').evaluateAll((rows) => rows.map((r) => (r as HTMLElement).dataset.action));
  async function shoot(p: Page, name: string) {
    await p.mouse.move(0, 0);
    // The drawer's opening transition is taken to its end (no wait on the wall clock).
    await p.screenshot({ path: `${OUT}/evidence-${name}.png`, fullPage: true, animations: 'disabled' });
  }

  it('uploads a file from the war room’s card, shows its SHA-256, previews it as text, lists its custody, and a hold blocks deletion', {
    timeout: 90_000,
  }, async () => {
    await en.goto(`${server.url}/incidents/${key}`);
    const card = en.getByTestId('evidence-card');
    await expect.poll(async () => (await card.textContent()) ?? '', WAIT).toContain('Evidence (0)');
    await en.getByTestId('evidence-open').click();
    await en.getByTestId('evidence-empty').waitFor();

    await en.getByTestId('evidence-description').fill('Login log export of the trading frontend');
    await en.getByTestId('evidence-source').fill('trading-frontend-01');
    await en.getByTestId('evidence-method').fill('journalctl --since 01:00 > logins.log');
    await en.getByTestId('evidence-acquirer-sha').fill(sha(LOG));
    await choose(en, { name: 'logins.log', mimeType: 'text/plain', buffer: LOG });
    await en.getByTestId('evidence-submit').click();

    // The list shows the short hash; the drawer (opened on upload) the whole one.
    const row = en.getByTestId('evidence-item');
    await expect.poll(() => row.count(), WAIT).toBe(1);
    expect(await en.getByTestId('evidence-sha256').textContent()).toBe(`${sha(LOG).slice(0, 12)}…`);
    expect(await row.textContent()).toContain('Li Responder');
    expect(await en.getByTestId('evidence-mismatch').count()).toBe(0);
    const detail = en.getByTestId('evidence-detail');
    await detail.waitFor();
    expect(await en.getByTestId('evidence-detail-sha256').textContent()).toBe(sha(LOG));
    expect(await detail.textContent()).toContain('trading-frontend-01');

    await en.getByTestId('evidence-preview-open').click();
    const text = en.getByTestId('evidence-preview-text');
    await text.waitFor();
    expect(await text.evaluate((e) => e.tagName)).toBe('PRE');
    expect(await text.textContent()).toBe(LOG.toString('utf8'));
    await expect.poll(() => custody(en), WAIT).toEqual(['evidence.add', 'evidence.view', 'evidence.preview']);
    expect(await en.getByTestId('evidence-custody').textContent()).toContain('Previewed an evidence item');
    await shoot(en, 'drawer-en');

    // A legal hold with its reason: the badge shows, deletion is disabled, the custody names the reason.
    await en.getByTestId('evidence-hold-reason').fill('Police request 2026-118');
    await en.getByTestId('evidence-hold-toggle').click();
    await en.locator('[data-testid="evidence-detail"][data-hold="true"]').waitFor();
    expect(await en.getByTestId('evidence-delete').isDisabled()).toBe(true);
    await en.getByTestId('evidence-delete-blocked').waitFor();
    await expect.poll(() => custody(en), WAIT).toContain('evidence.hold');
    expect(await en.getByTestId('evidence-custody').textContent()).toContain('Police request 2026-118');
    await en.keyboard.press('Escape');
    await en.getByTestId('evidence-item').getByTestId('evidence-hold-badge').waitFor();
    await shoot(en, 'list-en');
    expect(errors).toEqual([]);
  });

  it('uploads a picture in zh-CN and previews the server’s re-encoded PNG', { timeout: 60_000 }, async () => {
    const png = await sharp({ create: { width: 320, height: 200, channels: 3, background: '#1c7ed6' } })
      .withExif({ IFD0: { Artist: 'phone camera' } })
      .png()
      .toBuffer();
    await zh.goto(locker());
    await zh.getByTestId('evidence-upload').getByText('添加证据').waitFor();
    await zh.getByTestId('evidence-description').fill('钓鱼页面截图');
    await choose(zh, { name: '钓鱼页面.png', mimeType: 'image/png', buffer: png });
    await zh.getByTestId('evidence-submit').click();
    await expect.poll(() => zh.getByTestId('evidence-item').count(), WAIT).toBe(2);
    expect(await zh.getByTestId('evidence-item').nth(1).textContent()).toContain(sha(png).slice(0, 12));
    await zh.getByTestId('evidence-detail').waitFor();
    expect(await zh.getByTestId('evidence-detail-sha256').textContent()).toBe(sha(png));
    await zh.getByTestId('evidence-preview-open').click();
    const img = zh.getByTestId('evidence-preview-image');
    await img.waitFor();
    expect(await img.getAttribute('src')).toMatch(/^blob:/);
    await expect.poll(() => img.evaluate((e) => (e as HTMLImageElement).naturalWidth), WAIT).toBe(320);
    await expect.poll(() => custody(zh), WAIT).toEqual(['evidence.add', 'evidence.view', 'evidence.preview']);
    expect(await zh.getByTestId('evidence-custody').textContent()).toContain('预览证据');
    await shoot(zh, 'drawer-zh');
  });

  it('lets an auditor read the locker without the upload form, hold or delete', { timeout: 60_000 }, async () => {
    await auditor.goto(locker());
    await expect.poll(() => auditor.getByTestId('evidence-item').count(), WAIT).toBe(2);
    expect(await auditor.getByTestId('evidence-upload').count()).toBe(0);
    expect(await auditor.getByTestId('evidence-export-open').count()).toBe(0);
    expect(await auditor.getByTestId('evidence-pick').count()).toBe(0);
    await auditor.getByTestId('evidence-item-open').first().click();
    await auditor.getByTestId('evidence-detail').waitFor();
    await auditor.getByTestId('evidence-custody').waitFor();
    expect(await auditor.getByTestId('evidence-manage').count()).toBe(0);
    expect(await auditor.getByTestId('evidence-download').count()).toBe(1);
  });

  it('preserves the attack timeline from its war-room card; the timeline and the Evidence card count it', {
    timeout: 60_000,
  }, async () => {
    await en.goto(`${server.url}/incidents/${key}`);
    await en.getByTestId('attack-timeline-preserve').click();
    const done = en.getByTestId('attack-timeline-preserve-done');
    await done.waitFor();
    expect(await done.textContent()).toMatch(/^Preserved · SHA-256 [0-9a-f]{12}…/);
    await expect
      .poll(async () => (await en.getByTestId('evidence-card').textContent()) ?? '', WAIT)
      .toContain('Evidence (3)');
    await expect
      .poll(async () => (await en.getByTestId('attack-timeline-card').textContent()) ?? '', WAIT)
      .toContain('3 evidence item(s)');
    await en.getByTestId('evidence-open').click();
    await expect.poll(() => en.getByTestId('evidence-item').count(), WAIT).toBe(3);
    expect(await en.getByTestId('evidence-item').nth(2).textContent()).toContain('Attack timeline');

    // Two items chosen, exported as a signed package for the police: listed with its hash.
    await en.getByTestId('evidence-pick').nth(0).check();
    await en.getByTestId('evidence-pick').nth(2).check();
    await en.getByTestId('evidence-export-open').click();
    await en.getByTestId('evidence-export-recipient').fill('City PSB cyber security unit');
    await en.getByTestId('evidence-export-purpose').fill('Case 2026-118');
    await en.getByTestId('evidence-export-submit').click();
    const pkg = en.getByTestId('evidence-package');
    await pkg.waitFor();
    expect(await pkg.textContent()).toMatch(/City PSB cyber security unit.*Case 2026-118.*2 · /);
    await shoot(en, 'packages-en');
    expect(errors).toEqual([]);
  });
});
