/**
 * Customer inquiries by email, on each store, with a real SMTP client (nodemailer) against the inbound
 * listener: a GBK mail from a known customer becomes an email inquiry of the incident its subject names,
 * with the customer's tier SLA; the same Message-ID again changes nothing; recipients outside the
 * allow-list and oversized mail are refused by SMTP; HTML-only quoted-printable mail arrives as text; the
 * answer is mailed back (durable job, retried after an SMTP failure) in the thread, and the customer's
 * reply to it reopens the same inquiry; the reference from another address starts a new one; the
 * sender's address is never in the logs.
 */
import { Writable } from 'node:stream';
import iconv from 'iconv-lite';
import { simpleParser } from 'mailparser';
import nodemailer, { type SendMailOptions, type Transporter } from 'nodemailer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startInboundSmtp } from '../../src/server/modules/inquiry/index.js';
import { createLogger } from '../../src/server/platform/logger.js';
import { SmtpStandIn } from '../../src/server/sandbox/mail.js';
import type { CustomerInquiryDetail } from '../../src/shared/inquiry-schemas.js';
import { createTestApp, type Session, type TestApp } from '../helpers/app.js';
import { STORE_KINDS } from '../helpers/store.js';

const HOUR = 3_600_000;

describe.each(STORE_KINDS)('inquiries by email (%s)', (kind) => {
  let t: TestApp;
  let agent: Session;
  let key = '';
  let inbound: { port: number; close(): Promise<void> };
  const outbox = new SmtpStandIn();
  const logs: string[] = [];
  const clock = {
    t: Date.parse('2026-12-04T08:00:00Z'),
    now() {
      return this.t;
    },
  };
  let client: Transporter;
  const send = (mail: SendMailOptions) =>
    client.sendMail({ from: '张三 <Zhang.San@Example.com>', to: 'help@firm.example', ...mail });

  const inbox = async (): Promise<CustomerInquiryDetail[]> => {
    const res = await t.as(agent, { method: 'GET', url: '/api/v1/inquiries?status=new' });
    expect(res.statusCode, res.body).toBe(200);
    const items = res.json().items as { id: string }[];
    return Promise.all(
      items.map(async (i) => (await t.as(agent, { method: 'GET', url: `/api/v1/inquiries/${i.id}` })).json()),
    );
  };
  const all = async () =>
    (await t.as(agent, { method: 'GET', url: '/api/v1/inquiries' })).json().items as CustomerInquiryDetail[];

  beforeAll(async () => {
    const smtpPort = await outbox.listen(0);
    t = await createTestApp(kind, { TOCSIN_SMTP_URL: `smtp://127.0.0.1:${smtpPort}` }, { clock });
    agent = await t.login('customer_service');
    const admin = await t.login('admin');
    const inc = await t.as(admin, {
      method: 'POST',
      url: '/api/v1/incidents',
      payload: { title: 'Account takeover of trading accounts', category: 'network_attack', grade: 'III' },
    });
    key = inc.json().key;
    const c = await t.as(admin, {
      method: 'PUT',
      url: '/api/v1/customers/C100',
      payload: { name: '张三', email: 'zhang.san@example.com', tier: 'vip', language: 'zh-CN' },
    });
    expect(c.statusCode, c.body).toBeLessThan(300);
    const sink = new Writable({
      write(chunk, _enc, done) {
        logs.push(String(chunk));
        done();
      },
    });
    inbound = await startInboundSmtp({
      host: '127.0.0.1',
      port: 0,
      allow: ['help@firm.example', '@support.firm.example'],
      maxBytes: 64 * 1024,
      receive: (raw) => t.s.inquiries.email.receive(raw),
      logger: createLogger('info', sink),
    });
    client = nodemailer.createTransport({ host: '127.0.0.1', port: inbound.port, secure: false, ignoreTLS: true });
  });
  afterAll(async () => {
    client?.close();
    await inbound?.close();
    await t?.close();
    await outbox.close();
  });

  it('takes a GBK mail from a known customer as an email inquiry of the incident its subject names', async () => {
    const info = await send({
      subject: `我的账户被盗了 [${key}]`,
      text: iconv.encode('你好，我的账户今天早上被人登录，资金转走了。\n\n张三', 'gbk') as unknown as string,
      textEncoding: 'base64',
      headers: { 'Content-Type': 'text/plain; charset=GBK' },
      messageId: '<first-1@example.com>',
    });
    expect(info.response).toMatch(/^250 accepted as Q-/);
    const [q] = await inbox();
    expect(q).toMatchObject({
      channel: 'email',
      incidentKey: key,
      language: 'zh-CN',
      contact: '张* · Z***@example.com',
      messages: [{ kind: 'customer' }],
    });
    expect(q!.question).toContain('你好，我的账户今天早上被人登录，资金转走了。');
    expect(q!.question.startsWith('我的账户被盗了')).toBe(true);
    expect(q!.customerId).not.toBeNull();
    // A VIP customer: answered within 1 h (the email channel alone would give 8 h).
    expect(Date.parse(q!.slaDueAt) - clock.t).toBe(HOUR);
  });

  it('changes nothing when the same Message-ID arrives again', async () => {
    const info = await send({ subject: 'again', text: 'another text', messageId: '<first-1@example.com>' });
    expect(info.response).toBe('250 accepted');
    expect(await all()).toHaveLength(1);
  });

  it('refuses recipients outside the allow-list and mail over the size limit', async () => {
    await expect(send({ to: 'ceo@firm.example', subject: 'hi', text: 'x' })).rejects.toMatchObject({
      responseCode: 550,
    });
    await expect(
      send({ to: 'anyone@support.firm.example', subject: 'big', text: 'x'.repeat(70 * 1024) }),
    ).rejects.toMatchObject({ responseCode: 552 });
    expect(await all()).toHaveLength(1);
  });

  it('reduces HTML-only quoted-printable mail to text and leaves it to triage without an incident key', async () => {
    await send({
      from: 'Li Si <li.si@example.org>',
      subject: 'Cannot log in',
      html: '<p>Hello, I <b>cannot</b> log in since 9:00.</p><script>alert(1)</script><p>Regards</p>',
      textEncoding: 'quoted-printable',
      messageId: '<html-1@example.org>',
    });
    const q = (await all()).find((i) => i.contact.startsWith('L'))!;
    expect(q).toMatchObject({ channel: 'email', incidentKey: null, language: 'en', customerId: null });
    expect(q.question).toBe('Cannot log in\n\nHello, I cannot log in since 9:00.\n\nRegards');
  });

  it('mails the answer back in the thread, retried after an SMTP failure, and threads the reply to it', async () => {
    const q = (await all()).find((i) => i.incidentKey === key)!;
    const res = await t.as(agent, {
      method: 'POST',
      url: `/api/v1/inquiries/${q.id}/answer`,
      payload: { text: '您好，我们已冻结您的账户并将在今天内联系您。' },
    });
    expect(res.statusCode, res.body).toBe(200);
    outbox.failNext(1, 'error');
    await t.s.jobs.runDue(clock.t);
    expect(outbox.messages).toHaveLength(0);
    clock.t += 10 * 60_000; // past the job's backoff
    await t.s.jobs.runDue(clock.t);
    expect(outbox.messages).toHaveLength(1);
    const sent = outbox.messages[0]!;
    expect(sent.rcptTo).toEqual(['Zhang.San@example.com']);
    const read = await simpleParser(Buffer.from(sent.raw));
    expect(read.subject).toBe(`回复: 我的账户被盗了 [${key}] [${q.reference}]`);
    expect(read.text).toContain('您好，我们已冻结您的账户并将在今天内联系您。');
    expect(read.inReplyTo).toBe('<first-1@example.com>');
    const answerId = read.messageId!;

    await send({
      subject: `Re: ${read.subject}`,
      text: '谢谢，请尽快。\n\n在 2026年12月4日 写道：\n> 您好，我们已冻结您的账户',
      inReplyTo: answerId,
      references: [answerId],
      messageId: '<reply-1@example.com>',
    });
    const again = (await t.as(agent, { method: 'GET', url: `/api/v1/inquiries/${q.id}` })).json();
    expect(again.status).toBe('assigned');
    expect(again.messages.map((m: { kind: string; body: string }) => [m.kind, m.body])).toEqual([
      ['customer', q.question],
      ['answer', '您好，我们已冻结您的账户并将在今天内联系您。'],
      ['customer', '谢谢，请尽快。'],
    ]);
    expect(await all()).toHaveLength(2);
  });

  it('does not thread mail from another address that names the reference', async () => {
    const q = (await all()).find((i) => i.incidentKey === key)!;
    await send({ from: 'mallory@example.net', subject: `About ${q.reference}`, text: 'Please send me the details.' });
    const items = await all();
    expect(items).toHaveLength(3);
    expect(items.find((i) => i.contact.startsWith('m'))!.question).toBe('About\n\nPlease send me the details.');
  });

  it('never writes a sender address to the logs', () => {
    const text = logs.join('');
    expect(text).toContain('inbound mail');
    expect(text.toLowerCase()).not.toMatch(/zhang\.san@|li\.si@|mallory@/);
  });
});
