/**
 * The sign-in throttle under attack (docs/auth.md): attempts reserved atomically before the password
 * check (parallel requests), growing delays per (account, address), address-wide and account-wide
 * budgets that spare known addresses, an administrator's unlock, and trusted proxies. On the test
 * clock: no waiting on the wall clock.
 */
import { authenticator } from 'otplib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import { createThrottle, DEFAULT_THROTTLE } from '../../src/server/modules/auth/index.js';
import { createTestApp, PASSWORD, sessionOf, type Session, type TestApp } from '../helpers/app.js';
import { buildUser } from '../helpers/fixtures.js';
import { expectProblem } from '../helpers/problem.js';
import { STORE_KINDS } from '../helpers/store.js';

const WRONG = 'wrong-password-123';
const count = (rs: LightMyRequestResponse[], status: number) => rs.filter((r) => r.statusCode === status).length;

describe.each(STORE_KINDS)('sign-in throttle (%s)', (kind) => {
  let t: TestApp;
  let now = Date.parse('2026-03-02T03:00:00Z'); // 3 a.m.: the commander must get in
  const clock = { now: () => now };

  const signIn = (email: string, password: string, from = '127.0.0.1', extra: Partial<InjectOptions> = {}) =>
    t.signIn(email, password, { remoteAddress: from, ...extra });
  const pairFailures = async (email: string) =>
    (
      await t.s.store.db
        .selectFrom('sign_in_pairs')
        .select(['address', 'failures'])
        .where('email', '=', email)
        .execute()
    ).map((r) => [r.address, r.failures]);
  const budget = async (key: string) =>
    (await t.s.store.db.selectFrom('login_throttle').select('failures').where('key', '=', key).executeTakeFirst())
      ?.failures;

  beforeAll(async () => {
    t = await createTestApp(kind, {}, { clock, throttle: DEFAULT_THROTTLE });
  });
  afterAll(() => t.close());

  it('50 parallel wrong passwords: only the free 5 are checked, the other 45 get 429 with Retry-After', async () => {
    const { email } = await buildUser(t.s);
    const rs = await Promise.all(Array.from({ length: 50 }, () => signIn(email, WRONG, '10.0.1.1')));
    const [n401, n429] = [count(rs, 401), count(rs, 429)];
    console.log(`[throttle ${kind}] 50 parallel wrong passwords: ${n401} x 401 before 429, ${n429} x 429`);
    expect(n401).toBe(DEFAULT_THROTTLE.freeFailures);
    expect(n429).toBe(50 - DEFAULT_THROTTLE.freeFailures);
    for (const r of rs.filter((x) => x.statusCode === 429)) {
      expect(Number(r.headers['retry-after'])).toBeGreaterThanOrEqual(1);
      expect(expectProblem(r, 429).detail).toMatch(/try again in 1 second/);
    }
    // The counters never go past the limit: the refused attempts were not counted.
    expect(await pairFailures(email)).toEqual([['10.0.1.1', 5]]);
    expect(await budget('ip:10.0.1.1')).toBe(5);
  });

  it('the right password among 49 wrong ones in parallel: at most 5 are checked; with the allowance spent, it does not get in', async () => {
    const fresh = await buildUser(t.s);
    const mixed = Array.from({ length: 50 }, (_, i) => (i === 25 ? PASSWORD : WRONG));
    const rs = await Promise.all(mixed.map((pw) => signIn(fresh.email, pw, '10.0.2.1')));
    expect(count(rs, 401) + count(rs, 200)).toBeLessThanOrEqual(5);
    expect(count(rs, 429)).toBeGreaterThanOrEqual(45);
    expect((await pairFailures(fresh.email))[0]![1]).toBeLessThanOrEqual(5);

    const { email } = await buildUser(t.s);
    for (let i = 0; i < 5; i++) expectProblem(await signIn(email, WRONG, '10.0.2.2'), 401);
    const again = await Promise.all(mixed.map((pw) => signIn(email, pw, '10.0.2.2')));
    expect(count(again, 429)).toBe(50);
    expect(again[25]!.cookies.find((c) => c.name === 'tocsin_session')).toBeUndefined();
    expect(await pairFailures(email)).toEqual([['10.0.2.2', 5]]);
  });

  it('makes each further attempt wait 1 s, 2 s, 4 s ... up to 15 minutes; a success clears the pair', async () => {
    const { email } = await buildUser(t.s);
    const from = '10.0.3.1';
    for (let i = 0; i < 5; i++) expectProblem(await signIn(email, WRONG, from), 401);
    const waits: number[] = [];
    for (let i = 0; i < 14; i++) {
      const refused = await signIn(email, PASSWORD, from);
      expectProblem(refused, 429);
      const wait = Number(refused.headers['retry-after']);
      waits.push(wait);
      now += wait * 1000 - 1; // a millisecond early: still refused
      expectProblem(await signIn(email, PASSWORD, from), 429);
      now += 1;
      expectProblem(await signIn(email, WRONG, from), 401);
    }
    expect(waits).toEqual([1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 900, 900, 900, 900]);
    const refused = await signIn(email, PASSWORD, from);
    expect(expectProblem(refused, 429).detail).toMatch(/try again in 15 minute/);
    now += 900_000;
    expect((await signIn(email, PASSWORD, from)).statusCode).toBe(200);
    // Cleared: the free attempts are back, and the address is now known for the account.
    expect(await pairFailures(email)).toEqual([[from, 0]]);
    for (let i = 0; i < 5; i++) expectProblem(await signIn(email, WRONG, from), 401);
    expectProblem(await signIn(email, WRONG, from), 429);
    // Failures are forgotten a day after the last one.
    now += DEFAULT_THROTTLE.forgetAfterMs;
    expect((await signIn(email, PASSWORD, from)).statusCode).toBe(200);
  });

  it('two attempts that reach the store in the other order than they read the clock both get their free tries', async () => {
    // Two requests at the same moment (two devices behind one NAT, or one sign-in sent twice): the
    // one that read the clock a millisecond earlier may write second. Within the free failures there
    // is no wait to respect, so it must not be refused (it was: 429 for a wait of 0).
    const { email } = await buildUser(t.s);
    let at = now;
    const th = createThrottle({ store: t.s.store, clock: { now: () => at }, policy: DEFAULT_THROTTLE });
    at = now + 5;
    const first = await th.reserve(email, '10.7.0.1');
    at = now;
    const second = await th.reserve(email, '10.7.0.1');
    expect([first.failures, second.failures]).toEqual([1, 2]);
    expect((await th.state(t.s.store.db, email)).blocked).toBe(false);
  });

  it('an attacker at another address cannot make the account owner wait', async () => {
    const { email } = await buildUser(t.s, { role: 'incident_commander' });
    const attack = await Promise.all(Array.from({ length: 30 }, () => signIn(email, WRONG, '198.51.100.66')));
    expect(count(attack, 401)).toBe(5);
    // The owner, at the office, at once.
    expect((await signIn(email, PASSWORD, '10.0.4.7')).statusCode).toBe(200);
  });

  it('an address-wide budget stops stuffing across accounts, but spares accounts that signed in from there before', async () => {
    const nat = '203.0.113.1';
    const colleague = await buildUser(t.s);
    expect((await signIn(colleague.email, PASSWORD, nat)).statusCode).toBe(200); // known at the NAT address
    const newcomer = await buildUser(t.s);
    const admin = await t.login('admin');
    const victims = await Promise.all(Array.from({ length: 60 }, () => buildUser(t.s)));
    const rs = await Promise.all(victims.map((v) => signIn(v.email, WRONG, nat)));
    expect(count(rs, 401)).toBe(50);
    expect(count(rs, 429)).toBe(10);
    expect(rs.filter((r) => r.statusCode === 429).every((r) => /from this address/.test(r.json().detail))).toBe(true);
    expect(await budget(`ip:${nat}`)).toBe(50);
    // Behind the same NAT: a colleague who signed in from there before is not held up; a newcomer is,
    // until the window ends or an administrator unlocks them.
    expect((await signIn(colleague.email, PASSWORD, nat)).statusCode).toBe(200);
    const held = await signIn(newcomer.email, PASSWORD, nat);
    expectProblem(held, 429);
    expect(Number(held.headers['retry-after'])).toBeLessThanOrEqual(15 * 60);
    const state = await t.as(admin, { method: 'GET', url: `/api/v1/users/${newcomer.id}/sign-in` });
    expect(state.statusCode, state.body).toBe(200);
    expect(state.json()).toMatchObject({
      blocked: true,
      addresses: [{ address: nat, failures: 0, known: false, budget: { failures: 50, limit: 50, spent: true } }],
    });
    expect((await t.as(admin, { method: 'POST', url: `/api/v1/users/${newcomer.id}/unlock` })).statusCode).toBe(200);
    expect((await signIn(newcomer.email, PASSWORD, nat)).statusCode).toBe(200);
    // The stuffer is still held: the unlock was for the newcomer only.
    expectProblem(await signIn(victims[0]!.email, WRONG, nat), 429);
    now += 15 * 60_000;
    expectProblem(await signIn(victims[0]!.email, WRONG, nat), 401);
  });

  it('an account-wide budget stops guessing from many addresses, but not from an address the owner uses', async () => {
    const { email } = await buildUser(t.s);
    expect((await signIn(email, PASSWORD, '10.0.5.5')).statusCode).toBe(200);
    for (let b = 0; b < 20; b++) {
      const rs = await Promise.all(Array.from({ length: 5 }, () => signIn(email, WRONG, `192.0.2.${b + 1}`)));
      expect(count(rs, 401)).toBe(5);
    }
    const more = await signIn(email, WRONG, '192.0.2.200');
    expect(expectProblem(more, 429).detail).toMatch(/at this account/);
    expect((await signIn(email, PASSWORD, '10.0.5.5')).statusCode).toBe(200);
  });

  it("lets an administrator see and clear an account's throttle (audited); nobody else may", async () => {
    const { email, id } = await buildUser(t.s, { role: 'incident_commander' });
    const admin = await t.login('admin');
    for (let i = 0; i < 8; i++) {
      if (i) now += 60_000;
      expectProblem(await signIn(email, WRONG, '10.0.6.6'), 401);
    }
    expectProblem(await signIn(email, PASSWORD, '10.0.6.6'), 429);
    const state = (await t.as(admin, { method: 'GET', url: `/api/v1/users/${id}/sign-in` })).json();
    expect(state.blocked).toBe(true);
    expect(state.addresses).toEqual([
      expect.objectContaining({
        address: '10.0.6.6',
        failures: 8,
        nextAttemptAt: new Date(now + 8000).toISOString(),
        lastRefusedAt: new Date(now).toISOString(),
      }),
    ]);

    const other = await t.login('incident_commander');
    expectProblem(await t.as(other, { method: 'GET', url: `/api/v1/users/${id}/sign-in` }), 403);
    expectProblem(await t.as(other, { method: 'POST', url: `/api/v1/users/${id}/unlock` }), 403);
    expectProblem(await t.as(admin, { method: 'POST', url: '/api/v1/users/nobody/unlock' }), 404);

    const unlocked = await t.as(admin, { method: 'POST', url: `/api/v1/users/${id}/unlock` });
    expect(unlocked.statusCode, unlocked.body).toBe(200);
    expect(unlocked.json()).toMatchObject({
      blocked: false,
      addresses: [{ address: '10.0.6.6', failures: 0, nextAttemptAt: null, known: true }],
    });
    expect((await signIn(email, PASSWORD, '10.0.6.6')).statusCode).toBe(200);
    const entry = (await t.s.audit.list({ targetId: id, action: 'user.sign_in_unlocked' }, 5)).items[0]!;
    expect(entry.actor.id).toBe(admin.userId);
    expect(entry.before).toMatchObject({ blocked: true, failures: 8 });
  });

  it('a right password does not give an attacker fresh tries at the second factor', async () => {
    const { email } = await buildUser(t.s);
    const from = '10.0.7.7';
    const first = await signIn(email, PASSWORD, from);
    const secret = await t.enrolTotp(sessionOf(first));
    const wrong = authenticator.generate(secret) === '000000' ? '111111' : '000000';
    const codeStep = async () => {
      const r = await signIn(email, PASSWORD, from);
      if (r.statusCode !== 200) return r;
      const c = r.cookies.find((x) => x.name === 'tocsin_session')!;
      return t.app.inject({
        method: 'POST',
        url: '/api/v1/session/mfa',
        payload: { code: wrong },
        remoteAddress: from,
        headers: { cookie: `tocsin_session=${c.value}`, 'x-csrf-token': r.json().csrfToken },
      });
    };
    for (let i = 0; i < 5; i++) expectProblem(await codeStep(), 401);
    // The password is right, but the pair has used its free tries on codes: it waits like any other attempt.
    expectProblem(await codeStep(), 429);
    now += 1000;
    expectProblem(await codeStep(), 401);
    expectProblem(await codeStep(), 429);
  });
});

describe.each(STORE_KINDS)('TOCSIN_TRUSTED_PROXIES (%s)', (kind) => {
  let t: TestApp;
  let admin: Session;
  beforeAll(async () => {
    t = await createTestApp(
      kind,
      { TOCSIN_TRUSTED_PROXIES: '10.9.0.0/16, fd00:9::/32' },
      { clock: { now: () => Date.parse('2026-03-02T03:00:00Z') } },
    );
    admin = await t.login('admin');
  });
  afterAll(() => t.close());

  const attempt = (email: string, from: string, forwarded?: string) =>
    t.signIn(email, WRONG, { remoteAddress: from, headers: forwarded ? { 'x-forwarded-for': forwarded } : {} });
  const addresses = async (id: string) =>
    (
      (await t.as(admin, { method: 'GET', url: `/api/v1/users/${id}/sign-in` })).json() as {
        addresses: { address: string; failures: number }[];
      }
    ).addresses
      .map((a) => [a.address, a.failures])
      .sort();

  it('behind a trusted proxy, throttles the client named in X-Forwarded-For', async () => {
    const u = await buildUser(t.s);
    for (let i = 0; i < 5; i++) expectProblem(await attempt(u.email, '10.9.0.2', '203.0.113.9'), 401);
    expectProblem(await attempt(u.email, '10.9.0.2', '203.0.113.9'), 429);
    // Another client behind the same proxy is not held up by the first one's failures.
    expectProblem(await attempt(u.email, '10.9.0.2', '198.51.100.4'), 401);
    // Through two trusted proxies (client, proxy 1, as proxy 2 saw it), the client is still found.
    expectProblem(await attempt(u.email, '10.9.0.2', '203.0.113.9, 10.9.0.3'), 429);
    expect(await addresses(u.id)).toEqual([
      ['198.51.100.4', 1],
      ['203.0.113.9', 5],
    ]);
  });

  it('from an untrusted peer, ignores X-Forwarded-For (it cannot be used to dodge the throttle)', async () => {
    const u = await buildUser(t.s);
    for (let i = 0; i < 5; i++) expectProblem(await attempt(u.email, '192.0.2.10', `203.0.113.${i + 20}`), 401);
    expectProblem(await attempt(u.email, '192.0.2.10', '203.0.113.99'), 429);
    expect(await addresses(u.id)).toEqual([['192.0.2.10', 5]]);
  });

  it('counts an IPv6 client by its /64', async () => {
    const u = await buildUser(t.s);
    for (let i = 0; i < 5; i++) expectProblem(await attempt(u.email, `2001:db8:1:2::${i + 1}`), 401);
    expectProblem(await attempt(u.email, '2001:db8:1:2:ffff::9'), 429);
    expect(await addresses(u.id)).toEqual([['2001:db8:1:2::/64', 5]]);
  });
});

describe('without TOCSIN_TRUSTED_PROXIES', () => {
  it('uses the peer address even when it sends X-Forwarded-For', async () => {
    const t = await createTestApp('sqlite');
    try {
      const u = await buildUser(t.s);
      for (let i = 0; i < 5; i++) {
        expectProblem(await t.signIn(u.email, WRONG, { headers: { 'x-forwarded-for': `203.0.113.${i}` } }), 401);
      }
      expectProblem(await t.signIn(u.email, PASSWORD, { headers: { 'x-forwarded-for': '203.0.113.77' } }), 429);
    } finally {
      await t.close();
    }
  });
});

describe('TOCSIN_TRUSTED_PROXIES configuration', () => {
  it('takes CIDR ranges separated by commas and names the variable when one is not', async () => {
    const { loadConfig, ConfigError } = await import('../../src/server/platform/config.js');
    expect(loadConfig({ TOCSIN_TRUSTED_PROXIES: '10.0.0.5/32, fd00::/8' }).trustedProxies).toEqual([
      '10.0.0.5/32',
      'fd00::/8',
    ]);
    expect(loadConfig({}).trustedProxies).toEqual([]);
    try {
      loadConfig({ TOCSIN_TRUSTED_PROXIES: '10.0.0.0/33,proxy.internal' });
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(ConfigError);
      expect((err as InstanceType<typeof ConfigError>).problems).toEqual([
        expect.stringMatching(/^TOCSIN_TRUSTED_PROXIES: must be CIDR ranges/),
      ]);
    }
  });
});
