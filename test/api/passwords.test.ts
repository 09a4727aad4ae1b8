/**
 * Passwords: a user's own change, an administrator's reset to a one-time password, and the forced
 * change at the first sign-in with a password someone else knows (generated or reset).
 */
import { authenticator } from 'otplib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, PASSWORD, sessionOf, type Session, type TestApp } from '../helpers/app.js';
import { buildToken, buildUser } from '../helpers/fixtures.js';
import { expectProblem } from '../helpers/problem.js';
import { STORE_KINDS } from '../helpers/store.js';

const NEW_PASSWORD = 'plum-orchard-lantern-93';

describe.each(STORE_KINDS)('passwords (%s)', (kind) => {
  let t: TestApp;
  let admin: Session;
  const change = (s: Session, currentPassword: string, newPassword: string) =>
    t.as(s, { method: 'POST', url: '/api/v1/me/password', payload: { currentPassword, newPassword } });
  const auditOf = async (id: string) => (await t.s.audit.list({ targetId: id }, 50)).items;

  beforeAll(async () => {
    t = await createTestApp(kind);
    admin = await t.login('admin');
  });
  afterAll(() => t.close());

  it('lets a user change their own password: other sessions end, this one stays', async () => {
    const { email, id } = await buildUser(t.s);
    const here = sessionOf(await t.signIn(email, PASSWORD));
    const elsewhere = sessionOf(await t.signIn(email, PASSWORD));

    const wrong = expectProblem(await change(here, 'not-my-password', NEW_PASSWORD), 422);
    expect(wrong.errors).toEqual([{ path: 'body.currentPassword', message: 'wrong password', code: 'wrong_password' }]);
    const weak = expectProblem(await change(here, PASSWORD, 'password1234'), 422);
    expect(weak.errors![0]).toMatchObject({
      path: 'body.newPassword',
      message: expect.stringMatching(/too easy to guess/),
    });
    expect(expectProblem(await change(here, PASSWORD, email), 422).detail).toMatch(/must not be your email address/);
    expect(expectProblem(await change(here, PASSWORD, PASSWORD), 422).detail).toMatch(
      /must differ from the current password/,
    );
    expect(expectProblem(await change(here, PASSWORD, 'short'), 400).errors![0]!.path).toBe('body.newPassword');

    const ok = await change(here, PASSWORD, NEW_PASSWORD);
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json()).toMatchObject({ passwordChangeRequired: false, user: { email } });
    expect((await t.as(here, { method: 'GET', url: '/api/v1/incidents' })).statusCode).toBe(200);
    expectProblem(await t.as(elsewhere, { method: 'GET', url: '/api/v1/incidents' }), 401);
    expectProblem(await t.signIn(email, PASSWORD), 401);
    expect((await t.signIn(email, NEW_PASSWORD)).statusCode).toBe(200);

    const entries = await auditOf(id);
    expect(entries.map((e) => e.action)).toEqual(
      expect.arrayContaining(['user.password_changed', 'user.password_change_failed']),
    );
    expect(entries.find((e) => e.action === 'user.password_changed')!.after).toEqual({
      mustChangePassword: false,
      otherSessionsEnded: 1,
    });
    const all = JSON.stringify(
      await t.s.store.db.selectFrom('audit_log').select(['before_json', 'after_json']).execute(),
    );
    expect(all).not.toContain(NEW_PASSWORD);
    expect(all).not.toContain('$argon2');
  });

  it('does not let an API token change a password', async () => {
    const { email, id } = await buildUser(t.s);
    const { token } = await buildToken(t.s, id, { scopes: ['admin'] });
    const r = await t.app.inject({
      method: 'POST',
      url: '/api/v1/me/password',
      headers: { authorization: `Bearer ${token}` },
      payload: { currentPassword: PASSWORD, newPassword: NEW_PASSWORD },
    });
    expect(expectProblem(r, 403).detail).toMatch(/console session/);
    expect((await t.signIn(email, PASSWORD)).statusCode).toBe(200);
  });

  it('an administrator reset gives a one-time password; the user must change it before doing anything else', async () => {
    const { email, id } = await buildUser(t.s);
    const before = sessionOf(await t.signIn(email, PASSWORD));
    const responder = await t.login('responder');
    expectProblem(await t.as(responder, { method: 'POST', url: `/api/v1/users/${id}/password`, payload: {} }), 403);

    const reset = await t.as(admin, { method: 'POST', url: `/api/v1/users/${id}/password`, payload: {} });
    expect(reset.statusCode, reset.body).toBe(200);
    const { password: otp, user } = reset.json() as { password: string; user: { passwordChangeRequired: boolean } };
    expect(otp).toMatch(/^[A-Za-z0-9_-]{20}$/);
    expect(user.passwordChangeRequired).toBe(true);
    expectProblem(await t.as(before, { method: 'GET', url: '/api/v1/session' }), 401); // their sessions ended
    expectProblem(await t.signIn(email, PASSWORD), 401);

    const login = await t.signIn(email, otp);
    expect(login.statusCode, login.body).toBe(200);
    expect(login.json()).toMatchObject({
      passwordChangeRequired: true,
      mfaRequired: false,
      mfaEnrolmentRequired: false,
    });
    const s = sessionOf(login);
    for (const req of [
      { method: 'GET', url: '/api/v1/incidents' },
      { method: 'GET', url: '/api/v1/users' },
      { method: 'POST', url: '/api/v1/tokens', payload: { name: 'sneaky' } },
      { method: 'GET', url: '/api/v1/stream' },
    ] as const) {
      const p = expectProblem(await t.as(s, req), 403);
      if (req.url !== '/api/v1/stream') expect(p.detail).toMatch(/change your password first/);
    }
    expect((await t.as(s, { method: 'GET', url: '/api/v1/session' })).json().passwordChangeRequired).toBe(true);
    const changed = await change(s, otp, NEW_PASSWORD);
    expect(changed.statusCode, changed.body).toBe(200);
    expect(changed.json().passwordChangeRequired).toBe(false);
    expect((await t.as(s, { method: 'GET', url: '/api/v1/incidents' })).statusCode).toBe(200);

    const entry = (await auditOf(id)).find((e) => e.action === 'user.password_reset')!;
    expect(entry.actor.id).toBe(admin.userId);
    expect(entry.after).toEqual({ mustChangePassword: true, generated: true, sessionsEnded: 1 });
    expect(
      JSON.stringify(await t.s.store.db.selectFrom('audit_log').select(['before_json', 'after_json']).execute()),
    ).not.toContain(otp);
  });

  it('an administrator may give the password instead (then none is returned); not their own, not a short one', async () => {
    const { email, id } = await buildUser(t.s);
    const given = 'temporary-password-from-admin';
    const reset = await t.as(admin, {
      method: 'POST',
      url: `/api/v1/users/${id}/password`,
      payload: { password: given },
    });
    expect(reset.statusCode, reset.body).toBe(200);
    expect(reset.json().password).toBeNull();
    expect((await t.signIn(email, given)).json().passwordChangeRequired).toBe(true);
    expectProblem(
      await t.as(admin, { method: 'POST', url: `/api/v1/users/${id}/password`, payload: { password: 'short' } }),
      400,
    );
    expect(
      expectProblem(
        await t.as(admin, { method: 'POST', url: `/api/v1/users/${id}/password`, payload: { password: email } }),
        422,
      ).detail,
    ).toMatch(/email/);
    expect(
      expectProblem(
        await t.as(admin, { method: 'POST', url: `/api/v1/users/${admin.userId}/password`, payload: {} }),
        422,
      ).detail,
    ).toMatch(/your own password/);
    expectProblem(await t.as(admin, { method: 'POST', url: '/api/v1/users/nobody/password', payload: {} }), 404);
    // The older way, PATCH with a password, also makes the user change it.
    await t.as(admin, {
      method: 'PATCH',
      url: `/api/v1/users/${id}`,
      payload: { password: 'another-admin-chosen-one' },
    });
    expect((await t.signIn(email, 'another-admin-chosen-one')).json().passwordChangeRequired).toBe(true);
  });

  it('asks for the second factor before the password change', async () => {
    const { email, id } = await buildUser(t.s);
    const s0 = sessionOf(await t.signIn(email, PASSWORD));
    const secret = await t.enrolTotp(s0);
    const { password: otp } = (
      await t.as(admin, { method: 'POST', url: `/api/v1/users/${id}/password`, payload: {} })
    ).json() as { password: string };
    const login = await t.signIn(email, otp);
    expect(login.json()).toMatchObject({ mfaRequired: true, passwordChangeRequired: false });
    const s = sessionOf(login);
    expect(expectProblem(await change(s, otp, NEW_PASSWORD), 403).detail).toMatch(/second factor/);
    const code = authenticator.clone({ epoch: Date.now() + 30_000 }).generate(secret);
    expect((await t.as(s, { method: 'POST', url: '/api/v1/session/mfa', payload: { code } })).json()).toMatchObject({
      mfaRequired: false,
      passwordChangeRequired: true,
    });
    expect((await change(s, otp, NEW_PASSWORD)).statusCode).toBe(200);
  });

  it('makes accounts created with a password someone else chose change it at the first sign-in', async () => {
    const created = await t.as(admin, {
      method: 'POST',
      url: '/api/v1/users',
      payload: {
        email: `new-${kind}@test.example`,
        name: 'New',
        role: 'auditor',
        password: 'chosen-by-the-admin-1',
        mustChangePassword: true,
      },
    });
    expect(created.statusCode, created.body).toBe(201);
    expect(created.json().passwordChangeRequired).toBe(true);
    expect((await t.signIn(`new-${kind}@test.example`, 'chosen-by-the-admin-1')).json().passwordChangeRequired).toBe(
      true,
    );
    const plain = await buildUser(t.s);
    expect((await t.signIn(plain.email, PASSWORD)).json().passwordChangeRequired).toBe(false);
  });
});

describe.each(STORE_KINDS)('the first administrator (%s)', (kind) => {
  it('must change a generated password at the first sign-in, not a configured one', async () => {
    const t = await createTestApp(kind);
    try {
      const first = await t.s.users.ensureFirstAdmin({});
      expect(first!.password).toMatch(/\S{20}/);
      const login = await t.signIn(first!.email, first!.password!);
      expect(login.json()).toMatchObject({ passwordChangeRequired: true, user: { role: 'admin' } });
    } finally {
      await t.close();
    }
    const t2 = await createTestApp(kind);
    try {
      await t2.s.users.ensureFirstAdmin({ email: 'boss@test.example', password: PASSWORD });
      const login = await t2.signIn('boss@test.example', PASSWORD);
      expect(login.json().passwordChangeRequired).toBe(false);
    } finally {
      await t2.close();
    }
  });
});
