/**
 * Claims filed on the portal, the console's side, in a real browser against a real server (issue 14): a
 * compliance officer opens the incident's portal for claims from the compensation page (public titles
 * prefilled from the incident's, a closing time in the viewer's zone) and closes it again; in a claim's
 * drawer uploads files (a type the server's sniffing refuses is reported), sees them listed with size,
 * uploader and SHA-256, and downloads one (the same bytes back); the upload shows in the negotiation log.
 * The card and the drawer in zh-CN; an auditor reads and downloads without the controls. Screenshots: .tmp/screens/compensation-filing-*.png.
 * Needs the built console and Chromium (test/e2e/browser.ts).
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertCustomers } from '../helpers/customers.js';
import { buildIncident, buildUser, PASSWORD } from '../helpers/fixtures.js';
import { startTestServer } from '../helpers/server.js';
import { assertBrowserReady, launchBrowser, newContext, signIn, skipBrowserSuite, watchErrors } from './browser.js';

type Server = Awaited<ReturnType<typeof startTestServer>>;

const OUT = '.tmp/screens';
/** A 1×1 PNG: the server sniffs the type from these bytes. */
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
  'base64',
);
const PDF = Buffer.from(
  '%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n',
);
/** A Windows program named like a picture: refused whatever its name says. */
const EXE = Buffer.concat([Buffer.from('MZ'), Buffer.alloc(200, 0x90)]);
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

describe.skipIf(skipBrowserSuite())('compensation portal filing and attachments console (browser)', () => {
  let server: Server;
  let browser: Browser;
  let officer: Page;
  let errors: string[] = [];
  let key = '';
  let claimId = '';
  const compliance = { email: 'filing-officer@test.example', name: 'Sun Compliance' };

  beforeAll(async () => {
    assertBrowserReady();
    fs.mkdirSync(OUT, { recursive: true });
    server = await startTestServer();
    const s = server.running.services;
    await insertCustomers(s.store, [{ customerNo: 'F001', name: '周女士', tier: 'vip', accounts: ['FA001'] }]);
    const officerUser = await buildUser(s, { ...compliance, role: 'compliance' });
    key = (await buildIncident(s, { title: 'Order gateway outage', category: 'equipment_failure', grade: 'II' })).key;
    const p = { user: officerUser, via: 'cli' as const, scopes: null, restrictedTo: null };
    const claim = await s.compensation.claims.create(
      p,
      key,
      { customerNo: 'F001', source: 'owner', claimedMinor: 50_000, description: '委托未成交', channel: 'phone' },
      { ip: null },
    );
    claimId = claim.id;
    browser = await launchBrowser();
    officer = await (await newContext(browser, { locale: 'en-US', viewport: { width: 1366, height: 900 } })).newPage();
    errors = watchErrors(officer);
    await signIn(officer, server.url, compliance.email, PASSWORD);
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  const page = (tab = '') => `${server.url}/incidents/${key}/compensation${tab ? `?tab=${tab}` : ''}`;
  const text = async (p: Page, testId: string) => ((await p.getByTestId(testId).first().textContent()) ?? '').trim();
  const card = (p: Page, state: string) => p.locator(`[data-testid="portal-filing"] [data-state="${state}"]`);
  async function choose(p: Page, files: { name: string; mimeType: string; buffer: Buffer }[]) {
    const [chooser] = await Promise.all([
      p.waitForEvent('filechooser'),
      p.getByTestId('claim-attachment-files').click(),
    ]);
    await chooser.setFiles(files);
  }
  async function shoot(p: Page, name: string) {
    await p.mouse.move(0, 0);
    await p.screenshot({ path: `${OUT}/compensation-filing-${name}.png`, fullPage: true });
  }

  it('opens the portal for claims with public titles and a closing time, then closes it', {
    timeout: 60_000,
  }, async () => {
    await officer.goto(page());
    await card(officer, 'closed').waitFor();
    expect(await text(officer, 'portal-filing-state')).toBe('Not taking claims');
    expect(await text(officer, 'portal-filing-filed')).toBe('0 claims filed on the portal');
    await shoot(officer, 'closed-en');

    await officer.getByTestId('portal-filing-edit').click();
    // Prefilled with the incident's title; the public ones may differ.
    expect(await officer.getByTestId('portal-filing-title-en-input').inputValue()).toBe('Order gateway outage');
    await officer.getByTestId('portal-filing-title-zh-input').fill('12月5日交易系统故障补偿申请');
    await officer.getByTestId('portal-filing-title-en-input').fill('Claims for the 5 December trading outage');
    expect(await text(officer, 'portal-filing-form')).toContain('In your time zone: Asia/Shanghai');
    await officer.getByTestId('portal-filing-closes-input').fill('2099-12-31T18:00');
    await officer.getByTestId('portal-filing-submit').click();
    await card(officer, 'open').waitFor();
    expect(await text(officer, 'portal-filing-state')).toBe('Taking claims');
    expect(await text(officer, 'portal-filing-title-zh')).toBe('12月5日交易系统故障补偿申请');
    expect(await text(officer, 'portal-filing-title-en')).toBe('Claims for the 5 December trading outage');
    expect(await text(officer, 'portal-filing-closes')).toBe('12/31/2099, 18:00');
    expect(await text(officer, 'portal-filing')).toContain('Sun Compliance');
    await shoot(officer, 'open-en');

    // What the API answers: the closing time in UTC.
    const filing = await officer.evaluate(
      (k) => fetch(`/api/v1/incidents/${k}/compensation/portal`).then((r) => r.json()),
      key,
    );
    expect(filing).toMatchObject({ open: true, closesAt: '2099-12-31T10:00:00.000Z', filed: 0 });

    // Closed, and opened again (the form keeps the public titles).
    await officer.getByTestId('portal-filing-close').click();
    await card(officer, 'closed').waitFor();
    await officer.getByTestId('portal-filing-edit').click();
    await officer.getByTestId('portal-filing-submit').click();
    await card(officer, 'open').waitFor();
    expect(errors).toEqual([]);
  });

  it('uploads files to a claim in the drawer, lists them, refuses a disguised program, downloads the same bytes', {
    timeout: 60_000,
  }, async () => {
    await officer.goto(page('claims'));
    await officer.getByTestId('claim-row').filter({ hasText: 'F001' }).click();
    const drawer = officer.getByTestId('claim-detail');
    await drawer.waitFor();
    await officer.getByTestId('claim-attachments-empty').waitFor();

    // A program named like a picture: the server sniffs the bytes and refuses it; nothing is kept.
    await choose(officer, [{ name: 'receipt.png', mimeType: 'image/png', buffer: EXE }]);
    await officer.getByTestId('claim-attachment-submit').click();
    await officer.getByTestId('claim-attachment-upload').getByRole('alert').waitFor();
    expect(await officer.getByTestId('claim-attachment').count()).toBe(0);

    await choose(officer, [
      { name: 'order-screenshot.png', mimeType: 'image/png', buffer: PNG },
      { name: '交割单.pdf', mimeType: 'application/pdf', buffer: PDF },
    ]);
    await officer.getByTestId('claim-attachment-submit').click();
    await expect.poll(() => officer.getByTestId('claim-attachment').count()).toBe(2);
    const rows = officer.getByTestId('claim-attachment');
    const png = rows.filter({ hasText: 'order-screenshot.png' });
    expect(await png.textContent()).toMatch(
      new RegExp(`PNG.*${PNG.length} B.*Sun Compliance.*${sha(PNG).slice(0, 12)}`),
    );
    expect(await png.getByTestId('claim-attachment-sha').getAttribute('title')).toBe(sha(PNG));
    expect(await rows.filter({ hasText: '交割单.pdf' }).textContent()).toContain('PDF');
    const listed = await officer.evaluate(
      (id) => fetch(`/api/v1/compensation/claims/${id}/attachments`).then((r) => r.json()),
      claimId,
    );
    expect(listed.items.map((a: { sha256: string }) => a.sha256).sort()).toEqual([sha(PNG), sha(PDF)].sort());
    // The upload is in the negotiation log; the status did not move.
    await expect
      .poll(() => drawer.getByTestId('claim-log').locator('[data-kind="evidence"]').count())
      .toBeGreaterThan(0);
    expect(await drawer.getAttribute('data-status')).toBe('proposed');
    expect(await drawer.getByTestId('claim-log').locator('[data-kind="evidence"]').last().textContent()).toContain(
      'Information or files added',
    );
    await shoot(officer, 'drawer-en');

    // A real download: the same bytes, under the file's name.
    const [file] = await Promise.all([
      officer.waitForEvent('download'),
      rows.filter({ hasText: '交割单.pdf' }).getByTestId('claim-attachment-download').click(),
    ]);
    expect(file.suggestedFilename()).toBe('交割单.pdf');
    expect(fs.readFileSync((await file.path()) ?? '').equals(PDF)).toBe(true);
    expect(errors).toEqual([]);
  });

  it('speaks zh-CN', { timeout: 60_000 }, async () => {
    // One file as if the customer had attached it on the portal (no staff uploader).
    await server.running.services.store.db
      .updateTable('compensation_attachments')
      .set({ uploaded_by: null, channel: 'portal' })
      .where('claim_id', '=', claimId)
      .where('file_name', '=', 'order-screenshot.png')
      .execute();
    const zh = await (await newContext(browser, { locale: 'zh-CN', viewport: { width: 1366, height: 900 } })).newPage();
    const zhErrors = watchErrors(zh);
    await signIn(zh, page('claims'), compliance.email, PASSWORD);
    await card(zh, 'open').waitFor();
    expect(await text(zh, 'portal-filing-state')).toBe('受理中');
    expect(await text(zh, 'portal-filing')).toContain('门户索赔');
    expect(await text(zh, 'portal-filing-closes')).toBe('2099/12/31 18:00');
    await zh.getByTestId('claim-row').filter({ hasText: 'F001' }).click();
    await expect.poll(() => zh.getByTestId('claim-attachment').count()).toBe(2);
    expect(await text(zh, 'claim-attachments')).toContain('附件 (2)');
    const fromPortal = zh.locator('[data-testid="claim-attachment"][data-channel="portal"]');
    expect(await fromPortal.textContent()).toMatch(/order-screenshot\.png.*PNG.*客户（门户）/);
    expect(await zh.getByTestId('claim-log').textContent()).toContain('补充说明或附件');
    await shoot(zh, 'drawer-zh');
    await zh.keyboard.press('Escape');
    await zh.getByTestId('portal-filing-edit').click();
    await zh.getByTestId('portal-filing-form').waitFor();
    await shoot(zh, 'open-zh');
    expect(zhErrors).toEqual([]);
  });

  it('shows an auditor the portal filing and the files, without the controls that change them', {
    timeout: 60_000,
  }, async () => {
    await buildUser(server.running.services, { email: 'filing-auditor@test.example', name: 'Au', role: 'auditor' });
    const auditor = await (await newContext(browser, { viewport: { width: 1366, height: 900 } })).newPage();
    await signIn(auditor, page('claims'), 'filing-auditor@test.example', PASSWORD);
    await card(auditor, 'open').waitFor();
    expect(await auditor.getByTestId('portal-filing-edit').count()).toBe(0);
    expect(await auditor.getByTestId('portal-filing-close').count()).toBe(0);
    await auditor.getByTestId('claim-row').filter({ hasText: 'F001' }).click();
    await expect.poll(() => auditor.getByTestId('claim-attachment').count()).toBe(2);
    expect(await auditor.getByTestId('claim-attachment-upload').count()).toBe(0);
    // Reading is allowed: the download works.
    const [file] = await Promise.all([
      auditor.waitForEvent('download'),
      auditor
        .locator('[data-testid="claim-attachment"][data-channel="portal"]')
        .getByTestId('claim-attachment-download')
        .click(),
    ]);
    expect(fs.readFileSync((await file.path()) ?? '').equals(PNG)).toBe(true);
  });
});
