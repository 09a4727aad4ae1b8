/**
 * The customer answers a compensation offer on the public portal, on each store (issue 14): the claim's
 * reference texts a 6-digit code (through the notify gateway stand-in) to the phone on file; the code
 * opens the current offer (zh or en); five wrong codes lock the code and an unknown reference answers
 * exactly as a wrong code does; accept records the time and IP and moves the claim to accepted; counter
 * and decline are the customer's steps on the portal channel; an offer changed by staff after the code
 * was sent is shown afresh and an answer to the old one is refused; forms without the session's token or
 * from another site are refused; codes expire after 10 minutes and sending is throttled per reference.
 * Every answer is audited as the portal customer's.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ClaimDetail } from '../../src/shared/compensation-schemas.js';
import { notifyGateway, type NotifyStandIn } from '../../src/server/sandbox/notify.js';
import { createTestApp, type Session, type TestApp } from '../helpers/app.js';
import { seedCustomers } from '../helpers/campaigns.js';
import { STORE_KINDS } from '../helpers/store.js';

const SECRET = 'notify-gateway-secret-of-the-portal-test';
const FORM = 'application/x-www-form-urlencoded';
const BASE = '/status/compensation';

describe.each(STORE_KINDS)('compensation portal (%s)', (kind) => {
  let t: TestApp;
  let gw: NotifyStandIn;
  let admin: Session;
  let key = '';
  let n = 0;
  let ip = 1;
  const clock = {
    t: Date.parse('2026-12-04T02:00:00Z'),
    now() {
      return this.t;
    },
  };
  const nextIp = () => `198.51.100.${ip++}`;

  beforeAll(async () => {
    gw = notifyGateway(SECRET, clock);
    const url = await gw.listen(0);
    t = await createTestApp(
      kind,
      {
        TOCSIN_NOTIFY_GATEWAY_URL: url,
        TOCSIN_NOTIFY_GATEWAY_SECRET: SECRET,
        TOCSIN_PROBE_ALLOW_LOOPBACK: 'true',
      },
      { clock, compensationThrottle: { send: { perIp: 1000, perAddress: 4, windowMs: 3_600_000 } } },
    );
    admin = await t.login('admin');
    const inc = await t.as(admin, {
      method: 'POST',
      url: '/api/v1/incidents',
      payload: { title: 'Market data outage: orders rejected', category: 'equipment_failure', grade: 'II' },
    });
    key = inc.json().key;
  });
  afterAll(async () => {
    await t.close();
    await gw.close();
  });

  const api = async (url: string, payload: Record<string, unknown> = {}) => {
    const res = await t.as(admin, { method: 'POST', url, payload });
    expect(res.statusCode, res.body).toBeLessThan(300);
    return res.json() as ClaimDetail;
  };
  const claim = async (id: string) =>
    (await t.as(admin, { method: 'GET', url: `/api/v1/compensation/claims/${id}` })).json() as ClaimDetail;

  /** A customer with a phone and a claim offered at `amountMinor`; the claim. */
  async function offered(amountMinor = 123_456, language: 'zh-CN' | 'en' = 'zh-CN') {
    const no = `P${++n}`;
    const phone = `1380000${String(1000 + n)}`;
    await seedCustomers(t.s, [{ customerNo: no, name: `客户${n}`, phone, language }]);
    const c = await api(`/api/v1/incidents/${key}/compensation/claims`, {
      customerNo: no,
      source: 'owner',
      claimedMinor: 200_000,
      description: 'orders rejected during the outage',
    });
    await api(`/api/v1/compensation/claims/${c.id}/assess`);
    await api(`/api/v1/compensation/claims/${c.id}/offer`, {
      amountMinor,
      reason: 'price difference',
      basis: 'price_diff',
    });
    return { id: c.id, ref: c.ref, phone };
  }

  const post = (
    path: string,
    fields: Record<string, string>,
    o: { ip?: string; cookie?: string; headers?: Record<string, string>; lang?: string } = {},
  ) =>
    t.app.inject({
      method: 'POST',
      url: `${BASE}${path}${o.lang ? `?lang=${o.lang}` : ''}`,
      headers: { 'content-type': FORM, ...(o.cookie ? { cookie: o.cookie } : {}), ...o.headers },
      payload: new URLSearchParams(fields).toString(),
      remoteAddress: o.ip ?? nextIp(),
    });
  const codesTo = (phone: string) =>
    gw.messages
      .filter((m) => m.to === phone && m.idempotencyKey.startsWith('compensation-code:'))
      .map((m) => /\b(\d{6})\b/.exec(m.text)![1]!);

  /** Asks for a code for `ref` and gives it: the session cookie. */
  async function signIn(ref: string, phone: string, ip = nextIp()): Promise<string> {
    const asked = await post('', { reference: ref }, { ip });
    expect(asked.statusCode).toBe(303);
    const code = codesTo(phone).at(-1)!;
    const res = await post('/code', { reference: ref, code }, { ip });
    expect(res.statusCode, res.body).toBe(303);
    expect(res.headers.location).toBe(`${BASE}/offer`);
    const cookie = String(res.headers['set-cookie']);
    expect(cookie).toMatch(/HttpOnly; SameSite=Strict/);
    return cookie.split(';')[0]!;
  }
  const offerPage = (cookie: string, lang?: string) =>
    t.app.inject({ method: 'GET', url: `${BASE}/offer${lang ? `?lang=${lang}` : ''}`, headers: { cookie } });
  /** Follows a 303 as the browser does. */
  const follow = (res: { headers: Record<string, unknown> }, cookie: string) =>
    t.app.inject({ method: 'GET', url: res.headers.location as string, headers: { cookie } });
  /** The hidden fields of the offer page's forms. */
  const formOf = (html: string) => ({
    csrf: /name="csrf" value="([^"]+)"/.exec(html)![1]!,
    version: /name="version" value="(\d+)"/.exec(html)![1]!,
  });

  it('texts a code to the phone on file (never shown) and the code opens the current offer in Chinese', async () => {
    const c = await offered(123_456);
    const start = await t.app.inject({ method: 'GET', url: BASE, headers: { 'accept-language': 'zh-CN' } });
    expect(start.statusCode).toBe(200);
    expect(start.body).toContain('您的补偿方案');
    expect(start.body).not.toMatch(/<script|style=/);

    const asked = await post('', { reference: c.ref.toLowerCase() });
    expect(asked.statusCode).toBe(303);
    expect(asked.headers.location).toBe(`${BASE}/code?ref=${c.ref}`);
    const codes = codesTo(c.phone);
    expect(codes).toHaveLength(1);
    const sms = gw.messages.at(-1)!;
    expect(sms.channel).toBe('sms');
    expect(sms.text).toContain(c.ref);
    expect(sms.text).toContain('10 分钟');
    // Stored as a keyed hash only.
    const rows = await t.s.store.db
      .selectFrom('compensation_portal_codes')
      .selectAll()
      .where('claim_id', '=', c.id)
      .execute();
    expect(rows).toHaveLength(1);
    expect(JSON.stringify(rows)).not.toContain(codes[0]);

    const codePage = await t.app.inject({ method: 'GET', url: asked.headers.location as string });
    expect(codePage.body).toContain('6 位验证码');
    expect(codePage.body).not.toContain(c.phone);
    expect(codePage.body).not.toContain('****');

    const cookie = await signIn(c.ref, c.phone);
    const page = await offerPage(cookie);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('1,234.56 元');
    expect(page.body).toContain('故障期间委托未能成交造成的价差损失');
    expect(page.body).toContain('待您答复');
    expect(page.body).toContain(`138****${c.phone.slice(-4)}`);
    expect(page.body).not.toContain(c.phone);
    const en = await offerPage(cookie, 'en');
    expect(en.body).toContain('CNY 1,234.56');
    expect(en.body).toContain('the price difference of orders the outage kept from being filled');
    expect(en.body).toContain('Awaiting your answer');
  });

  it('five wrong codes lock the code; an unknown reference answers exactly as a wrong code', async () => {
    const c = await offered();
    const from = nextIp();
    await post('', { reference: c.ref }, { ip: from });
    const right = codesTo(c.phone).at(-1)!;
    const wrong = right === '000000' ? '111111' : '000000';
    const answers: string[] = [];
    for (let i = 0; i < 5; i++) {
      const res = await post('/code', { reference: c.ref, code: wrong }, { ip: from });
      expect(res.statusCode).toBe(422);
      answers.push(/id="form-error">([^<]+)</.exec(res.body)![1]!);
    }
    expect(answers[0]).toContain('补偿编号或验证码不正确');
    // Locked: the right code no longer opens anything.
    const locked = await post('/code', { reference: c.ref, code: right }, { ip: from });
    expect(locked.statusCode).toBe(422);
    expect(locked.headers['set-cookie']).toBeUndefined();
    // Nobody's reference: the same answer, and no text message.
    const before = gw.messages.length;
    const unknown = await post('', { reference: 'CMP-0000-0000-0000' });
    expect(unknown.statusCode).toBe(303);
    expect(unknown.headers.location).toBe(`${BASE}/code?ref=CMP-0000-0000-0000`);
    expect(gw.messages.length).toBe(before);
    const guess = await post('/code', { reference: 'CMP-0000-0000-0000', code: right });
    expect(guess.statusCode).toBe(422);
    expect(/id="form-error">([^<]+)</.exec(guess.body)![1]).toBe(answers[0]);
    // A new code works again.
    const resent = await post('/resend', { reference: c.ref }, { ip: from });
    expect(resent.headers.location).toBe(`${BASE}/code?ref=${c.ref}&sent=1`);
    const fresh = codesTo(c.phone).at(-1)!;
    const ok = await post('/code', { reference: c.ref, code: fresh }, { ip: from });
    expect(ok.statusCode).toBe(303);
  });

  it('accept records the time, the IP and the portal channel; the claim is accepted and the answer audited', async () => {
    const c = await offered(88_800);
    clock.t += 60_000;
    const cookie = await signIn(c.ref, c.phone);
    const page = await offerPage(cookie);
    const res = await post('/offer/accept', formOf(page.body), { cookie, ip: '203.0.113.7' });
    expect(res.statusCode, res.body).toBe(303);
    expect(res.headers.location).toBe(`${BASE}/offer?done=accepted`);
    const after = await follow(res, cookie);
    expect(after.body).toContain('您已接受补偿方案');
    expect(after.body).toContain('您已接受');
    expect(after.body).not.toContain('id="accept"');

    const detail = await claim(c.id);
    expect(detail.status).toBe('accepted');
    expect(detail.acceptedChannel).toBe('portal');
    expect(detail.acceptedAt).toBe(new Date(clock.t).toISOString());
    const accept = detail.events.at(-1)!;
    expect(accept).toMatchObject({
      kind: 'accept',
      speaker: 'customer',
      channel: 'portal',
      ip: '203.0.113.7',
      amountMinor: 88_800,
    });
    expect(accept.recordedBy).toBeNull();
    const row = await t.s.store.db
      .selectFrom('compensation_claims')
      .select('accepted_ip')
      .where('id', '=', c.id)
      .executeTakeFirstOrThrow();
    expect(row.accepted_ip).toBe('203.0.113.7');
    const audit = await t.s.store.db
      .selectFrom('audit_log')
      .selectAll()
      .where('target_id', '=', c.id)
      .where('action', '=', 'compensation.accept')
      .execute();
    expect(audit).toHaveLength(1);
    expect(audit[0]!.actor_label).toBe('compensation portal customer');
    expect(JSON.parse(audit[0]!.after_json!)).toMatchObject({
      status: 'accepted',
      speaker: 'customer',
      channel: 'portal',
    });
    // The code was audited when sent, with the phone masked.
    const sent = await t.s.store.db
      .selectFrom('audit_log')
      .select('after_json')
      .where('target_id', '=', c.id)
      .where('action', '=', 'compensation.portal_code')
      .execute();
    expect(sent.length).toBeGreaterThan(0);
    expect(sent[0]!.after_json).toContain('138****');
    expect(sent[0]!.after_json).not.toContain(c.phone);
    // A second accept (the same form again) changes nothing.
    const again = await post('/offer/accept', formOf(page.body), { cookie });
    expect(again.headers.location).toBe(`${BASE}/offer?done=closed`);
    expect((await claim(c.id)).events.filter((e) => e.kind === 'accept')).toHaveLength(1);
  });

  it('counter and decline are the customer’s steps on the portal; the decline carries a goodwill gesture', async () => {
    const a = await offered(50_000, 'en');
    const cookieA = await signIn(a.ref, a.phone);
    const pageA = await offerPage(cookieA, 'en');
    const bad = await post(
      '/offer/counter',
      { ...formOf(pageA.body), amount: '-3', reason: 'x', language: 'en' },
      { cookie: cookieA },
    );
    expect(bad.statusCode).toBe(422);
    expect(bad.body).toContain('Give an amount above zero');
    const res = await post(
      '/offer/counter',
      { ...formOf(pageA.body), amount: '2,000.50', reason: 'I lost more on the rejected orders', language: 'en' },
      { cookie: cookieA, ip: '203.0.113.8' },
    );
    expect(res.headers.location).toBe(`${BASE}/offer?done=countered&lang=en`);
    const countered = await claim(a.id);
    expect(countered.status).toBe('countered');
    expect(countered.claimedMinor).toBe(200_050);
    expect(countered.events.at(-1)).toMatchObject({
      kind: 'counter',
      speaker: 'customer',
      channel: 'portal',
      ip: '203.0.113.8',
      amountMinor: 200_050,
      reason: 'I lost more on the rejected orders',
    });
    expect((await offerPage(cookieA, 'en')).body).toContain('We have your answer of CNY 2,000.50');

    const b = await offered(30_000);
    const cookieB = await signIn(b.ref, b.phone);
    const pageB = await offerPage(cookieB);
    const declined = await post('/offer/decline', { ...formOf(pageB.body), reason: '金额太低' }, { cookie: cookieB });
    expect(declined.headers.location).toBe(`${BASE}/offer?done=declined`);
    const d = await claim(b.id);
    expect(d.status).toBe('declined');
    expect(d.declineReason).toBe('customer_declined');
    expect(d.goodwill).not.toBeNull();
    expect(d.events.at(-1)).toMatchObject({
      kind: 'decline',
      speaker: 'customer',
      channel: 'portal',
      reason: '金额太低',
    });
    const shown = await offerPage(cookieB);
    expect(shown.body).toContain('已拒绝');
    expect(shown.body).toContain('id="goodwill"');
  });

  it('an offer staff changed after the code was sent is shown afresh; an answer to the old one is refused', async () => {
    const c = await offered(10_000);
    const cookie = await signIn(c.ref, c.phone);
    const old = await offerPage(cookie);
    expect(old.body).toContain('100.00 元');
    await api(`/api/v1/compensation/claims/${c.id}/offer`, { amountMinor: 15_000, reason: 'revised after review' });
    const res = await post('/offer/accept', formOf(old.body), { cookie });
    expect(res.headers.location).toBe(`${BASE}/offer?done=changed`);
    const fresh = await follow(res, cookie);
    expect(fresh.body).toContain('150.00 元');
    expect(fresh.body).toContain('补偿方案已更新');
    expect((await claim(c.id)).status).toBe('offered');
    const ok = await post('/offer/accept', formOf(fresh.body), { cookie });
    expect(ok.headers.location).toBe(`${BASE}/offer?done=accepted`);
    expect((await claim(c.id)).amountMinor).toBe(15_000);
  });

  it('two answers at the same moment: one is recorded, the other changes nothing', async () => {
    const c = await offered(20_000);
    const cookie = await signIn(c.ref, c.phone);
    const fields = formOf((await offerPage(cookie)).body);
    const [a, b] = await Promise.all([
      post('/offer/accept', fields, { cookie }),
      post('/offer/decline', { ...fields, reason: 'changed my mind' }, { cookie }),
    ]);
    const outcomes = [a.headers.location, b.headers.location].sort();
    expect(outcomes.filter((l) => l === `${BASE}/offer?done=closed`)).toHaveLength(1);
    const d = await claim(c.id);
    expect(['accepted', 'declined']).toContain(d.status);
    expect(d.events.filter((e) => e.kind === 'accept' || e.kind === 'decline')).toHaveLength(1);
  });

  it('refuses an answer without the session, without its form token, or from another site', async () => {
    const c = await offered();
    const cookie = await signIn(c.ref, c.phone);
    const { version, csrf } = formOf((await offerPage(cookie)).body);
    const noSession = await post('/offer/accept', { version, csrf });
    expect(noSession.statusCode).toBe(303);
    expect(noSession.headers.location).toBe(`${BASE}?m=session`);
    const noToken = await post('/offer/accept', { version }, { cookie });
    expect(noToken.statusCode).toBe(403);
    const foreign = await post(
      '/offer/accept',
      { version, csrf },
      { cookie, headers: { origin: 'https://evil.example' } },
    );
    expect(foreign.statusCode).toBe(403);
    const crossSite = await post(
      '/offer/accept',
      { version, csrf },
      { cookie, headers: { 'sec-fetch-site': 'cross-site' } },
    );
    expect(crossSite.statusCode).toBe(403);
    expect((await claim(c.id)).status).toBe('offered');
    // The session ends after 30 minutes.
    clock.t += 31 * 60_000;
    const ended = await offerPage(cookie);
    expect(ended.statusCode).toBe(303);
    expect(ended.headers.location).toBe(`${BASE}?m=session`);
  });

  it('a code expires after 10 minutes; codes for one reference are throttled', async () => {
    const c = await offered();
    await post('', { reference: c.ref });
    const code = codesTo(c.phone).at(-1)!;
    clock.t += 10 * 60_000 + 1;
    const late = await post('/code', { reference: c.ref, code });
    expect(late.statusCode).toBe(422);
    // 4 sends an hour for one reference, from any address: the 5th is refused.
    for (let i = 0; i < 3; i++) expect((await post('/resend', { reference: c.ref })).statusCode).toBe(303);
    const refused = await post('/resend', { reference: c.ref });
    expect(refused.statusCode).toBe(429);
    expect(refused.headers['retry-after']).toBeDefined();
    expect(refused.body).toContain('请求过于频繁');
    expect(codesTo(c.phone)).toHaveLength(4);
  });
});
