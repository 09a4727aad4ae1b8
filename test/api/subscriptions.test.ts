/**
 * Subscriptions to the status site, public side, on a real store with the sandbox's SMTP server: double
 * opt-in end to end (the form's POST, a real mail, its confirm link followed), re-subscribing without
 * revealing the address, the honeypot, one-click unsubscribe (GET asks, POST does; RFC 8058 body), and
 * the per-address and per-IP throttles (429 with Retry-After). The public routes are mounted on a bare
 * Fastify app, as the site will mount them. Time is a test clock; jobs run with `jobs.runDue(now)`.
 */
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { subscriptionPublicRoutes } from '../../src/server/modules/subscription/index.js';
import { SmtpStandIn } from '../../src/server/sandbox/mail.js';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { decodedBody, header, linkIn } from '../helpers/mail.js';
import { STORE_KINDS } from '../helpers/store.js';

const START = Date.parse('2026-12-03T02:00:00Z');
const FORM = { 'content-type': 'application/x-www-form-urlencoded' };
const JSON_ACCEPT = { accept: 'application/json' };

describe.each(STORE_KINDS)('status-site subscriptions, public side (%s)', (kind) => {
  let smtp: SmtpStandIn;
  let t: TestApp;
  let pub: FastifyInstance;
  let now = START;
  const clock = { now: () => now };
  let ip = 1;
  /** Each test from its own address, so the per-IP budget is the throttle test's alone. */
  const nextIp = () => `203.0.113.${ip++}`;

  const runJobs = async () => {
    while ((await t.s.jobs.runDue(now)) > 0);
  };
  const subscribe = (
    fields: Record<string, string | string[]>,
    from = nextIp(),
    headers: Record<string, string> = {},
  ) => {
    const body = new URLSearchParams();
    for (const [k, v] of Object.entries(fields)) for (const x of [v].flat()) body.append(k, x);
    return pub.inject({
      method: 'POST',
      url: '/status/subscribe',
      payload: body.toString(),
      headers: { ...FORM, ...headers },
      remoteAddress: from,
    });
  };
  const pathOf = (url: string) => {
    const u = new URL(url);
    return `${u.pathname}${u.search}`;
  };
  const overview = async () => {
    const admin = await t.login('communications');
    const res = await t.as(admin, { method: 'GET', url: '/api/v1/status/subscribers' });
    expect(res.statusCode, res.body).toBe(200);
    return res.json();
  };

  beforeAll(async () => {
    smtp = new SmtpStandIn(clock);
    const port = await smtp.listen(0);
    t = await createTestApp(
      kind,
      {
        TOCSIN_PUBLIC_URL: 'https://status.firm.example',
        TOCSIN_SMTP_URL: `smtp://127.0.0.1:${port}`,
        TOCSIN_MAIL_FROM: 'status@firm.example',
      },
      { clock },
    );
    pub = Fastify();
    await subscriptionPublicRoutes({ subscriptions: t.s.subscriptions, mail: true })(pub, { prefix: '/status' });
  });
  afterAll(async () => {
    await pub?.close();
    await t?.close();
    await smtp?.close();
  });

  it('double opt-in: the form sends a real confirmation mail; following its link confirms the subscription', async () => {
    const before = smtp.messages.length;
    const res = await subscribe({
      email: 'Li.Wei@Example.com',
      language: 'zh-CN',
      services: ['trading', 'app'],
      website: '',
    });
    expect(res.statusCode).toBe(202);
    expect(res.headers['content-type']).toContain('text/html');
    expect(res.body).toContain('请查收邮件');
    // Nothing is confirmed before the link is followed.
    expect((await overview()).counts.byState).toMatchObject({ pending: 1 });

    await runJobs();
    expect(smtp.messages.length).toBe(before + 1);
    const mail = smtp.messages.at(-1)!;
    expect(mail.rcptTo).toEqual(['li.wei@example.com']);
    expect(header(mail, 'Content-Language')).toBe('zh-CN');
    expect(decodedBody(mail)).toContain('请点击以下链接确认订阅');
    expect(header(mail, 'List-Unsubscribe')).toMatch(
      /^<https:\/\/status\.firm\.example\/status\/unsubscribe\?token=u\./,
    );
    expect(header(mail, 'List-Unsubscribe-Post')).toBe('List-Unsubscribe=One-Click');

    const confirmUrl = linkIn(mail, '/status/subscribe/confirm?token=');
    expect(confirmUrl.startsWith('https://status.firm.example/status/subscribe/confirm?token=c.')).toBe(true);
    const confirmed = await pub.inject({ method: 'GET', url: pathOf(confirmUrl) });
    expect(confirmed.statusCode).toBe(200);
    expect(confirmed.body).toContain('订阅已确认');
    expect(confirmed.headers['cache-control']).toBe('no-store');
    // The link again: nothing more happens, and it says so.
    const again = await pub.inject({ method: 'GET', url: pathOf(confirmUrl), headers: JSON_ACCEPT });
    expect(again.json()).toMatchObject({ outcome: 'already_confirmed' });

    const o = await overview();
    expect(o.counts.byState).toMatchObject({ confirmed: 1 });
    expect(o.counts.byService).toMatchObject({ trading: 1, app: 1 });
    const item = o.items.find((i: { masked: string }) => i.masked === 'l***@example.com');
    expect(item).toMatchObject({ kind: 'email', state: 'confirmed', language: 'zh-CN', services: ['app', 'trading'] });
    // Staff see the masked address only, and the audit log holds no address either.
    expect(JSON.stringify(o)).not.toContain('li.wei');
    const admin = await t.login('admin');
    const audit = await t.as(admin, { method: 'GET', url: '/api/v1/audit?limit=50' });
    expect(audit.body).toContain('subscriber.confirm');
    expect(audit.body.toLowerCase()).not.toContain('li.wei@example.com');
  });

  it('a forged or altered confirm link is refused', async () => {
    const forged = await pub.inject({
      method: 'GET',
      url: `/status/subscribe/confirm?token=c.0190a5c0-0000-7000-8000-000000000000.zzzz.${'A'.repeat(43)}`,
      headers: { 'accept-language': 'en-US,en;q=0.8' },
    });
    expect(forged.statusCode).toBe(400);
    expect(forged.body).toContain('Invalid link');
  });

  it('subscribing a confirmed address again answers the same and changes nothing; the honeypot is answered alike and dropped', async () => {
    await subscribe({ email: 'known@example.com', language: 'en' });
    await runJobs();
    await pub.inject({ method: 'GET', url: pathOf(linkIn(smtp.messages.at(-1)!, 'confirm?token=')) });
    const mails = smtp.messages.length;

    const known = await subscribe(
      { email: 'known@example.com', language: 'zh-CN', services: 'other' },
      nextIp(),
      JSON_ACCEPT,
    );
    const fresh = await subscribe({ email: 'stranger@example.com', language: 'en' }, nextIp(), JSON_ACCEPT);
    expect(known.statusCode).toBe(fresh.statusCode);
    expect(known.json()).toEqual({ ...fresh.json(), message: known.json().message });
    expect(known.json().outcome).toBe('confirmation_sent');

    const robot = await subscribe(
      { email: 'robot@example.com', website: 'http://spam.example' },
      nextIp(),
      JSON_ACCEPT,
    );
    expect(robot.statusCode).toBe(202);
    expect(robot.json().outcome).toBe('confirmation_sent');

    await runJobs();
    // One mail: the stranger's confirmation. None to the known address, none to the robot's.
    expect(smtp.messages.length).toBe(mails + 1);
    expect(smtp.messages.at(-1)!.rcptTo).toEqual(['stranger@example.com']);
    const items = (await overview()).items as { masked: string; language: string; services: string[] }[];
    expect(items.find((i) => i.masked === 'k***@example.com')).toMatchObject({ language: 'en', services: [] });
    expect(items.some((i) => i.masked === 'r***@example.com')).toBe(false);
  });

  it('unsubscribe: the link shows one button and changes nothing; the POST (also RFC 8058 one-click) unsubscribes', async () => {
    await subscribe({ email: 'leaving@example.com', language: 'en' });
    await runJobs();
    const mail = smtp.messages.at(-1)!;
    await pub.inject({ method: 'GET', url: pathOf(linkIn(mail, 'confirm?token=')) });
    const unsubscribeUrl = pathOf(linkIn(mail, '/status/unsubscribe?token='));

    const ask = await pub.inject({ method: 'GET', url: unsubscribeUrl });
    expect(ask.statusCode).toBe(200);
    expect(ask.body).toContain('<form method="post"');
    expect(ask.body).toContain('Unsubscribe</button>');
    expect(ask.body).not.toContain('<script');
    const mine = () =>
      overview().then((o) =>
        (o.items as { masked: string; state: string }[]).find(
          (i) => i.masked === 'l***@example.com' && i.state !== 'pending',
        ),
      );
    expect((await mine())?.state).toBe('confirmed');

    const done = await pub.inject({
      method: 'POST',
      url: unsubscribeUrl,
      payload: 'List-Unsubscribe=One-Click',
      headers: FORM,
    });
    expect(done.statusCode).toBe(200);
    expect(done.body).toContain('You are unsubscribed');
    const items = (await overview()).items as { masked: string; state: string; language: string }[];
    expect(items.filter((i) => i.state === 'unsubscribed').length).toBe(1);
    // Again: the same friendly answer.
    const again = await pub.inject({ method: 'POST', url: unsubscribeUrl, headers: JSON_ACCEPT });
    expect(again.json().outcome).toBe('unsubscribed');
  });

  it('throttles subscribe requests per address and per IP: 429 with Retry-After, as a problem or a page', async () => {
    // Per address, from a new IP each time: the fourth within the hour is refused.
    for (let i = 0; i < 3; i++)
      expect((await subscribe({ email: 'target@example.com' }, nextIp(), JSON_ACCEPT)).statusCode).toBe(202);
    const refused = await subscribe({ email: 'target@example.com' }, nextIp(), JSON_ACCEPT);
    expect(refused.statusCode).toBe(429);
    expect(refused.headers['content-type']).toContain('application/problem+json');
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(3000);
    expect(refused.json()).toMatchObject({ status: 429, code: 'too_many_requests' });

    // Per IP, many addresses: the eleventh from one address is refused (an HTML page for the form), others go on.
    const spammer = '198.51.100.7';
    for (let i = 0; i < 10; i++)
      expect((await subscribe({ email: `victim${i}@example.com` }, spammer)).statusCode).toBe(202);
    const page = await subscribe({ email: 'victim10@example.com' }, spammer);
    expect(page.statusCode).toBe(429);
    expect(page.headers['retry-after']).toBeDefined();
    expect(page.body).toContain('订阅请求过于频繁');
    expect((await subscribe({ email: 'victim10@example.com' }, nextIp())).statusCode).toBe(202);

    // An hour later the windows have ended.
    now += 3_600_000;
    expect((await subscribe({ email: 'victim11@example.com' }, spammer)).statusCode).toBe(202);
    expect((await subscribe({ email: 'target@example.com' }, nextIp())).statusCode).toBe(202);
  });

  it('an invalid address is a 422 in the visitor language', async () => {
    const res = await subscribe({ email: 'not-an-address' }, nextIp(), { 'accept-language': 'en' });
    expect(res.statusCode).toBe(422);
    expect(res.body).toContain('Please enter a valid email address');
    const json = await pub.inject({
      method: 'POST',
      url: '/status/subscribe',
      payload: { email: 'x@example.com', extra: 1 },
      headers: JSON_ACCEPT,
    });
    expect(json.statusCode).toBe(422);
    expect(json.json().errors[0].path).toBe('body.extra');
  });

  it('without a mail server the form is refused with 503 (page and problem), and nobody is stored pending', async () => {
    const noMail = Fastify();
    await subscriptionPublicRoutes({ subscriptions: t.s.subscriptions, mail: false })(noMail, { prefix: '/status' });
    const before = (await overview()).counts.byState;
    const page = await noMail.inject({
      method: 'POST',
      url: '/status/subscribe?lang=en',
      payload: new URLSearchParams({ email: 'nomail@example.com', language: 'en' }).toString(),
      headers: FORM,
      remoteAddress: nextIp(),
    });
    expect(page.statusCode).toBe(503);
    expect(page.body).toContain('does not send email notifications');
    const problem = await noMail.inject({
      method: 'POST',
      url: '/status/subscribe',
      payload: { email: 'nomail@example.com' },
      headers: JSON_ACCEPT,
      remoteAddress: nextIp(),
    });
    expect(problem.statusCode).toBe(503);
    expect(problem.json()).toMatchObject({ status: 503, code: 'unavailable' });
    expect(problem.json().detail).toContain('TOCSIN_SMTP_URL');
    expect((await overview()).counts.byState).toEqual(before);
    await noMail.close();
  });
});
