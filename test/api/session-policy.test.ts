/**
 * The session policy (issue 17) over HTTP, on each store, on the test clock: idle and absolute timeouts,
 * one session per person, sign-out everywhere (oneself and by an administrator), IP allow-lists for the
 * console and for API tokens (IPv4 and IPv6, the lock-out guard), the longest API token lifetime, the
 * audit entries, bad input, and a change seen by another process's cached copy.
 */
import type { InjectOptions } from 'fastify';
import { authenticator } from 'otplib';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_SESSION_POLICY, type SessionPolicy } from '../../src/shared/session-policy-schemas.js';
import { createSessionPolicyService } from '../../src/server/modules/auth/index.js';
import { CACHE_TTL_MS } from '../../src/server/modules/auth/session-policy.service.js';
import type { Clock } from '../../src/server/platform/ids.js';
import { createTestApp, sessionOf, type Session, type TestApp } from '../helpers/app.js';
import { buildToken, buildUser } from '../helpers/fixtures.js';
import { expectProblem } from '../helpers/problem.js';
import { STORE_KINDS } from '../helpers/store.js';

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
const URL = '/api/v1/settings/session-policy';

describe.each(STORE_KINDS)('session policy (%s)', (kind) => {
  let t: TestApp;
  let offsetMs = 0;
  const clock: Clock = { now: () => Date.now() + offsetMs };

  beforeAll(async () => {
    t = await createTestApp(kind, {}, { clock });
  });
  afterAll(() => t.close());
  // Each test starts from the defaults (set by a fresh administrator: the clock may have ended older sessions).
  afterEach(async () => {
    await setPolicy({});
  });

  /** Sets the policy (defaults plus `patch`) as a freshly signed-in administrator from 127.0.0.1. */
  async function setPolicy(patch: Partial<SessionPolicy>) {
    const admin = await t.login('admin');
    const res = await t.as(admin, { method: 'PUT', url: URL, payload: { ...DEFAULT_SESSION_POLICY, ...patch } });
    expect(res.statusCode, res.body).toBe(200);
    return res.json();
  }
  const me = (s: Session, extra: Partial<InjectOptions> = {}) =>
    t.as(s, { method: 'GET', url: '/api/v1/session', ...extra });
  const entries = async (action: string, targetId?: string) =>
    (await t.s.audit.list({ action, ...(targetId ? { targetId } : {}) }, 50)).items;

  it('shows the defaults (today’s behaviour) to administrators only, with the caller’s address', async () => {
    const admin = await t.login('admin');
    const res = await t.as(admin, { method: 'GET', url: URL });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({
      policy: DEFAULT_SESSION_POLICY,
      configuredSessionHours: 12,
      yourAddress: '127.0.0.1',
    });
    for (const role of ['auditor', 'responder'] as const) {
      expectProblem(await t.as(await t.login(role), { method: 'GET', url: URL }), 403);
      expectProblem(await t.as(await t.login(role), { method: 'PUT', url: URL, payload: DEFAULT_SESSION_POLICY }), 403);
    }
    // A session opened under the defaults lives TOCSIN_SESSION_TTL_HOURS (12 h), idle or not.
    const s = await t.login('responder');
    offsetMs += 11 * HOUR;
    expect((await me(s)).statusCode).toBe(200);
  });

  it('refuses bad input with problem+json naming the field', async () => {
    const admin = await t.login('admin');
    const put = (payload: unknown) => t.as(admin, { method: 'PUT', url: URL, payload: payload as object });
    const stored = (await t.as(admin, { method: 'GET', url: URL })).json();
    // The shape (zod): 400; an entry that is no address (ipaddr.js): 422.
    const tooShort = expectProblem(await put({ ...DEFAULT_SESSION_POLICY, idleTimeoutMinutes: 1 }), 400);
    expect(tooShort.errors?.[0]).toMatchObject({ path: 'body.idleTimeoutMinutes', code: 'too_small' });
    expectProblem(await put({ ...DEFAULT_SESSION_POLICY, surprise: true }), 400);
    expectProblem(await put({ idleTimeoutMinutes: 30 }), 400); // the whole policy, not a patch
    expectProblem(await put({ ...DEFAULT_SESSION_POLICY, tokenMaxLifetimeDays: 0 }), 400);
    for (const bad of ['10.0.0.300/8', '2001:db8::/129', '10.0.0.0/33']) {
      const p = expectProblem(await put({ ...DEFAULT_SESSION_POLICY, consoleAllowList: ['127.0.0.1', bad] }), 422);
      expect(p.errors).toEqual([expect.objectContaining({ path: 'body.consoleAllowList.1', code: 'invalid_ip' })]);
      expect(p.errors?.[0]?.message).toContain(bad);
      expect(p).toMatchObject({ code: 'entity.invalid_ip', params: { value: bad } });
    }
    expectProblem(await put({ ...DEFAULT_SESSION_POLICY, tokenAllowList: ['not an address'] }), 400);
    // Nothing was stored.
    expect((await t.as(admin, { method: 'GET', url: URL })).json()).toMatchObject({
      policy: DEFAULT_SESSION_POLICY,
      updatedAt: stored.updatedAt,
    });
  });

  it('audits every change with who, before and after', async () => {
    const admin = await t.login('admin');
    const next = { ...DEFAULT_SESSION_POLICY, idleTimeoutMinutes: 30, singleSession: true };
    const res = await t.as(admin, { method: 'PUT', url: URL, payload: next });
    expect(res.json()).toMatchObject({ policy: next, updatedBy: admin.userId });
    const [entry] = await entries('session_policy.update');
    expect(entry).toMatchObject({
      actor: { id: admin.userId },
      targetType: 'session_policy',
      after: next,
    });
    expect(entry!.before).toMatchObject({ idleTimeoutMinutes: null, singleSession: false });
  });

  it('ends a session left idle past the idle timeout, and keeps a used one going', async () => {
    await setPolicy({ idleTimeoutMinutes: 15 });
    const s = await t.login('responder');
    offsetMs += 10 * MIN;
    expect((await me(s)).statusCode).toBe(200); // used: its last use is now
    offsetMs += 14 * MIN;
    expect((await me(s)).statusCode).toBe(200); // 14 minutes since its last use
    offsetMs += 16 * MIN;
    expectProblem(await me(s), 401);
    const [entry] = await entries('session.timed_out', s.userId);
    expect(entry).toMatchObject({ after: { reason: 'idle' }, actor: { id: null } });
    // Ended for good: the session is gone, not only refused.
    expectProblem(await me(s), 401);
  });

  it('ends a session at the absolute timeout however busy, also one opened before the timeout was shortened', async () => {
    const before = await t.login('responder');
    await setPolicy({ absoluteTimeoutHours: 2 });
    const signedInBy = clock.now();
    const s = await t.login('responder');
    // The cookie and the session say when it ends: two hours after sign-in.
    const endsAt = Date.parse((await me(s)).json().expiresAt);
    expect(endsAt).toBeGreaterThanOrEqual(signedInBy + 2 * HOUR);
    expect(endsAt).toBeLessThanOrEqual(clock.now() + 2 * HOUR);
    for (let i = 0; i < 11; i++) {
      offsetMs += 10 * MIN;
      expect((await me(s)).statusCode).toBe(200);
    }
    offsetMs += 11 * MIN;
    expectProblem(await me(s), 401);
    // Opened under the 12 h default, cut to 2 h from its sign-in by the shorter policy.
    expectProblem(await me(before), 401);
    // Ended by the policy (not by its own expiry): audited.
    expect((await entries('session.timed_out', before.userId))[0]).toMatchObject({ after: { reason: 'absolute' } });
  });

  it('keeps one session per person in single-session mode, and says so in the audit log', async () => {
    const { email, id } = await buildUser(t.s, { role: 'responder' });
    const first = sessionOf(await t.signIn(email));
    const second = sessionOf(await t.signIn(email));
    expect((await me(first)).statusCode).toBe(200); // many sessions by default
    await setPolicy({ singleSession: true });
    const third = sessionOf(await t.signIn(email));
    expectProblem(await me(first), 401);
    expectProblem(await me(second), 401);
    expect((await me(third)).statusCode).toBe(200);
    expect((await entries('session.others_ended', id))[0]).toMatchObject({
      after: { ended: 2, reason: 'single_session' },
    });
    // A failed sign-in ends nothing.
    expectProblem(await t.signIn(email, 'wrong-password-123'), 401);
    expect((await me(third)).statusCode).toBe(200);
  });

  it('in single-session mode, ends the other sessions only once the second factor is given', async () => {
    const { email, id } = await buildUser(t.s, { role: 'responder' });
    const first = sessionOf(await t.signIn(email));
    const secret = await t.enrolTotp(first);
    await setPolicy({ singleSession: true });
    const pending = sessionOf(await t.signIn(email));
    expect((await me(pending)).json().mfaRequired).toBe(true);
    // The password alone ends nothing, and cannot sign the owner out everywhere either.
    expect((await me(first)).statusCode).toBe(200);
    expectProblem(await t.as(pending, { method: 'DELETE', url: '/api/v1/me/sessions' }), 403);
    // The next 30-second step's code (the enrolment spent this one; one step of drift is allowed).
    const code = authenticator.clone({ epoch: Date.now() + 30_000 }).generate(secret);
    const passed = await t.as(pending, { method: 'POST', url: '/api/v1/session/mfa', payload: { code } });
    expect(passed.statusCode, passed.body).toBe(200);
    expectProblem(await me(first), 401);
    expect((await me(pending)).json().mfaRequired).toBe(false);
    expect((await entries('session.others_ended', id))[0]).toMatchObject({ after: { ended: 1 } });
  });

  it('signs oneself out everywhere (every session, this one included; tokens stay)', async () => {
    const { email, id } = await buildUser(t.s, { role: 'responder' });
    const laptop = sessionOf(await t.signIn(email));
    const desktop = sessionOf(await t.signIn(email));
    const { token } = await buildToken(t.s, id);
    const res = await t.as(laptop, { method: 'DELETE', url: '/api/v1/me/sessions' });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual({ ended: 2 });
    expect(res.cookies.find((c) => c.name === 'tocsin_session')?.value).toBe('');
    expectProblem(await me(laptop), 401);
    expectProblem(await me(desktop), 401);
    const viaToken = await t.app.inject({
      method: 'GET',
      url: '/api/v1/incidents',
      headers: { authorization: `Bearer ${token}` },
    });
    expect(viaToken.statusCode).toBe(200);
    // From a console only: a token cannot sign its owner out.
    expectProblem(
      await t.app.inject({
        method: 'DELETE',
        url: '/api/v1/me/sessions',
        headers: { authorization: `Bearer ${token}` },
      }),
      403,
    );
    expect((await entries('session.signed_out_everywhere', id))[0]).toMatchObject({
      actor: { id },
      after: { ended: 2, by: 'self' },
    });
  });

  it('lets an administrator sign a person out everywhere', async () => {
    const { email, id } = await buildUser(t.s, { role: 'responder' });
    const a = sessionOf(await t.signIn(email));
    const b = sessionOf(await t.signIn(email));
    const admin = await t.login('admin');
    expectProblem(await t.as(a, { method: 'DELETE', url: `/api/v1/users/${admin.userId}/sessions` }), 403);
    const res = await t.as(admin, { method: 'DELETE', url: `/api/v1/users/${id}/sessions` });
    expect(res.json()).toEqual({ ended: 2 });
    expectProblem(await me(a), 401);
    expectProblem(await me(b), 401);
    expect((await me(admin)).statusCode).toBe(200);
    expectProblem(await t.as(admin, { method: 'DELETE', url: '/api/v1/users/no-such-user/sessions' }), 404);
    expect((await entries('session.signed_out_everywhere', id))[0]).toMatchObject({
      actor: { id: admin.userId },
      after: { ended: 2, by: 'administrator' },
    });
  });

  it('keeps the console to its allow-list (IPv4 and IPv6), and will not let an administrator lock themselves out', async () => {
    const admin = await t.login('admin');
    const put = (payload: SessionPolicy) => t.as(admin, { method: 'PUT', url: URL, payload });
    const lockOut = expectProblem(await put({ ...DEFAULT_SESSION_POLICY, consoleAllowList: ['10.0.0.0/8'] }), 422);
    expect(lockOut).toMatchObject({ code: 'session_policy.locks_you_out' });
    expect(lockOut.detail).toContain('127.0.0.1');
    expect(lockOut.errors).toEqual([
      expect.objectContaining({ path: 'body.consoleAllowList', code: 'must_contain_address' }),
    ]);
    expect((await t.as(admin, { method: 'GET', url: URL })).json().policy.consoleAllowList).toEqual([]);

    expect(
      (await put({ ...DEFAULT_SESSION_POLICY, consoleAllowList: ['127.0.0.0/8', '2001:db8:1::/48'] })).statusCode,
    ).toBe(200);
    const { email, id } = await buildUser(t.s, { role: 'responder' });
    const outside = expectProblem(await t.signIn(email, undefined, { remoteAddress: '192.0.2.7' }), 403);
    expect(outside).toMatchObject({ code: 'session_policy.address_not_allowed' });
    const v6 = await t.signIn(email, undefined, { remoteAddress: '2001:db8:1::5' });
    expect(v6.statusCode, v6.body).toBe(200);
    const s = sessionOf(v6);
    expect((await me(s, { remoteAddress: '2001:db8:1:ffff::9' })).statusCode).toBe(200);
    expect((await me(s, { remoteAddress: '::ffff:127.0.0.1' })).statusCode).toBe(200); // IPv4-mapped counts as IPv4
    const moved = expectProblem(await me(s, { remoteAddress: '2001:db8:2::5' }), 403);
    expect(moved).toMatchObject({ code: 'session_policy.address_not_allowed' });
    expectProblem(await me(s, { remoteAddress: '2001:db8:2::5' }), 403);

    const refusals = await entries('session.address_refused');
    expect(refusals.find((e) => e.targetId === null)).toMatchObject({
      after: { address: '192.0.2.7', during: 'sign_in' },
    });
    // The same session from the same address: one entry a minute, not one a request.
    expect(refusals.filter((e) => e.targetId === id)).toHaveLength(1);
    expect(refusals.find((e) => e.targetId === id)).toMatchObject({
      after: { address: '2001:db8:2::5', during: 'request' },
    });
  });

  it('keeps API tokens to their allow-list, separately from the console', async () => {
    const admin = await buildUser(t.s, { role: 'admin' });
    const { token, id: tokenId } = await buildToken(t.s, admin.id, { scopes: ['read', 'admin'] });
    const call = (o: InjectOptions) =>
      t.app.inject({ ...o, headers: { ...(o.headers ?? {}), authorization: `Bearer ${token}` } });
    const put = (payload: SessionPolicy, remoteAddress?: string) =>
      call({ method: 'PUT', url: URL, payload, ...(remoteAddress ? { remoteAddress } : {}) });
    // The guard applies to the caller's own way in: a token's, here.
    const lockOut = expectProblem(await put({ ...DEFAULT_SESSION_POLICY, tokenAllowList: ['2001:db8:1::/48'] }), 422);
    expect(lockOut).toMatchObject({ code: 'session_policy.locks_you_out' });
    expect(
      (await put({ ...DEFAULT_SESSION_POLICY, tokenAllowList: ['2001:db8:1::/48'] }, '2001:db8:1::10')).statusCode,
    ).toBe(200);

    const refused = expectProblem(await call({ method: 'GET', url: '/api/v1/incidents' }), 403);
    expect(refused).toMatchObject({ code: 'session_policy.token_address_not_allowed' });
    expect((await call({ method: 'GET', url: '/api/v1/incidents', remoteAddress: '2001:db8:1::7' })).statusCode).toBe(
      200,
    );
    // The console is not limited by the token list.
    expect((await me(await t.login('responder'))).statusCode).toBe(200);
    expect((await entries('token.address_refused', tokenId))[0]).toMatchObject({
      after: { address: '127.0.0.1' },
      targetType: 'api_token',
    });
  });

  it('limits the lifetime of API tokens: new ones capped, longer ones refused, older ones ended at check time', async () => {
    const user = await buildUser(t.s, { role: 'responder' });
    const old = await buildToken(t.s, user.id); // no expiry, made before the limit
    await setPolicy({ tokenMaxLifetimeDays: 30 });
    const s = sessionOf(await t.signIn(user.email));
    const create = (payload: object) => t.as(s, { method: 'POST', url: '/api/v1/tokens', payload });
    const capped = await create({ name: 'ci', scopes: ['read'] });
    expect(capped.statusCode, capped.body).toBe(201);
    expect(Date.parse(capped.json().expiresAt)).toBe(Date.parse(capped.json().createdAt) + 30 * DAY);
    const tooLong = expectProblem(
      await create({ name: 'ci', scopes: ['read'], expiresAt: new Date(clock.now() + 60 * DAY).toISOString() }),
      422,
    );
    expect(tooLong).toMatchObject({ code: 'session_policy.token_lifetime_too_long' });
    expect(tooLong.detail).toContain('30 days');
    const fine = await create({
      name: 'ci',
      scopes: ['read'],
      expiresAt: new Date(clock.now() + 7 * DAY).toISOString(),
    });
    expect(fine.statusCode).toBe(201);
    // The older token's expiry is shown as the limit makes it.
    const listed = (await t.as(s, { method: 'GET', url: '/api/v1/tokens' })).json().items as {
      id: string;
      expiresAt: string | null;
      createdAt: string;
    }[];
    const oldView = listed.find((x) => x.id === old.id)!;
    expect(Date.parse(oldView.expiresAt!)).toBe(Date.parse(oldView.createdAt) + 30 * DAY);

    const get = (secret: string) =>
      t.app.inject({ method: 'GET', url: '/api/v1/incidents', headers: { authorization: `Bearer ${secret}` } });
    expect((await get(old.token)).statusCode).toBe(200);
    offsetMs += 31 * DAY;
    expectProblem(await get(old.token), 401);
    expectProblem(await get(capped.json().token), 401);
    // Lifting the limit gives the older token back its own (no) expiry.
    await setPolicy({});
    expect((await get(old.token)).statusCode).toBe(200);
  });

  it('lets another process see a change within the cache’s few seconds', async () => {
    let now = clock.now();
    const other = createSessionPolicyService({
      store: t.s.store,
      audit: t.s.audit,
      clock: { now: () => now },
      config: { sessionTtlMs: 12 * HOUR },
    });
    expect((await other.current()).singleSession).toBe(false);
    await setPolicy({ singleSession: true, idleTimeoutMinutes: 20 });
    expect((await other.current()).singleSession).toBe(false); // its copy, no signal in embedded mode
    now += CACHE_TTL_MS;
    expect(await other.current()).toMatchObject({ singleSession: true, idleMs: 20 * MIN });
    expect(CACHE_TTL_MS).toBeLessThanOrEqual(5_000);
  });
});
