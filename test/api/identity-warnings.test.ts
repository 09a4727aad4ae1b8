/**
 * A directory that cannot be asked when a session is re-checked: the session goes on (an incident must
 * not lock responders out) and the process log gets a warning naming the provider, never the person.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { configFileFixture } from '../helpers/config-file.js';

const fixture = configFileFixture('TOCSIN_IDENTITY_FILE', 'identity');
// Nothing listens on port 1: every bind is refused at once, as when the firm's domain controllers are down.
const IDENTITY = `providers:
  - id: ad
    kind: active_directory
    label: Head office AD
    url: ldap://127.0.0.1:1
    timeoutMs: 500
    bindDn: cn=svc,dc=firm,dc=test
    bindPasswordEnv: TOCSIN_TEST_AD_BIND_PW
    userBase: dc=firm,dc=test
    userFilter: (sAMAccountName={username})
    groups: { memberOf: true }
    roles: [{ group: soc, role: responder }]
`;

describe('directory down at a re-check', () => {
  let t: TestApp;
  let now = Date.parse('2026-12-05T09:00:00Z');
  const warnings: { fields: Record<string, unknown>; message: string }[] = [];

  beforeAll(async () => {
    t = await createTestApp(
      'sqlite',
      {
        TOCSIN_IDENTITY_FILE: fixture.withFile(IDENTITY),
        TOCSIN_TEST_AD_BIND_PW: 'bind-secret',
        TOCSIN_IDENTITY_RECHECK_S: '60',
      },
      { clock: { now: () => now }, onWarning: (fields, message) => warnings.push({ fields, message }) },
    );
  });
  afterAll(() => t?.close());

  it('keeps the session and logs a warning without personal data', async () => {
    const { cookie } = await t.s.identity.signIn(t.s.identity.provider('ad', 'ldap'), {
      subject: 'CN=Li Wei,OU=Staff,DC=firm,DC=test',
      username: 'liwei',
      email: 'li.wei@firm.test',
      name: 'Li Wei',
      groups: ['soc'],
      providerMfa: false,
      refreshToken: null,
    });
    const session = () =>
      t.app.inject({ method: 'GET', url: '/api/v1/session', headers: { cookie: `tocsin_session=${cookie}` } });
    expect((await session()).statusCode).toBe(200);
    expect(warnings).toEqual([]); // within the interval the directory is not asked

    now += 61_000;
    const res = await session();
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().user.role).toBe('responder');
    expect(warnings).toHaveLength(1);
    expect(warnings[0]!.message).toBe('identity re-check: the directory could not be asked');
    expect(warnings[0]!.fields).toMatchObject({ provider: 'ad', reason: expect.stringMatching(/^service bind: /) });
    const logged = JSON.stringify(warnings);
    for (const pii of ['li.wei@firm.test', 'liwei', 'Li Wei']) expect(logged).not.toContain(pii);
  });
});
