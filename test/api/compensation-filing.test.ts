/**
 * A customer files a compensation claim with files on the public portal, on each store (issue 14):
 * staff open the portal to claims for an incident under a public title; the customer names themself by
 * customer number (or funds account) and the phone on file and gets a code by SMS (details that do not
 * match get the same pages and no SMS); the code opens the claim form; the claim is created (portal,
 * proposed) with the files, typed by their bytes and kept by SHA-256, and an SMS receipt names its
 * reference; a second filing adds to the same claim; a file of another type, a form without the
 * session's token and a closed incident are refused. Staff list, download (audited) and upload files.
 */
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ClaimAttachmentList, PortalFiling } from '../../src/shared/compensation-filing-schemas.js';
import type { Claim, ClaimDetail } from '../../src/shared/compensation-schemas.js';
import { notifyGateway, type NotifyStandIn } from '../../src/server/sandbox/notify.js';
import { createTestApp, type Session, type TestApp } from '../helpers/app.js';
import { seedCustomers } from '../helpers/campaigns.js';
import { STORE_KINDS } from '../helpers/store.js';
import { multipartBody as multipart } from '../helpers/multipart.js';

const SECRET = 'notify-gateway-secret-of-the-filing-test';
const FORM = 'application/x-www-form-urlencoded';
const BASE = '/status/compensation/file';
/** The smallest PNG: a 1x1 transparent pixel. */
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==',
  'base64',
);
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

describe.each(STORE_KINDS)('compensation filing on the portal (%s)', (kind) => {
  let t: TestApp;
  let gw: NotifyStandIn;
  let admin: Session;
  let auditor: Session;
  let key = '';
  let ip = 1;
  const clock = {
    t: Date.parse('2026-12-04T02:00:00Z'),
    now() {
      return this.t;
    },
  };
  const nextIp = () => `203.0.113.${ip++}`;

  beforeAll(async () => {
    gw = notifyGateway(SECRET, clock);
    const url = await gw.listen(0);
    t = await createTestApp(
      kind,
      { TOCSIN_NOTIFY_GATEWAY_URL: url, TOCSIN_NOTIFY_GATEWAY_SECRET: SECRET, TOCSIN_PROBE_ALLOW_LOOPBACK: 'true' },
      { clock },
    );
    admin = await t.login('admin');
    auditor = await t.login('auditor');
    const inc = await t.as(admin, {
      method: 'POST',
      url: '/api/v1/incidents',
      payload: { title: 'Trading app outage at market open', category: 'equipment_failure', grade: 'II' },
    });
    key = inc.json().key;
    await seedCustomers(t.s, [
      { customerNo: 'F1001', name: '王五', phone: '13900001111', language: 'zh-CN' },
      { customerNo: 'F1002', name: 'Li Lei', phone: '13900002222', language: 'en' },
    ]);
  });
  afterAll(async () => {
    await t.close();
    await gw.close();
  });

  const post = (path: string, fields: Record<string, string>, o: { ip?: string; cookie?: string } = {}) =>
    t.app.inject({
      method: 'POST',
      url: `${BASE}${path}`,
      headers: { 'content-type': FORM, ...(o.cookie ? { cookie: o.cookie } : {}) },
      payload: new URLSearchParams(fields).toString(),
      remoteAddress: o.ip ?? nextIp(),
    });
  const get = (url: string, cookie?: string) => t.app.inject({ method: 'GET', url, headers: cookie ? { cookie } : {} });
  const codesTo = (phone: string) =>
    gw.messages
      .filter((m) => m.to === phone && m.idempotencyKey.startsWith('compensation-filing-code:'))
      .map((m) => /\b(\d{6})\b/.exec(m.text)![1]!);
  const incidentId = async () => /name="incident" value="([^"]+)"/.exec((await get(BASE)).body)![1]!;
  const open = (body: Record<string, unknown>) =>
    t.as(admin, { method: 'PUT', url: `/api/v1/incidents/${key}/compensation/portal`, payload: body });

  /** Names the customer, gives the texted code: the filing session's cookie. */
  async function signIn(who: string, phone: string): Promise<string> {
    const asked = await post('', {
      incident: await incidentId(),
      who,
      phone: `+86 ${phone.slice(0, 3)} ${phone.slice(3)}`,
    });
    expect(asked.statusCode).toBe(303);
    const ticket = new URL(asked.headers.location as string, 'http://x').searchParams.get('t')!;
    const res = await post('/code', { ticket, code: codesTo(phone).at(-1)! });
    expect(res.statusCode, res.body).toBe(303);
    expect(res.headers.location).toBe(`${BASE}/claim`);
    const cookie = String(res.headers['set-cookie']);
    expect(cookie).toMatch(/^tocsin_cmpf=[^;]+; Path=\/status\/compensation; .*HttpOnly; SameSite=Strict/);
    return cookie.split(';')[0]!;
  }
  const csrfOf = async (cookie: string) => {
    const page = await get(`${BASE}/claim`, cookie);
    expect(page.statusCode).toBe(200);
    return /name="csrf" value="([^"]+)"/.exec(page.body)![1]!;
  };
  async function fileForm(cookie: string, fields: Record<string, string>, files: { name: string; bytes: Buffer }[]) {
    const { payload, contentType } = await multipart(fields, files);
    return t.app.inject({
      method: 'POST',
      url: `${BASE}/claim`,
      headers: { 'content-type': contentType, cookie },
      payload,
      remoteAddress: '203.0.113.250',
    });
  }
  const claimsOfPortal = async () =>
    (
      (
        await t.as(admin, { method: 'GET', url: `/api/v1/incidents/${key}/compensation/claims?source=portal` })
      ).json() as { items: Claim[] }
    ).items;

  it('takes no claims until staff open the portal for the incident (audited; the auditor may only read)', async () => {
    const none = await get(BASE);
    expect(none.statusCode).toBe(200);
    expect(none.body).toContain('目前没有可在线申请补偿的事件');
    const closed = (await t.as(auditor, { method: 'GET', url: `/api/v1/incidents/${key}/compensation/portal` })).json();
    expect(closed).toMatchObject({ open: false, filed: 0 });
    const refused = await t.as(auditor, {
      method: 'PUT',
      url: `/api/v1/incidents/${key}/compensation/portal`,
      payload: { open: true, titleZh: 'x', titleEn: 'x' },
    });
    expect(refused.statusCode).toBe(403);
    const untitled = await open({ open: true, titleZh: '事件' });
    expect(untitled.statusCode).toBe(400);
    expect(untitled.json().errors[0].path).toMatch(/titleEn$/);

    const res = await open({
      open: true,
      titleZh: '12月4日开盘交易系统故障',
      titleEn: 'Trading outage at the open, 4 Dec',
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json() as PortalFiling).toMatchObject({
      open: true,
      titleZh: '12月4日开盘交易系统故障',
      closesAt: null,
    });
    const page = await get(BASE);
    expect(page.body).toContain('12月4日开盘交易系统故障');
    expect((await get(`${BASE}?lang=en`)).body).toContain('Trading outage at the open, 4 Dec');
    const audit = (await t.as(admin, { method: 'GET', url: '/api/v1/audit?action=compensation.portal_filing' })).json();
    expect(audit.items[0]).toMatchObject({ action: 'compensation.portal_filing' });
  });

  it('texts a code only when the details match the file, and answers the same when they do not', async () => {
    const id = await incidentId();
    const before = gw.messages.length;
    const wrongPhone = await post('', { incident: id, who: 'F1001', phone: '13900009999' });
    const unknown = await post('', { incident: id, who: 'NOBODY', phone: '13900001111' });
    for (const r of [wrongPhone, unknown]) {
      expect(r.statusCode).toBe(303);
      expect(r.headers.location).toMatch(/^\/status\/compensation\/file\/code\?t=[\w-]{20,}$/);
    }
    expect(gw.messages.length).toBe(before);
    const page = await get(wrongPhone.headers.location as string);
    expect(page.body).toContain('如果您填写的信息与我司记录一致');
    const ticket = new URL(wrongPhone.headers.location as string, 'http://x').searchParams.get('t')!;
    const tried = await post('/code', { ticket, code: '123456' });
    expect(tried.statusCode).toBe(422);
    expect(tried.body).toContain('验证码不正确');
  });

  let filedRef = '';
  it('files a claim with a picture and a text file: proposed, from the portal, files kept by hash, SMS receipt', async () => {
    const cookie = await signIn('F1001', '13900001111');
    const csrf = await csrfOf(cookie);
    const note = Buffer.from('成交回报截图说明：9:31 下单被拒绝。\n');
    const res = await fileForm(
      cookie,
      {
        csrf,
        language: 'zh-CN',
        description: '开盘时无法下单，错过买入 600000，损失约 1,234.50 元。',
        amount: '1,234.50',
      },
      [
        { name: 'C:\\Users\\wang\\截图.png', bytes: PNG },
        { name: 'note.txt', bytes: note },
      ],
    );
    expect(res.statusCode, res.body).toBe(303);
    expect(res.headers.location).toBe(`${BASE}/done`);
    const done = await get(`${BASE}/done`, cookie);
    filedRef = /id="ref">(CMP-[0-9A-Z-]+)</.exec(done.body)![1]!;
    expect(done.body).toContain('您的补偿编号为');

    const [c] = await claimsOfPortal();
    expect(c).toMatchObject({ ref: filedRef, source: 'portal', status: 'proposed', claimedMinor: 123_450 });
    const detail = (
      await t.as(admin, { method: 'GET', url: `/api/v1/compensation/claims/${c!.id}` })
    ).json() as ClaimDetail;
    expect(detail.events[0]).toMatchObject({
      kind: 'created',
      speaker: 'customer',
      channel: 'portal',
      ip: '203.0.113.250',
    });
    const files = (
      await t.as(auditor, { method: 'GET', url: `/api/v1/compensation/claims/${c!.id}/attachments` })
    ).json() as ClaimAttachmentList;
    expect(files.items.map((f) => [f.fileName, f.mediaType, f.bytes, f.sha256, f.uploadedBy, f.channel])).toEqual([
      ['截图.png', 'image/png', PNG.length, sha(PNG), null, 'portal'],
      ['note.txt', 'text/plain', note.length, sha(note), null, 'portal'],
    ]);
    const dl = await t.as(auditor, {
      method: 'GET',
      url: `/api/v1/compensation/claims/${c!.id}/attachments/${files.items[0]!.id}`,
    });
    expect(dl.statusCode).toBe(200);
    expect(dl.headers['content-type']).toBe('image/png');
    expect(dl.headers['content-disposition']).toContain("filename*=UTF-8''%E6%88%AA%E5%9B%BE.png");
    expect(dl.headers['x-content-type-options']).toBe('nosniff');
    expect(dl.rawPayload.equals(PNG)).toBe(true);
    const downloads = (
      await t.as(admin, { method: 'GET', url: '/api/v1/audit?action=compensation.attachment_download' })
    ).json();
    expect(downloads.items[0].after).toMatchObject({ ref: filedRef, sha256: sha(PNG) });

    const receipt = gw.messages.filter(
      (m) => m.to === '13900001111' && m.idempotencyKey.startsWith('compensation-filed:'),
    );
    expect(receipt.at(-1)!.text).toContain(filedRef);
  });

  it('a second filing adds words and files to the same claim; a file of another type is refused and nothing is kept', async () => {
    const cookie = await signIn('F1001', '13900001111');
    const page = await get(`${BASE}/claim`, cookie);
    expect(page.body).toContain(`您在本事件已有补偿申请 ${filedRef}`);
    const csrf = /name="csrf" value="([^"]+)"/.exec(page.body)![1]!;
    const [c] = await claimsOfPortal();
    const count = async () =>
      (
        (
          await t.as(admin, { method: 'GET', url: `/api/v1/compensation/claims/${c!.id}/attachments` })
        ).json() as ClaimAttachmentList
      ).items.length;

    const exe = await fileForm(cookie, { csrf, description: 'more' }, [
      { name: 'statement.pdf.exe', bytes: Buffer.concat([Buffer.from('MZ'), Buffer.alloc(200, 0x90)]) },
    ]);
    expect(exe.statusCode).toBe(415);
    expect(exe.body).toContain('statement.pdf.exe 不是图片、PDF 或文本文件');
    expect(await count()).toBe(2);

    const forged = await fileForm(cookie, { csrf: 'forged', description: 'x' }, [{ name: 'a.png', bytes: PNG }]);
    expect(forged.statusCode).toBe(403);
    expect(await count()).toBe(2);

    const more = await fileForm(cookie, { csrf, description: '补充：券商短信通知截图' }, [
      { name: 'sms.png', bytes: Buffer.concat([PNG, Buffer.from('x')]) },
    ]);
    expect(more.statusCode, more.body).toBe(303);
    expect(more.headers.location).toBe(`${BASE}/done?added=1`);
    expect(await count()).toBe(3);
    expect(await claimsOfPortal()).toHaveLength(1);
    const detail = (
      await t.as(admin, { method: 'GET', url: `/api/v1/compensation/claims/${c!.id}` })
    ).json() as ClaimDetail;
    expect(detail.events.find((e) => e.kind === 'evidence')).toMatchObject({
      speaker: 'customer',
      channel: 'portal',
      reason: '补充：券商短信通知截图',
      toStatus: 'proposed',
    });
  });

  it('staff attach files in the console (typed by bytes; a reader may not), with an evidence step', async () => {
    const [c] = await claimsOfPortal();
    const url = `/api/v1/compensation/claims/${c!.id}/attachments`;
    const pdf = Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n');
    const body = await multipart({}, [{ name: 'branch-letter.pdf', bytes: pdf }]);
    const denied = await t.as(auditor, {
      method: 'POST',
      url,
      headers: { 'content-type': body.contentType },
      payload: body.payload,
    });
    expect(denied.statusCode).toBe(403);
    const res = await t.as(admin, {
      method: 'POST',
      url,
      headers: { 'content-type': body.contentType },
      payload: body.payload,
    });
    expect(res.statusCode, res.body).toBe(201);
    const last = (res.json() as ClaimAttachmentList).items.at(-1)!;
    expect(last).toMatchObject({ fileName: 'branch-letter.pdf', mediaType: 'application/pdf', channel: 'console' });
    expect(last.uploadedBy?.id).toBeTruthy();

    const bad = await multipart({}, [
      { name: 'x.zip', bytes: Buffer.from('PK\x03\x04\x14\x00\x00\x00\x08\x00', 'latin1') },
    ]);
    const refused = await t.as(admin, {
      method: 'POST',
      url,
      headers: { 'content-type': bad.contentType },
      payload: bad.payload,
    });
    expect(refused.statusCode).toBe(415);
    expect(refused.headers['content-type']).toContain('application/problem+json');
    expect(refused.json()).toMatchObject({ code: 'compensation.attachment_type', params: { file: 'x.zip' } });
  });

  it('the reference shows the claim being assessed on the offer pages', async () => {
    const asked = await t.app.inject({
      method: 'POST',
      url: '/status/compensation',
      headers: { 'content-type': FORM },
      payload: new URLSearchParams({ reference: filedRef }).toString(),
      remoteAddress: nextIp(),
    });
    expect(asked.statusCode).toBe(303);
    const sms = gw.messages.filter((m) => m.idempotencyKey.startsWith('compensation-code:')).at(-1)!;
    expect(sms.to).toBe('13900001111');
    const res = await t.app.inject({
      method: 'POST',
      url: '/status/compensation/code',
      headers: { 'content-type': FORM },
      payload: new URLSearchParams({ reference: filedRef, code: /\b(\d{6})\b/.exec(sms.text)![1]! }).toString(),
      remoteAddress: nextIp(),
    });
    expect(res.statusCode).toBe(303);
    const offer = await get('/status/compensation/offer', String(res.headers['set-cookie']).split(';')[0]!);
    expect(offer.body).toContain('已受理，待评估');
    expect(offer.body).toContain('我们正在评估您的申请');
    expect(offer.body).not.toContain('id="accept"');
  });

  it('once the incident is closed, the form says so and nothing is filed', async () => {
    const cookie = await signIn('F1002', '13900002222');
    const csrf = await csrfOf(cookie);
    expect((await open({ open: false })).json()).toMatchObject({ open: false, filed: 1 });
    const res = await fileForm(cookie, { csrf, description: 'I could not sell.' }, []);
    expect(res.statusCode).toBe(409);
    expect(res.body).toContain('本事件已停止在线受理补偿申请');
    expect(await claimsOfPortal()).toHaveLength(1);
    expect((await get(BASE)).body).toContain('目前没有可在线申请补偿的事件');
  });
});
