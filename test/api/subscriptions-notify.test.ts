/**
 * Subscribers are told when an announcement is published (the outbox event `announcement.published`,
 * published here straight through the outbox, as the status module does on publish): one mail per confirmed subscriber of
 * the services concerned, in their language, none to pending or unsubscribed ones, none twice for the
 * same update; webhook subscribers get a signed JSON POST that verifies. And the staff API: permissions,
 * the outbound guard on webhook URLs, changes and deletion audited. The announcement comes from a fake
 * `AnnouncementReader`, so the test controls its words; test/api/transparency-scenario.test.ts covers
 * the whole path through the status module.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AnnouncementForSubscribers } from '../../src/server/modules/subscription/index.js';
import { webhookSignature } from '../../src/server/modules/paging/index.js';
import { SmtpStandIn } from '../../src/server/sandbox/mail.js';
import { createTestApp, type Session, type TestApp } from '../helpers/app.js';
import { decodedBody, header, linkIn, partOf } from '../helpers/mail.js';
import { STORE_KINDS } from '../helpers/store.js';

const START = Date.parse('2026-12-03T02:00:00Z');
const SECRET = 'webhook-signing-secret-0123456789';

const announcement = (updateId: string, text: { zh: string; en: string }): AnnouncementForSubscribers => ({
  announcementId: 'a-1',
  updateId,
  slug: '2026-12-03-trading-login',
  title: { zh: '网上交易登录异常', en: 'Online trading login problems' },
  body: text,
  status: 'identified',
  services: ['trading'],
  at: START,
});

describe.each(STORE_KINDS)('status-site subscribers are told on publish (%s)', (kind) => {
  let smtp: SmtpStandIn;
  let receiver: http.Server;
  const posts: { headers: http.IncomingHttpHeaders; body: string }[] = [];
  let t: TestApp;
  let comms: Session;
  const now = START;
  const clock = { now: () => now };
  const published = new Map<string, AnnouncementForSubscribers>();
  let ip = 1;

  const runJobs = async () => {
    while ((await t.s.jobs.runDue(now)) > 0);
  };
  const mailsTo = (address: string) => smtp.messages.filter((m) => m.rcptTo.includes(address));
  async function subscriber(email: string, language: 'zh-CN' | 'en', services: string[], confirm = true) {
    await t.s.subscriptions.subscribe(`192.0.2.${ip++}`, { email, language, services });
    await runJobs();
    const token = new URL(linkIn(mailsTo(email).at(-1)!, 'confirm?token=')).searchParams.get('token')!;
    if (confirm) expect((await t.s.subscriptions.confirm(token)).outcome).toBe('confirmed');
    return new URL(linkIn(mailsTo(email).at(-1)!, 'unsubscribe?token=')).searchParams.get('token')!;
  }
  const publish = (updateId: string, kindOf: 'opened' | 'updated' = 'updated') =>
    t.s.store.transaction((tx) =>
      t.s.outbox.publish(tx, 'announcement.published', { announcementId: 'a-1', updateId, kind: kindOf }),
    );

  beforeAll(async () => {
    smtp = new SmtpStandIn(clock);
    const port = await smtp.listen(0);
    receiver = http.createServer((req, res) => {
      let body = '';
      req.on('data', (c) => {
        body += c;
      });
      req.on('end', () => {
        posts.push({ headers: req.headers, body });
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
    t = await createTestApp(
      kind,
      {
        TOCSIN_PUBLIC_URL: 'https://status.firm.example',
        TOCSIN_SMTP_URL: `smtp://127.0.0.1:${port}`,
        TOCSIN_PROBE_ALLOW_LOOPBACK: 'true',
      },
      { clock, announcements: { get: async (_db, id, updateId) => published.get(`${id}:${updateId}`) ?? null } },
    );
    comms = await t.login('communications');
  });
  afterAll(async () => {
    await t?.close();
    await smtp?.close();
    await new Promise((r) => receiver?.close(r));
  });

  it('staff API: read and manage need the subscriber permissions; a webhook URL the outbound guard refuses is 422', async () => {
    const responder = await t.login('responder');
    expect((await t.as(responder, { method: 'GET', url: '/api/v1/status/subscribers' })).statusCode).toBe(403);
    const denied = await t.as(responder, {
      method: 'POST',
      url: '/api/v1/status/subscribers/webhooks',
      payload: { name: 'x', url: 'https://hooks.example.com/x', secret: SECRET },
    });
    expect(denied.statusCode).toBe(403);
    const metadata = await t.as(comms, {
      method: 'POST',
      url: '/api/v1/status/subscribers/webhooks',
      payload: { name: 'metadata', url: 'http://169.254.169.254/latest', secret: SECRET },
    });
    expect(metadata.statusCode).toBe(422);
    expect(metadata.json().detail).toContain('refused range');
  });

  it('one mail per confirmed subscriber of the service, in their language; none to pending, unsubscribed or other services; a signed webhook', async () => {
    await subscriber('zh-all@example.com', 'zh-CN', []);
    await subscriber('en-trading@example.com', 'en', ['trading']);
    await subscriber('en-other@example.com', 'en', ['other']);
    await subscriber('pending@example.com', 'zh-CN', [], false);
    const goneToken = await subscriber('gone@example.com', 'en', []);
    expect((await t.s.subscriptions.unsubscribe(goneToken)).outcome).toBe('unsubscribed');
    const hook = await t.as(comms, {
      method: 'POST',
      url: '/api/v1/status/subscribers/webhooks',
      payload: {
        name: 'Broker app',
        url: `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/tocsin`,
        secret: SECRET,
        language: 'en',
        services: ['trading'],
      },
    });
    expect(hook.statusCode, hook.body).toBe(201);
    expect(hook.json()).toMatchObject({
      kind: 'webhook',
      state: 'confirmed',
      masked: expect.stringMatching(/^http:\/\/127\.0\.0\.1:/),
    });
    expect(JSON.stringify(hook.json())).not.toContain(SECRET);

    published.set(
      'a-1:u-1',
      announcement('u-1', {
        zh: '已定位原因：认证服务**过载**。<script>alert(1)</script>',
        en: 'Cause found: the **authentication service** is overloaded. <img src=x onerror=alert(1)>',
      }),
    );
    const before = smtp.messages.length;
    await publish('u-1');
    await runJobs();

    const sent = smtp.messages.slice(before);
    expect(sent.map((m) => m.rcptTo[0]).sort()).toEqual(['en-trading@example.com', 'zh-all@example.com']);
    const zh = sent.find((m) => m.rcptTo[0] === 'zh-all@example.com')!;
    const en = sent.find((m) => m.rcptTo[0] === 'en-trading@example.com')!;
    expect(header(zh, 'Content-Language')).toBe('zh-CN');
    expect(decodedBody(zh)).toContain('网上交易登录异常');
    expect(decodedBody(zh)).toContain('已定位原因');
    expect(header(en, 'Content-Language')).toBe('en');
    const enBody = decodedBody(en);
    expect(enBody).toContain('Online trading login problems');
    // Raw HTML in the Markdown is shown as text, never as markup.
    const enHtml = partOf(en, 'text/html');
    expect(enHtml).toContain('<strong>authentication service</strong>');
    expect(enHtml).not.toContain('<img');
    expect(enHtml).toContain('&lt;img src=x onerror=alert(1)&gt;</p>');
    expect(partOf(zh, 'text/html')).not.toContain('<script>');
    // The text part is plain text: no entities.
    expect(partOf(en, 'text/plain')).toContain('is overloaded. <img src=x onerror=alert(1)>\r\n');
    expect(enBody).toContain('https://status.firm.example/status/incidents/2026-12-03-trading-login');
    expect(linkIn(en, '/status/unsubscribe?token=u.')).toBeTruthy();
    expect(header(en, 'List-Unsubscribe')).toContain('/status/unsubscribe?token=u.');

    expect(posts).toHaveLength(1);
    const post = posts[0]!;
    const ts = Number(post.headers['x-tocsin-timestamp']);
    expect(ts).toBe(Math.floor(now / 1000));
    expect(post.headers['x-tocsin-signature']).toBe(webhookSignature(SECRET, ts, post.body));
    expect(post.headers['x-tocsin-signature']).not.toBe(webhookSignature('another-secret-0123456', ts, post.body));
    expect(JSON.parse(post.body)).toMatchObject({
      type: 'announcement.published',
      kind: 'updated',
      announcementId: 'a-1',
      updateId: 'u-1',
      status: 'identified',
      title: 'Online trading login problems',
      url: 'https://status.firm.example/status/incidents/2026-12-03-trading-login',
    });

    // The same update published again (a redelivery): nobody is told twice.
    await publish('u-1');
    await runJobs();
    expect(smtp.messages.length).toBe(before + 2);
    expect(posts).toHaveLength(1);

    // The next update: told again.
    published.set('a-1:u-2', announcement('u-2', { zh: '已恢复。', en: 'Resolved.' }));
    await publish('u-2');
    await runJobs();
    expect(smtp.messages.length).toBe(before + 4);
    expect(posts).toHaveLength(2);
    expect(mailsTo('en-other@example.com').length).toBe(1); // its confirmation only
    expect(mailsTo('pending@example.com').length).toBe(1);
    expect(mailsTo('gone@example.com').length).toBe(1);
  });

  it('staff change a webhook and delete subscribers; counts follow and every change is audited', async () => {
    const list = await t.as(comms, { method: 'GET', url: '/api/v1/status/subscribers?kind=webhook' });
    const hookId = list.json().items[0].id as string;
    const patched = await t.as(comms, {
      method: 'PATCH',
      url: `/api/v1/status/subscribers/webhooks/${hookId}`,
      payload: { services: ['trading', 'app'], name: 'Broker app v2' },
    });
    expect(patched.statusCode, patched.body).toBe(200);
    expect(patched.json()).toMatchObject({ name: 'Broker app v2', services: ['app', 'trading'] });

    const all = await t.as(comms, { method: 'GET', url: '/api/v1/status/subscribers' });
    const counts = all.json().counts;
    expect(counts.byState).toMatchObject({ confirmed: 4, pending: 1, unsubscribed: 1 });
    expect(counts.byLanguage).toMatchObject({ 'zh-CN': 1, en: 3 });
    expect(counts.byKind).toMatchObject({ email: 5, webhook: 1 });
    expect(counts.byService).toMatchObject({ '*': 1, trading: 2, other: 1, app: 1 });

    expect((await t.as(comms, { method: 'DELETE', url: `/api/v1/status/subscribers/${hookId}` })).statusCode).toBe(204);
    expect((await t.as(comms, { method: 'DELETE', url: `/api/v1/status/subscribers/${hookId}` })).statusCode).toBe(404);
    const after = await t.as(comms, { method: 'GET', url: '/api/v1/status/subscribers' });
    expect(after.json().counts.byKind.webhook ?? 0).toBe(0);

    const admin = await t.login('admin');
    const audit = await t.as(admin, { method: 'GET', url: '/api/v1/audit?limit=100' });
    const actions = (audit.json().items as { action: string }[]).map((e) => e.action);
    expect(actions).toEqual(
      expect.arrayContaining([
        'subscriber.webhook_create',
        'subscriber.webhook_update',
        'subscriber.delete',
        'subscriber.unsubscribe',
      ]),
    );
    expect(audit.body).not.toContain(SECRET);
  });
});
