/**
 * Customer inquiries over HTTP, on each store: a customer asks on /help and gets a reference, staff
 * answer in the inbox, /help/check shows the answer only with the right phone or email; the same
 * question again is one inquiry; the throttle; the survey once; XSS payloads come out inert; tags and
 * sentiment; the call centre's token; SLA overdue with the test clock; need-to-know; the war room's numbers.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type Session, type TestApp } from '../../../../test/helpers/app.js';
import { buildIncident, buildToken, SYSTEM } from '../../../../test/helpers/fixtures.js';
import { expectProblem } from '../../../../test/helpers/problem.js';
import { STORE_KINDS } from '../../../../test/helpers/store.js';
import { newId } from '../../platform/ids.js';

const FORM = { 'content-type': 'application/x-www-form-urlencoded' };
const form = (fields: Record<string, string>) => new URLSearchParams(fields).toString();
const XSS = [
  '<script>alert(1)</script>',
  '"><img src=x onerror=alert(2)>',
  "'><svg/onload=alert(3)>",
  '<a href="javascript:alert(4)">x</a>',
];

describe.each(STORE_KINDS)('customer inquiries (%s)', (kind) => {
  let t: TestApp;
  let admin: Session;
  let agent: Session;
  let responder: Session;
  let incidentId = '';
  let incidentKey = '';
  let faqId = '';
  let ip = 1;
  const clock = {
    t: Date.parse('2026-12-04T02:00:00Z'),
    now() {
      return this.t;
    },
  };
  /** Each test asks from its own address unless it tests the throttle. */
  const nextIp = () => `198.51.100.${ip++}`;

  const ask = (fields: Record<string, string>, opts: { ip?: string; lang?: string } = {}) =>
    t.app.inject({
      method: 'POST',
      url: `/status/help${opts.lang ? `?lang=${opts.lang}` : ''}`,
      headers: FORM,
      payload: form(fields),
      remoteAddress: opts.ip ?? nextIp(),
    });
  const referenceOf = (html: string) => /id="reference">(Q-[A-Z0-9]{4}-[A-Z0-9]{4})</.exec(html)?.[1] ?? '';
  const check = (reference: string, contact: string, opts: { ip?: string } = {}) =>
    t.app.inject({
      method: 'POST',
      url: '/status/help/check',
      headers: FORM,
      payload: form({ reference, contact }),
      remoteAddress: opts.ip ?? nextIp(),
    });
  const inbox = async (query = '') => (await t.as(agent, { method: 'GET', url: `/api/v1/inquiries${query}` })).json();
  const byReference = async (reference: string) => {
    const list = await inbox('?limit=200');
    return list.items.find((i: { reference: string }) => i.reference === reference);
  };

  beforeAll(async () => {
    t = await createTestApp(
      kind,
      {},
      { clock, helpThrottle: { ask: { perIp: 3, perAddress: 10, windowMs: 3_600_000 } } },
    );
    admin = await t.login('admin');
    agent = await t.login('customer_service');
    responder = await t.login('responder');
    const incident = await buildIncident(t.s, { title: 'Login failures on the trading app' });
    incidentId = incident.id;
    incidentKey = incident.key;
    await t.s.store.transaction((tx) =>
      t.s.status.publisher.publish(tx, SYSTEM, {
        kind: 'holding_statement',
        incidentId,
        statementId: newId(),
        title: { zh: '交易 App 登录异常', en: 'Trading app login failures' },
        body: { zh: '调查中', en: 'Investigating' },
        fields: { status: 'investigating' },
      }),
    );
    const faq = await t.as(admin, {
      method: 'POST',
      url: `/api/v1/incidents/${incidentKey}/faq`,
      payload: {
        question: { zh: '我的资金安全吗？', en: 'Are my funds safe?' },
        answer: { zh: '您的资金**安全**，交易记录完整。', en: 'Your funds are **safe**; every trade is recorded.' },
        position: 1,
        published: true,
      },
    });
    expect(faq.statusCode, faq.body).toBe(201);
    faqId = faq.json().id;
  });
  afterAll(() => t.close());

  it('shows the ongoing incident, its FAQ and a form that works without JavaScript, in zh-CN and English', async () => {
    const zh = await t.app.inject({ method: 'GET', url: '/status/help' });
    expect(zh.statusCode).toBe(200);
    expect(zh.body).toContain('<html lang="zh-CN">');
    expect(zh.body).toContain('交易 App 登录异常');
    expect(zh.body).toContain('我的资金安全吗？');
    expect(zh.body).toContain('<form method="post" action="/status/help"');
    expect(zh.body).toContain(`<option value="${incidentId}"`);
    const en = await t.app.inject({
      method: 'GET',
      url: '/status/help',
      headers: { 'accept-language': 'en-US,en;q=0.9' },
    });
    expect(en.body).toContain('<html lang="en">');
    expect(en.body).toContain('Are my funds safe?');
    expect(en.body).toContain('Trading app login failures');
    expect((await t.app.inject({ method: 'GET', url: '/status/help?lang=en' })).body).toContain('Ask us a question');
    const js = await t.app.inject({ method: 'GET', url: '/status/help/help.js' });
    expect(js.headers['content-type']).toContain('javascript');
  });

  it('asks -> reference; staff answer; the check shows the answer only with the contact used', async () => {
    const asked = await ask({
      incident: incidentId,
      name: '张三',
      phone: '+86 138-0013-8000',
      question: '我无法登录交易App，资金会不会有损失？',
    });
    expect(asked.statusCode, asked.body).toBe(201);
    const reference = referenceOf(asked.body);
    expect(reference).toMatch(/^Q-[2-9A-Z]{4}-[2-9A-Z]{4}$/);

    // Before an answer: received, no answer yet.
    const pending = await check(reference.toLowerCase(), '13800138000');
    expect(pending.statusCode).toBe(200);
    expect(pending.body).toContain('我们正在处理');

    // Wrong contact or wrong reference: the same "not found", nothing of the inquiry.
    for (const [ref, contact] of [
      [reference, '13900000000'],
      [reference, 'zhang@example.com'],
      ['Q-2222-2222', '13800138000'],
    ] as const) {
      const r = await check(ref, contact);
      expect(r.statusCode).toBe(404);
      expect(r.body).not.toContain('资金会不会');
    }

    const item = await byReference(reference);
    expect(item).toMatchObject({
      channel: 'portal',
      incidentKey,
      status: 'new',
      contact: '张* · 138****8000',
      topics: expect.arrayContaining(['login', 'funds', 'compensation']),
      sentiment: 'negative',
    });
    const assigned = await t.as(agent, {
      method: 'POST',
      url: `/api/v1/inquiries/${item.id}/assign`,
      payload: { assigneeId: agent.userId },
    });
    expect(assigned.json().status).toBe('assigned');
    const answered = await t.as(agent, {
      method: 'POST',
      url: `/api/v1/inquiries/${item.id}/answer`,
      payload: { text: '您好，您的资金安全，登录问题已修复。' },
    });
    expect(answered.statusCode, answered.body).toBe(200);
    expect(answered.json()).toMatchObject({ status: 'answered', answer: '您好，您的资金安全，登录问题已修复。' });

    const shown = await check(reference, '138 0013 8000');
    expect(shown.body).toContain('您好，您的资金安全，登录问题已修复。');
    expect(shown.body).toContain('已答复');
    expect(shown.body).toContain('name="rating"');

    // The audit log keeps the contact masked.
    const audit = await t.as(admin, { method: 'GET', url: `/api/v1/audit?targetId=${item.id}` });
    expect(audit.body).toContain('inquiry.answer');
    expect(audit.body).not.toContain('13800138000');
  });

  it('takes the survey once, only with its token', async () => {
    const asked = await ask({ name: 'Li', email: 'li@example.com', question: 'How do fees work?', language: 'en' });
    const reference = referenceOf(asked.body);
    const item = await byReference(reference);
    expect(item).toMatchObject({ incidentKey: null, language: 'en', topics: ['fees'], sentiment: 'neutral' });
    await t.as(agent, { method: 'POST', url: `/api/v1/inquiries/${item.id}/answer`, payload: { text: 'No fee.' } });
    const page = (await check(reference, 'LI@example.com')).body;
    const token = /name="token" value="([^"]+)"/.exec(page)?.[1] ?? '';
    expect(token).not.toBe('');
    const send = (tok: string, rating = '5') =>
      t.app.inject({
        method: 'POST',
        url: '/status/help/feedback?lang=en',
        headers: FORM,
        payload: form({ reference, token: tok, rating, comment: 'quick' }),
      });
    expect((await send('forged')).statusCode).toBe(409);
    expect((await send(token, '9')).statusCode).toBe(422);
    const first = await send(token, '4');
    expect(first.statusCode).toBe(201);
    expect(first.body).toContain('Thank you');
    expect((await send(token, '1')).statusCode).toBe(409);
    const after = await check(reference, 'li@example.com');
    expect(after.body).not.toContain('name="rating"');
    expect((await t.as(agent, { method: 'GET', url: `/api/v1/inquiries/${item.id}` })).json().rating).toBe(4);
  });

  it('counts the same question from the same person once (dedupe) and gives the same reference', async () => {
    const fields = { name: 'Wang', phone: '13700001111', question: 'Order  stuck?', incident: incidentId };
    const a = referenceOf((await ask(fields)).body);
    const b = referenceOf((await ask({ ...fields, question: 'order stuck?' })).body);
    expect(b).toBe(a);
    expect((await byReference(a)).askedCount).toBe(2);
    const c = referenceOf((await ask({ ...fields, phone: '13700002222' })).body);
    expect(c).not.toBe(a);
  });

  it('answers a bot that fills the honeypot like anyone else, and stores nothing', async () => {
    const r = await ask({
      name: 'Bot',
      email: 'bot@example.com',
      question: 'buy cheap',
      website: 'http://spam.example',
    });
    expect(r.statusCode).toBe(201);
    const reference = referenceOf(r.body);
    expect(reference).toMatch(/^Q-/);
    expect(await byReference(reference)).toBeUndefined();
  });

  it('throttles per IP (429 page with Retry-After) and refuses a form without a contact', async () => {
    const from = '203.0.113.9';
    const q = (n: number) => ({ name: 'X', email: `x${n}@example.com`, question: `question ${n}` });
    for (let i = 0; i < 3; i++) expect((await ask(q(i), { ip: from })).statusCode).toBe(201);
    const refused = await ask(q(9), { ip: from });
    expect(refused.statusCode).toBe(429);
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    expect(refused.body).toContain('请求过于频繁');
    const noContact = await ask({ name: 'Y', question: 'hello' });
    expect(noContact.statusCode).toBe(422);
    expect(noContact.body).toContain('手机号码或电子邮件');
    expect(noContact.body).toContain('value="Y"');
  });

  it('escapes every field: classic XSS payloads come out inert on the pages and the inbox keeps them as text', async () => {
    for (const payload of XSS) {
      const r = await ask({ name: payload, email: 'x@example.com', question: payload });
      const reference = referenceOf(r.body);
      const shown = await check(reference, 'x@example.com');
      for (const body of [shown.body])
        for (const bad of ['<script>alert', '<img src=x', '<svg/onload', 'href="javascript:'])
          expect(body).not.toContain(bad);
      expect(shown.body).toContain('&lt;');
      // The form echoes what was typed on an error, escaped too.
      const again = await ask({ name: payload, question: payload });
      for (const bad of ['<script>alert', '<img src=x', '<svg/onload', 'href="javascript:'])
        expect(again.body).not.toContain(bad);
    }
    const check2 = await t.app.inject({
      method: 'POST',
      url: '/status/help/check',
      headers: FORM,
      payload: form({ reference: '"><script>alert(1)</script>', contact: '<img src=x onerror=alert(1)>' }),
    });
    expect(check2.statusCode).toBe(404);
    expect(check2.body).not.toContain('<script>alert');
    expect(check2.body).not.toContain('<img src=x');
  });

  it('takes questions from the call centre by token, answers with a canned FAQ answer, and closes', async () => {
    const token = (await buildToken(t.s, agent.userId, { scopes: ['events'] })).token;
    const created = await t.app.inject({
      method: 'POST',
      url: '/api/v1/inquiries',
      headers: { authorization: `Bearer ${token}` },
      payload: { name: '赵六', phone: '13600003333', question: '资金安全吗？', incidentKey, channel: 'call_centre' },
    });
    expect(created.statusCode, created.body).toBe(201);
    const id = created.json().id as string;
    expect(created.json()).toMatchObject({ channel: 'call_centre', repeated: false, messages: [{ kind: 'customer' }] });
    // Two hours for the call centre (DEFAULT_SLA).
    expect(Date.parse(created.json().slaDueAt) - clock.t).toBe(2 * 3_600_000);

    const canned = (await t.as(agent, { method: 'GET', url: `/api/v1/inquiries/${id}/canned-answers` })).json();
    expect(canned.items).toEqual([{ id: faqId, question: '我的资金安全吗？', answer: '您的资金安全，交易记录完整。' }]);
    const note = await t.as(agent, {
      method: 'POST',
      url: `/api/v1/inquiries/${id}/notes`,
      payload: { body: 'VIP, call back' },
    });
    expect(note.statusCode).toBe(201);
    const answered = await t.as(agent, { method: 'POST', url: `/api/v1/inquiries/${id}/answer`, payload: { faqId } });
    expect(answered.json()).toMatchObject({ answer: '您的资金安全，交易记录完整。', status: 'answered' });
    expect(answered.json().messages.map((m: { kind: string }) => m.kind)).toEqual(['customer', 'note', 'answer']);
    const closed = await t.as(agent, { method: 'POST', url: `/api/v1/inquiries/${id}/close` });
    expect(closed.json().status).toBe('closed');
    await expectProblem(
      await t.as(agent, { method: 'POST', url: `/api/v1/inquiries/${id}/answer`, payload: { text: 'late' } }),
      409,
    );
    // A responder neither reads nor manages the inbox.
    await expectProblem(await t.as(responder, { method: 'GET', url: '/api/v1/inquiries' }), 403);
  });

  it('surfaces overdue inquiries by SLA, pages with a cursor, and counts for the war room', async () => {
    const asked = await ask({
      name: 'Late',
      phone: '13511112222',
      question: '委托一直没有成交，太差了！',
      incident: incidentId,
    });
    const reference = referenceOf(asked.body);
    clock.t += 5 * 3_600_000;
    const overdue = await inbox('?overdue=true');
    const late = overdue.items.find((i: { reference: string }) => i.reference === reference);
    expect(late).toMatchObject({ overdue: true, status: 'new' });
    expect(overdue.items.every((i: { overdue: boolean }) => i.overdue)).toBe(true);

    const first = await inbox('?limit=2');
    expect(first.items).toHaveLength(2);
    const second = await inbox(`?limit=2&cursor=${first.next}`);
    expect(second.items[0].id).not.toBe(first.items[1].id);
    expect(new Set([...first.items, ...second.items].map((i: { id: string }) => i.id)).size).toBe(4);

    const ofIncident = await inbox(`?incident=${incidentKey}`);
    expect(ofIncident.items.every((i: { incidentKey: string }) => i.incidentKey === incidentKey)).toBe(true);

    const stats = (await t.as(agent, { method: 'GET', url: `/api/v1/incidents/${incidentKey}/inquiry-stats` })).json();
    expect(stats.total).toBeGreaterThanOrEqual(4);
    expect(stats.slaBreaches).toBeGreaterThanOrEqual(1);
    expect(stats.perHour).toHaveLength(24);
    expect(stats.perHour.reduce((n: number, h: { count: number }) => n + h.count, 0)).toBe(stats.total);
    expect(stats.topTopics.map((x: { topic: string }) => x.topic)).toContain('order');
    expect(stats.negative).toBeGreaterThanOrEqual(2);
  });

  it('hides inquiries about a restricted incident from those outside it', async () => {
    const secret = await t.as(admin, {
      method: 'POST',
      url: '/api/v1/incidents',
      payload: { title: 'Insider case', category: 'data_security', grade: 'II', restricted: true },
    });
    const key = secret.json().key as string;
    const created = await t.as(admin, {
      method: 'POST',
      url: '/api/v1/inquiries',
      payload: {
        name: 'Q',
        email: 'q@example.com',
        question: 'Was my data leaked?',
        incidentKey: key,
        channel: 'staff',
      },
    });
    expect(created.statusCode, created.body).toBe(201);
    expect(created.json().topics).toContain('leak');
    await expectProblem(await t.as(agent, { method: 'GET', url: `/api/v1/inquiries/${created.json().id}` }), 404);
    expect((await inbox('?limit=200')).items.some((i: { id: string }) => i.id === created.json().id)).toBe(false);
  });
});
