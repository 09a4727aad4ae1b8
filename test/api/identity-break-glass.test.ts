/**
 * Break-glass: once a directory is configured with `localSignIn: break_glass`, only the listed local
 * accounts sign in with a password; they must give TOTP, every use is audited and every administrator
 * gets a notice. Also "who can sign in how", and a bad identity file refusing the start.
 */
import { authenticator } from 'otplib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, sessionOf, type TestApp } from '../helpers/app.js';
import { configFileFixture } from '../helpers/config-file.js';
import { buildUser } from '../helpers/fixtures.js';
import { expectProblem } from '../helpers/problem.js';
import { STORE_KINDS } from '../helpers/store.js';

const fixture = configFileFixture('TOCSIN_IDENTITY_FILE', 'identity');
const DIRECTORY = `
  - id: corp
    kind: oidc
    label: Firm SSO
    issuer: https://login.firm.test/realms/staff
    clientId: tocsin
    roles: [{ group: soc, role: responder }]`;

describe('the identity file', () => {
  it('refuses the start with one line per problem, naming the file', () => {
    const file = fixture.withFile(`localSignIn: break_glass
providers:
  - id: corp
    kind: oidc
    label: SSO
    issuer: http://login.firm.test
    clientId: tocsin
    clientSecretEnv: TOCSIN_NOT_SET_SECRET
    roles: [{ group: soc, role: overlord }]
  - id: ad
    kind: active_directory
    label: AD
    url: ldap://dc1.firm.test
    bindDn: cn=svc
    bindPasswordEnv: TOCSIN_NOT_SET_EITHER
    userBase: dc=firm
    userFilter: (sAMAccountName=x)
    roles: [{ group: soc, role: responder }]
`);
    const problems = fixture.problems(() => fixture.load(file));
    expect(problems.length).toBeGreaterThan(0);
    for (const p of problems) expect(p).toMatch(/^TOCSIN_IDENTITY_FILE \(.*identity-\d+\.yaml\): /);
    expect(problems.join('\n')).toMatch(/providers\.0\.roles\.0\.role/);
    expect(problems.join('\n')).toMatch(/providers\.1\.userFilter: must contain \{username\}/);

    const second = fixture.withFile(`localSignIn: break_glass
providers:${DIRECTORY.replace('https://login.firm.test/realms/staff', 'http://login.firm.test')}
    clientSecretEnv: TOCSIN_NOT_SET_SECRET
`);
    const all = fixture.problems(() => fixture.load(second)).join('\n');
    expect(all).toMatch(/providers\.0\.issuer: must be https:\/\//);
    expect(all).toMatch(/clientSecretEnv: the environment variable TOCSIN_NOT_SET_SECRET is not set/);
    expect(all).toMatch(/breakGlass: list at least one local administrator/);

    const ok = fixture.withFile(`providers:${DIRECTORY}\n    clientSecretEnv: TOCSIN_SSO_SECRET\n`);
    const config = fixture.load(ok, { TOCSIN_SSO_SECRET: 'sso-secret-value' });
    expect(config.identity.providers[0]).toMatchObject({
      id: 'corp',
      clientSecret: 'sso-secret-value',
      mfa: 'provider',
    });
    expect(config.identityRecheckMs).toBe(300_000);
  });
});

describe.each(STORE_KINDS)('break-glass (%s)', (kind) => {
  let t: TestApp;
  const enrol = async (id: string) => {
    const secret = authenticator.generateSecret();
    await t.s.store.transaction(async (tx) => {
      await t.s.users.startMfaEnrolment(tx, id, secret);
      await t.s.users.enableMfa(tx, id, 0);
    });
    return secret;
  };

  beforeAll(async () => {
    const file = fixture.withFile(`localSignIn: break_glass
breakGlass: [glass@firm.test]
providers:${DIRECTORY}
`);
    t = await createTestApp(kind, { TOCSIN_IDENTITY_FILE: file });
  });
  afterAll(() => t?.close());

  it('keeps password sign-in for break-glass accounts only, with TOTP, and alerts every administrator', async () => {
    const options = (await t.app.inject({ method: 'GET', url: '/api/v1/auth/options' })).json();
    expect(options).toEqual({
      providers: [{ id: 'corp', kind: 'oidc', label: 'Firm SSO' }],
      localSignIn: 'break_glass',
    });

    const responder = await buildUser(t.s, { role: 'responder' });
    const refused = expectProblem(await t.signIn(responder.email), 403);
    expect(refused.code).toBe('auth.local_sign_in_refused');
    expect(refused.detail).toMatch(/kept for break-glass accounts/);
    const entries = (await t.s.audit.list({ targetId: responder.id }, 10)).items;
    expect(entries.map((e) => e.action)).toContain('session.login_refused');

    const glass = await buildUser(t.s, { role: 'admin', email: 'glass@firm.test' });
    const otherAdmin = await buildUser(t.s, { role: 'admin' });
    // Without a second factor a break-glass account does not get in at all.
    expect(expectProblem(await t.signIn(glass.email), 403).detail).toMatch(/must have a second factor/);
    expect(await t.s.identity.breakGlassProblem()).toMatch(/nobody can get in when the directory is down/);
    const secret = await enrol(glass.id);
    expect(await t.s.identity.breakGlassProblem()).toBeNull();
    const first = await t.signIn(glass.email);
    expect(first.statusCode, first.body).toBe(200);
    expect(first.json().mfaRequired).toBe(true);
    const s = sessionOf(first);
    expect(await t.s.identity.notices(otherAdmin.id)).toEqual([]); // the password alone alerts nobody yet
    const done = await t.as(s, {
      method: 'POST',
      url: '/api/v1/session/mfa',
      payload: { code: authenticator.generate(secret) },
    });
    expect(done.statusCode, done.body).toBe(200);

    for (const admin of [otherAdmin, glass]) {
      const notices = await t.s.identity.notices(admin.id);
      expect(notices).toHaveLength(1);
      expect(notices[0]).toMatchObject({ kind: 'break_glass_sign_in', userId: glass.id, userName: glass.name });
    }
    expect(await t.s.identity.notices(responder.id)).toEqual([]);
    const mine = await t.as(s, { method: 'GET', url: '/api/v1/auth/security-notices' });
    expect(mine.json().items[0]).toMatchObject({ userId: glass.id, address: expect.any(String) });
    const used = (await t.s.audit.list({ action: 'session.break_glass' }, 10)).items;
    expect(used[0]).toMatchObject({ targetId: glass.id });
    expect(used[0]!.after).toMatchObject({ administratorsAlerted: expect.any(Number) });

    // Who can sign in how.
    const methods = await t.as(s, { method: 'GET', url: '/api/v1/auth/sign-in-methods' });
    expect(methods.statusCode).toBe(200);
    const rows = methods.json().items as {
      user: { email: string };
      method: string;
      breakGlass: boolean;
      lastSignInAt: string | null;
    }[];
    expect(rows.find((r) => r.user.email === glass.email)).toMatchObject({ method: 'local', breakGlass: true });
    expect(rows.find((r) => r.user.email === glass.email)!.lastSignInAt).not.toBeNull();
    expect(rows.find((r) => r.user.email === responder.email)).toMatchObject({
      method: 'local',
      breakGlass: false,
      lastSignInAt: null,
    });
    expectProblem(await t.as(null, { method: 'GET', url: '/api/v1/auth/sign-in-methods' }), 401);
  });
});
