/**
 * Signing in through OIDC against a real OpenID Provider (`oidc-provider` on loopback,
 * test/helpers/oidc-op.ts), driven over HTTP with cookies: authorization code + PKCE + state + nonce,
 * the account made just in time with its role from the groups claim, a person in no mapped group
 * refused, the provider's MFA honoured or Tocsin's TOTP required, state bound to the browser and good
 * once, and the re-check through the refresh token ending the session of a person removed from their groups.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type Session, type TestApp } from '../helpers/app.js';
import { browser, startOp, type TestOp } from '../helpers/oidc-op.js';
import { expectProblem } from '../helpers/problem.js';
import { STORE_KINDS } from '../helpers/store.js';

const PUBLIC_URL = 'http://tocsin.test';
const RECHECK_S = 120;

describe.each(STORE_KINDS)('OIDC sign-in (%s)', (kind) => {
  let op: TestOp;
  let t: TestApp;
  let dir: string;
  let now = Date.parse('2026-12-05T09:00:00Z');
  const clock = { now: () => now };

  beforeAll(async () => {
    op = await startOp([
      {
        clientId: 'tocsin',
        clientSecret: 'op-client-secret-1',
        redirectUris: [`${PUBLIC_URL}/auth/oidc/corp/callback`],
      },
      {
        clientId: 'tocsin-totp',
        clientSecret: 'op-client-secret-2',
        redirectUris: [`${PUBLIC_URL}/auth/oidc/strict/callback`],
      },
    ]);
    op.accounts.set('alice', { name: 'Alice Chen', email: 'alice@firm.test', groups: ['staff', 'soc-leads'] });
    op.accounts.set('bob', { name: 'Bob Li', email: 'bob@firm.test', groups: ['soc'] });
    op.accounts.set('dan', { name: 'Dan Ma', email: 'dan@firm.test', groups: ['soc'] });
    op.accounts.set('carol', { name: 'Carol Wu', email: 'carol@firm.test', groups: ['trading'] });
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tocsin-oidc-'));
    const file = path.join(dir, 'identity.yaml');
    const provider = (id: string, clientId: string, secretEnv: string, mfa: string) =>
      [
        `  - id: ${id}`,
        '    kind: oidc',
        `    label: Firm SSO ${id}`,
        `    issuer: ${op.issuer}`,
        '    allowHttp: true',
        `    clientId: ${clientId}`,
        `    clientSecretEnv: ${secretEnv}`,
        '    scopes: [openid, profile, email, groups]',
        `    mfa: ${mfa}`,
        '    roles:',
        '      - { group: soc-leads, role: incident_commander }',
        '      - { group: soc, role: responder }',
      ].join('\n');
    fs.writeFileSync(
      file,
      `providers:\n${provider('corp', 'tocsin', 'TOCSIN_TEST_OIDC_SECRET', 'provider')}\n${provider('strict', 'tocsin-totp', 'TOCSIN_TEST_OIDC_SECRET2', 'totp')}\n`,
    );
    t = await createTestApp(
      kind,
      {
        TOCSIN_IDENTITY_FILE: file,
        TOCSIN_PUBLIC_URL: PUBLIC_URL,
        TOCSIN_TEST_OIDC_SECRET: 'op-client-secret-1',
        TOCSIN_TEST_OIDC_SECRET2: 'op-client-secret-2',
        TOCSIN_IDENTITY_RECHECK_S: String(RECHECK_S),
      },
      { clock },
    );
  });
  afterAll(async () => {
    await t?.close();
    await op?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  /** A browser signing in at provider `id` as `login`: Tocsin's start, the OP's pages, back to Tocsin's callback. */
  async function signIn(id: string, login: string, opts: { mfa?: boolean } = {}) {
    const b = browser();
    const start = await t.app.inject({ method: 'GET', url: `/auth/oidc/${id}/start` });
    expect(start.statusCode, start.body).toBe(302);
    const authorize = start.headers.location as string;
    expect(authorize.startsWith(`${op.issuer}/`)).toBe(true);
    const q = new URL(authorize).searchParams;
    expect(q.get('code_challenge_method')).toBe('S256');
    expect(q.get('redirect_uri')).toBe(`${PUBLIC_URL}/auth/oidc/${id}/callback`);
    expect(q.get('state')).toBeTruthy();
    expect(q.get('nonce')).toBeTruthy();
    const oidcCookie = start.cookies.find((c) => c.name === 'tocsin_oidc')!;
    expect(oidcCookie.httpOnly).toBe(true);
    let at = await b.follow(authorize, op.issuer);
    for (let i = 0; i < 4 && 'res' in at; i++) {
      const { prompt } = (await at.res.json()) as { prompt: string };
      const uidUrl = at.url;
      const body = prompt === 'login' ? new URLSearchParams({ login, mfa: String(!!opts.mfa) }) : new URLSearchParams();
      const posted = await b.request(`${uidUrl}/${prompt}`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: body.toString(),
      });
      at = await b.follow(new URL(posted.headers.get('location')!, uidUrl).href, op.issuer);
    }
    if (!('left' in at)) throw new Error('the OP did not send the browser back');
    const back = new URL(at.left);
    expect(back.origin + back.pathname).toBe(`${PUBLIC_URL}/auth/oidc/${id}/callback`);
    const callbackUrl = back.pathname + back.search;
    const res = await t.app.inject({
      method: 'GET',
      url: callbackUrl,
      headers: { cookie: `tocsin_oidc=${oidcCookie.value}` },
    });
    return { res, callbackUrl, oidcCookie: oidcCookie.value };
  }

  async function sessionFrom(res: Awaited<ReturnType<typeof signIn>>['res']): Promise<Session> {
    expect(res.statusCode, res.body).toBe(302);
    expect(res.headers.location).toBe('/');
    const c = res.cookies.find((x) => x.name === 'tocsin_session')!;
    const info = await t.app.inject({
      method: 'GET',
      url: '/api/v1/session',
      headers: { cookie: `tocsin_session=${c.value}` },
    });
    expect(info.statusCode).toBe(200);
    return { cookie: `tocsin_session=${c.value}`, csrf: info.json().csrfToken, userId: info.json().user.id };
  }

  it('signs a person in through the provider: account made just in time, role from the groups claim', async () => {
    const { res } = await signIn('corp', 'alice', { mfa: true });
    const s = await sessionFrom(res);
    const info = (await t.as(s, { method: 'GET', url: '/api/v1/session' })).json();
    expect(info.user).toMatchObject({ email: 'alice@firm.test', name: 'Alice Chen', role: 'incident_commander' });
    // The provider's second factor (amr otp) stands for Tocsin's.
    expect(info).toMatchObject({ mfaRequired: false, mfaEnrolmentRequired: false });
    expect((await t.as(s, { method: 'GET', url: '/api/v1/incidents' })).statusCode).toBe(200);
    // A change needs the CSRF token, as with a password session.
    expect(
      (await t.app.inject({ method: 'DELETE', url: '/api/v1/session', headers: { cookie: s.cookie } })).statusCode,
    ).toBe(403);

    const audit = (await t.s.audit.list({ targetId: s.userId }, 20)).items;
    expect(audit.find((e) => e.action === 'session.login')!.after).toMatchObject({
      provider: 'corp',
      providerMfa: true,
    });
    const all = JSON.stringify(
      await t.s.store.db.selectFrom('audit_log').select(['before_json', 'after_json']).execute(),
    );
    expect(all).not.toContain('op-client-secret');
  });

  it("requires Tocsin's TOTP when the provider shows no second factor, or when configured to", async () => {
    const plain = await sessionFrom((await signIn('corp', 'bob')).res);
    expect((await t.as(plain, { method: 'GET', url: '/api/v1/session' })).json()).toMatchObject({
      user: { role: 'responder' },
      mfaEnrolmentRequired: true,
    });
    expectProblem(await t.as(plain, { method: 'GET', url: '/api/v1/incidents' }), 403);
    // An account signs in one way: bob's is corp's, not strict's.
    expect((await signIn('strict', 'bob', { mfa: true })).res.headers.location).toBe(
      '/?signInError=auth.local_sign_in_refused',
    );
    const strict = await sessionFrom((await signIn('strict', 'dan', { mfa: true })).res);
    expect((await t.as(strict, { method: 'GET', url: '/api/v1/session' })).json().mfaEnrolmentRequired).toBe(true);
  });

  it('refuses a person in no mapped group with a clear message, and audits it', async () => {
    const { res } = await signIn('corp', 'carol', { mfa: true });
    expect(res.statusCode).toBe(302);
    expect(res.headers.location).toBe('/?signInError=auth.directory_no_role');
    expect(res.cookies.find((c) => c.name === 'tocsin_session')).toBeUndefined();
    expect(await t.s.users.byEmail('carol@firm.test')).toBeNull();
    const refused = (await t.s.audit.list({ action: 'session.directory_refused' }, 10)).items;
    expect(refused[0]!.after).toMatchObject({ provider: 'corp', reason: 'no mapped group' });
  });

  it('takes a state once, from the browser that started it, and refuses unknown providers', async () => {
    const { res, callbackUrl, oidcCookie } = await signIn('corp', 'alice', { mfa: true });
    expect(res.statusCode).toBe(302);
    const replay = await t.app.inject({
      method: 'GET',
      url: callbackUrl,
      headers: { cookie: `tocsin_oidc=${oidcCookie}` },
    });
    expect(replay.headers.location).toBe('/?signInError=auth.oidc_state_invalid');
    // Another browser (no cookie, or another one) cannot finish someone else's sign-in.
    const start = await t.app.inject({ method: 'GET', url: '/auth/oidc/corp/start' });
    const state = new URL(start.headers.location as string).searchParams.get('state')!;
    const forged = await t.app.inject({ method: 'GET', url: `/auth/oidc/corp/callback?code=x&state=${state}` });
    expect(forged.headers.location).toBe('/?signInError=auth.oidc_state_invalid');
    expectProblem(await t.app.inject({ method: 'GET', url: '/auth/oidc/nope/start' }), 404);
  });

  it('ends the session after the re-check interval once the provider no longer puts the person in a mapped group', async () => {
    const s = await sessionFrom((await signIn('corp', 'alice', { mfa: true })).res);
    op.accounts.set('alice', { name: 'Alice Chen', email: 'alice@firm.test', groups: ['staff', 'soc'] });
    now += RECHECK_S * 1000 + 1000;
    // Still in `soc`: the session goes on with the role that group gives.
    const r = await t.as(s, { method: 'GET', url: '/api/v1/session' });
    expect(r.statusCode, r.body).toBe(200);
    expect(r.json().user.role).toBe('responder');
    op.accounts.set('alice', { name: 'Alice Chen', email: 'alice@firm.test', groups: ['staff'] });
    now += RECHECK_S * 1000 + 1000;
    expectProblem(await t.as(s, { method: 'GET', url: '/api/v1/incidents' }), 401);
    expectProblem(await t.as(s, { method: 'GET', url: '/api/v1/session' }), 401);
    const revoked = (await t.s.audit.list({ action: 'session.directory_revoked' }, 10)).items;
    expect(revoked.find((e) => e.targetId === s.userId)).toBeTruthy();
  });
});
