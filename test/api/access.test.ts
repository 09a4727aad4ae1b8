/** Access: password storage, login throttling, TOTP, API tokens, disabled accounts and signing out. */
import { authenticator } from 'otplib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_THROTTLE } from '../../src/server/modules/auth/index.js';
import type { Clock } from '../../src/server/platform/ids.js';
import { createTestApp, PASSWORD, sessionOf, type Session, type TestApp } from '../helpers/app.js';
import { buildToken, buildUser, SYSTEM } from '../helpers/fixtures.js';
import { expectProblem } from '../helpers/problem.js';
import { STORE_KINDS } from '../helpers/store.js';

const declare = { title: 'Market data feed stale', category: 'equipment_failure', grade: 'III' };

describe.each(STORE_KINDS)('access (%s)', (kind) => {
  let t: TestApp;
  let offsetMs = 0;
  const clock: Clock = { now: () => Date.now() + offsetMs };
  let admin: Session;

  beforeAll(async () => {
    t = await createTestApp(
      kind,
      {},
      { clock, throttle: { ...DEFAULT_THROTTLE, baseDelayMs: 60_000, maxPerAddress: 1000 } },
    );
    admin = await t.login('admin');
  });
  afterAll(() => t.close());

  it('stores passwords as argon2id hashes only', async () => {
    await buildUser(t.s);
    const rows = await t.s.store.db.selectFrom('users').select(['email', 'password_hash']).execute();
    expect(rows.length).toBeGreaterThanOrEqual(2);
    for (const r of rows) {
      expect(r.password_hash).toMatch(/^\$argon2id\$v=19\$m=\d+,t=\d+,p=\d+\$/);
      expect(r.password_hash).not.toContain(PASSWORD);
    }
    // Nor does the password reach the audit log.
    const audit = await t.s.store.db.selectFrom('audit_log').select(['before_json', 'after_json']).execute();
    expect(JSON.stringify(audit)).not.toContain(PASSWORD);
    expect(JSON.stringify(audit)).not.toContain('$argon2id$');
  });

  it('sets the session cookie HttpOnly and SameSite=Strict, and says when it expires', async () => {
    const { email } = await buildUser(t.s);
    const res = await t.signIn(email, PASSWORD);
    expect(res.statusCode).toBe(200);
    const c = res.cookies.find((x) => x.name === 'tocsin_session')!;
    expect(c).toMatchObject({ httpOnly: true, sameSite: 'Strict', path: '/' });
    expect(res.json().csrfToken).toEqual(expect.any(String));
    expect(Date.parse(res.json().expiresAt)).toBeGreaterThan(Date.now());
    expect(res.body).not.toContain(c.value); // the cookie is not readable from the body either
  });

  it('makes an address wait after 5 wrong passwords for an account, even with the right one, until the delay ends', async () => {
    const { email } = await buildUser(t.s);
    const { email: bystander } = await buildUser(t.s);
    for (let i = 0; i < 5; i++) expectProblem(await t.signIn(email, 'wrong-password-123'), 401);
    const refused = await t.signIn(email, PASSWORD);
    const locked = expectProblem(refused, 429);
    expect(locked.detail).toMatch(/try again in \d+ second/);
    expect(refused.headers['retry-after']).toBe('60');
    // Upper case and spaces are the same account.
    expectProblem(await t.signIn(`  ${email.toUpperCase()} `, PASSWORD), 429);
    // Another account from the same address is not affected.
    expect((await t.signIn(bystander, PASSWORD)).statusCode).toBe(200);
    offsetMs = 5 * 60_000 + 1000;
    try {
      expect((await t.signIn(email, PASSWORD)).statusCode).toBe(200);
    } finally {
      offsetMs = 0;
    }
  });

  it('does not tell a wrong password from an unknown or disabled account', async () => {
    const { email, id } = await buildUser(t.s);
    await t.s.users.update(SYSTEM, id, { disabled: true });
    const a = expectProblem(await t.signIn(email, PASSWORD), 401);
    const b = expectProblem(await t.signIn('nobody@test.example', PASSWORD), 401);
    expect(a.detail).toBe(b.detail);
  });

  describe('TOTP second factor', () => {
    it('enrols, then asks every new sign-in for a code; nothing else works until it is given', async () => {
      const { email } = await buildUser(t.s, { role: 'incident_commander' });
      const s = sessionOf(await t.signIn(email, PASSWORD));

      const enrol = await t.as(s, { method: 'POST', url: '/api/v1/me/mfa/enrol' });
      expect(enrol.statusCode, enrol.body).toBe(200);
      const { secret, otpauthUrl } = enrol.json() as { secret: string; otpauthUrl: string };
      expect(otpauthUrl).toMatch(/^otpauth:\/\/totp\/Tocsin:/);
      expect(otpauthUrl).toContain(`secret=${secret}`);
      // Not active until confirmed: a sign-in now still needs no code.
      expect((await t.signIn(email, PASSWORD)).json().mfaRequired).toBe(false);
      const wrongCode = await t.as(s, {
        method: 'POST',
        url: '/api/v1/me/mfa/verify',
        payload: { code: authenticator.generate(secret) === '000000' ? '111111' : '000000' },
      });
      expect(wrongCode.statusCode).toBe(422);
      expectProblem(await t.as(s, { method: 'POST', url: '/api/v1/me/mfa/verify', payload: { code: 'abcdef' } }), 400);
      expect(
        (
          await t.as(s, {
            method: 'POST',
            url: '/api/v1/me/mfa/verify',
            payload: { code: authenticator.generate(secret) },
          })
        ).statusCode,
      ).toBe(204);
      expect((await t.as(s, { method: 'GET', url: '/api/v1/session' })).json().user.mfaEnabled).toBe(true);
      // The secret is not stored in the audit log.
      const audit = await t.s.store.db.selectFrom('audit_log').select(['before_json', 'after_json']).execute();
      expect(JSON.stringify(audit)).not.toContain(secret);

      const login = await t.signIn(email, PASSWORD);
      expect(login.statusCode).toBe(200);
      expect(login.json()).toMatchObject({ mfaRequired: true, mfaEnrolmentRequired: false });
      const pending = sessionOf(login);
      for (const req of [
        { method: 'GET', url: '/api/v1/incidents' },
        { method: 'POST', url: '/api/v1/incidents', payload: declare },
        { method: 'GET', url: '/api/v1/users' },
        { method: 'POST', url: '/api/v1/tokens', payload: { name: 'sneaky' } },
        { method: 'POST', url: '/api/v1/me/mfa/enrol' },
        { method: 'GET', url: '/api/v1/stream' },
      ] as const) {
        expectProblem(await t.as(pending, req), 403);
      }
      expectProblem(
        await t.as(pending, {
          method: 'POST',
          url: '/api/v1/session/mfa',
          payload: { code: authenticator.generate(secret) === '123456' ? '654321' : '123456' },
        }),
        401,
      );
      // The code that confirmed enrolment is spent: a TOTP code is good once.
      const spent = authenticator.generate(secret);
      const replay = await t.as(pending, { method: 'POST', url: '/api/v1/session/mfa', payload: { code: spent } });
      expectProblem(replay, 401);
      expect(replay.json().detail).toContain('already used');
      // The next time step's code (within the accepted drift) is fresh.
      const next = authenticator.clone({ epoch: Date.now() + 30_000 }).generate(secret);
      const passed = await t.as(pending, { method: 'POST', url: '/api/v1/session/mfa', payload: { code: next } });
      expect(passed.statusCode, passed.body).toBe(200);
      expect(passed.json().mfaRequired).toBe(false);
      expect((await t.as(pending, { method: 'GET', url: '/api/v1/incidents' })).statusCode).toBe(200);
      expect((await t.as(pending, { method: 'POST', url: '/api/v1/incidents', payload: declare })).statusCode).toBe(
        201,
      );
    });

    it('takes a code once even when two sign-ins send it at the same moment', async () => {
      const { email } = await buildUser(t.s);
      const secret = await t.enrolTotp(sessionOf(await t.signIn(email, PASSWORD)));
      const a = sessionOf(await t.signIn(email, PASSWORD));
      const b = sessionOf(await t.signIn(email, PASSWORD));
      // The next step's code (the current one was spent on enrolment), sent by both at once.
      const code = authenticator.clone({ epoch: Date.now() + 30_000 }).generate(secret);
      const results = await Promise.all(
        [a, b].map((s) => t.as(s, { method: 'POST', url: '/api/v1/session/mfa', payload: { code } })),
      );
      expect(results.map((r) => r.statusCode).sort()).toEqual([200, 401]);
      expect(results.find((r) => r.statusCode === 401)!.json().detail).toContain('already used');
    });

    it('counts wrong codes against the account like wrong passwords', async () => {
      const { email } = await buildUser(t.s);
      const s = sessionOf(await t.signIn(email, PASSWORD));
      const secret = await t.enrolTotp(s);
      const pending = sessionOf(await t.signIn(email, PASSWORD));
      const wrong = authenticator.generate(secret) === '000000' ? '111111' : '000000';
      for (let i = 0; i < 5; i++)
        expectProblem(
          await t.as(pending, { method: 'POST', url: '/api/v1/session/mfa', payload: { code: wrong } }),
          401,
        );
      expectProblem(
        await t.as(pending, {
          method: 'POST',
          url: '/api/v1/session/mfa',
          payload: { code: authenticator.generate(secret) },
        }),
        429,
      );
      expectProblem(await t.as(pending, { method: 'GET', url: '/api/v1/incidents' }), 403);
    });

    it('lets an administrator reset a lost second factor: sessions end, the next sign-in needs no code', async () => {
      const { email, id } = await buildUser(t.s);
      const s = sessionOf(await t.signIn(email, PASSWORD));
      await t.enrolTotp(s);
      expect((await t.signIn(email, PASSWORD)).json().mfaRequired).toBe(true);
      // Not something a user may do to another: only user.manage.
      const other = await t.login('incident_commander');
      expectProblem(
        await t.as(other, { method: 'PATCH', url: `/api/v1/users/${id}`, payload: { resetMfa: true } }),
        403,
      );
      const reset = await t.as(admin, { method: 'PATCH', url: `/api/v1/users/${id}`, payload: { resetMfa: true } });
      expect(reset.statusCode, reset.body).toBe(200);
      expect(reset.json().mfaEnabled).toBe(false);
      expectProblem(await t.as(s, { method: 'GET', url: '/api/v1/incidents' }), 401);
      expect((await t.signIn(email, PASSWORD)).json().mfaRequired).toBe(false);
      const actions = await t.s.store.db.selectFrom('audit_log').select('action').where('target_id', '=', id).execute();
      expect(actions.map((a) => a.action)).toContain('user.mfa_reset');
    });
  });

  describe('API tokens', () => {
    it('shows a token once, stores only its hash, and accepts it as a bearer token within its scopes', async () => {
      const owner = await t.login('responder');
      const created = await t.as(owner, {
        method: 'POST',
        url: '/api/v1/tokens',
        payload: { name: 'siem', scopes: ['read'] },
      });
      expect(created.statusCode, created.body).toBe(201);
      const { token, id, prefix } = created.json() as { token: string; id: string; prefix: string };
      expect(token).toMatch(/^tcs_[A-Za-z0-9_-]{40,}$/);
      expect(token.startsWith(prefix)).toBe(true);

      const list = await t.as(owner, { method: 'GET', url: '/api/v1/tokens' });
      expect(list.json().items.map((i: { id: string }) => i.id)).toContain(id);
      expect(list.body).not.toContain(token);
      expect(list.json().items[0]).not.toHaveProperty('token');
      const rows = await t.s.store.db.selectFrom('api_tokens').selectAll().execute();
      expect(JSON.stringify(rows)).not.toContain(token);
      expect(JSON.stringify(rows)).not.toContain(token.slice(prefix.length));
      const audit = await t.s.store.db.selectFrom('audit_log').select(['before_json', 'after_json']).execute();
      expect(JSON.stringify(audit)).not.toContain(token);

      const bearer = (extra: object) => ({ headers: { authorization: `Bearer ${token}` }, ...extra });
      expect((await t.app.inject(bearer({ method: 'GET', url: '/api/v1/incidents' }))).statusCode).toBe(200);
      const write = await t.app.inject(bearer({ method: 'POST', url: '/api/v1/incidents', payload: declare }));
      expect(expectProblem(write, 403).detail).toMatch(/scope/);
      // A token cannot take over the account's second factor, whatever its scope.
      expectProblem(await t.app.inject(bearer({ method: 'POST', url: '/api/v1/me/mfa/enrol' })), 403);
      expectProblem(
        await t.app.inject(bearer({ method: 'POST', url: '/api/v1/me/mfa/verify', payload: { code: '123456' } })),
        403,
      );
      expect(
        (
          await t.s.store.db
            .selectFrom('users')
            .select('mfa_secret')
            .where('id', '=', owner.userId)
            .executeTakeFirstOrThrow()
        ).mfa_secret,
      ).toBeNull();

      expectProblem(
        await t.app.inject({ method: 'GET', url: '/api/v1/incidents', headers: { authorization: `Bearer ${token}x` } }),
        401,
      );
      expectProblem(
        await t.app.inject({
          method: 'GET',
          url: '/api/v1/incidents',
          headers: { authorization: 'Bearer tcs_forged' },
        }),
        401,
      );
      expectProblem(
        await t.app.inject({
          method: 'GET',
          url: '/api/v1/incidents',
          headers: { authorization: `Basic ${Buffer.from('a:b').toString('base64')}` },
        }),
        401,
      );

      // Someone else cannot revoke it; its owner can, and then it stops working at once.
      const stranger = await t.login('responder');
      expectProblem(await t.as(stranger, { method: 'DELETE', url: `/api/v1/tokens/${id}` }), 404);
      expect((await t.as(owner, { method: 'DELETE', url: `/api/v1/tokens/${id}` })).statusCode).toBe(204);
      expectProblem(await t.app.inject(bearer({ method: 'GET', url: '/api/v1/incidents' })), 401);
      expect(
        (await t.as(owner, { method: 'GET', url: '/api/v1/tokens' }))
          .json()
          .items.find((i: { id: string }) => i.id === id).revokedAt,
      ).not.toBeNull();
    });

    it('lets a write token declare incidents without a CSRF header, and refuses an expired token', async () => {
      const ic = await t.login('incident_commander');
      const { token } = (
        await t.as(ic, { method: 'POST', url: '/api/v1/tokens', payload: { name: 'bot', scopes: ['write'] } })
      ).json();
      const res = await t.app.inject({
        method: 'POST',
        url: '/api/v1/incidents',
        headers: { authorization: `Bearer ${token}` },
        payload: declare,
      });
      expect(res.statusCode, res.body).toBe(201);
      const entry = (await t.s.audit.list({ targetId: res.json().key, action: 'incident.create' }, 1)).items[0]!;
      expect(entry.actor.label).toMatch(/API token/);

      const soon = new Date(Date.now() + 60_000).toISOString();
      const { token: shortLived } = (
        await t.as(ic, {
          method: 'POST',
          url: '/api/v1/tokens',
          payload: { name: 'short', scopes: ['read'], expiresAt: soon },
        })
      ).json();
      expect(
        (
          await t.app.inject({
            method: 'GET',
            url: '/api/v1/incidents',
            headers: { authorization: `Bearer ${shortLived}` },
          })
        ).statusCode,
      ).toBe(200);
      offsetMs = 120_000;
      try {
        expectProblem(
          await t.app.inject({
            method: 'GET',
            url: '/api/v1/incidents',
            headers: { authorization: `Bearer ${shortLived}` },
          }),
          401,
        );
      } finally {
        offsetMs = 0;
      }
    });
  });

  it("stops a disabled user's sessions and tokens at once", async () => {
    const { email, id } = await buildUser(t.s, { role: 'incident_commander' });
    const s = sessionOf(await t.signIn(email, PASSWORD));
    const { token } = await buildToken(t.s, id, { scopes: ['read', 'write'] });
    expect((await t.as(s, { method: 'GET', url: '/api/v1/incidents' })).statusCode).toBe(200);
    expect(
      (await t.app.inject({ method: 'GET', url: '/api/v1/incidents', headers: { authorization: `Bearer ${token}` } }))
        .statusCode,
    ).toBe(200);

    const off = await t.as(admin, { method: 'PATCH', url: `/api/v1/users/${id}`, payload: { disabled: true } });
    expect(off.statusCode, off.body).toBe(200);
    expect(off.json().disabled).toBe(true);
    expectProblem(await t.as(s, { method: 'GET', url: '/api/v1/incidents' }), 401);
    expectProblem(await t.as(s, { method: 'POST', url: '/api/v1/incidents', payload: declare }), 401);
    expectProblem(
      await t.app.inject({ method: 'GET', url: '/api/v1/incidents', headers: { authorization: `Bearer ${token}` } }),
      401,
    );
    expectProblem(await t.signIn(email, PASSWORD), 401);

    // Enabling the account again does not revive the old session.
    await t.as(admin, { method: 'PATCH', url: `/api/v1/users/${id}`, payload: { disabled: false } });
    expectProblem(await t.as(s, { method: 'GET', url: '/api/v1/incidents' }), 401);
    expect((await t.signIn(email, PASSWORD)).statusCode).toBe(200);
    // An admin cannot lock themselves out.
    expectProblem(
      await t.as(admin, { method: 'PATCH', url: `/api/v1/users/${admin.userId}`, payload: { disabled: true } }),
      422,
    );
  });

  it('ends the session on sign-out', async () => {
    const s = await t.login('responder');
    const other = await t.login('responder');
    const out = await t.as(s, { method: 'DELETE', url: '/api/v1/session' });
    expect(out.statusCode).toBe(204);
    const cleared = out.cookies.find((c) => c.name === 'tocsin_session')!;
    expect(cleared.value).toBe('');
    expect(cleared.expires!.getTime()).toBeLessThanOrEqual(Date.now());
    expectProblem(await t.as(s, { method: 'GET', url: '/api/v1/session' }), 401);
    expectProblem(await t.as(s, { method: 'POST', url: '/api/v1/incidents', payload: declare }), 401);
    // Only that session: the user's other consoles stay signed in.
    expect((await t.as(other, { method: 'GET', url: '/api/v1/session' })).statusCode).toBe(200);
  });
});

describe.each(STORE_KINDS)('TOCSIN_REQUIRE_MFA=admins (%s)', (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(kind, { TOCSIN_REQUIRE_MFA: 'admins' });
  });
  afterAll(() => t.close());

  it('lets an administrator without a second factor do nothing but enrol one', async () => {
    const admin = await t.login('admin');
    const info = (await t.as(admin, { method: 'GET', url: '/api/v1/session' })).json();
    expect(info).toMatchObject({ mfaRequired: false, mfaEnrolmentRequired: true });
    for (const req of [
      { method: 'GET', url: '/api/v1/incidents' },
      { method: 'GET', url: '/api/v1/users' },
      {
        method: 'POST',
        url: '/api/v1/users',
        payload: { email: 'x@test.example', name: 'x', role: 'admin', password: PASSWORD },
      },
      { method: 'GET', url: '/api/v1/audit' },
      { method: 'POST', url: '/api/v1/tokens', payload: { name: 'bypass', scopes: ['admin'] } },
      { method: 'GET', url: '/api/v1/stream' },
    ] as const) {
      const p = expectProblem(await t.as(admin, req), 403);
      if (req.url !== '/api/v1/stream') expect(p.detail).toMatch(/enrol/);
    }
    const { secret } = (await t.as(admin, { method: 'POST', url: '/api/v1/me/mfa/enrol' })).json() as {
      secret: string;
    };
    expect(
      (
        await t.as(admin, {
          method: 'POST',
          url: '/api/v1/me/mfa/verify',
          payload: { code: authenticator.generate(secret) },
        })
      ).statusCode,
    ).toBe(204);
    expect((await t.as(admin, { method: 'GET', url: '/api/v1/session' })).json()).toMatchObject({
      mfaRequired: false,
      mfaEnrolmentRequired: false,
    });
    expect((await t.as(admin, { method: 'GET', url: '/api/v1/users' })).statusCode).toBe(200);
  });

  it('does not ask other roles to enrol', async () => {
    const responder = await t.login('responder');
    expect((await t.as(responder, { method: 'GET', url: '/api/v1/session' })).json().mfaEnrolmentRequired).toBe(false);
    expect((await t.as(responder, { method: 'GET', url: '/api/v1/incidents' })).statusCode).toBe(200);
  });
});
