/**
 * LDAP sign-in over TLS against a real slapd (test/helpers/slapd.ts with `{ tls: true }`): ldaps:// and
 * StartTLS with `caFile` naming the throwaway CA that signed slapd's certificate (made at test time,
 * test/helpers/test-ca.ts); a server the configured CA did not sign, or no `caFile` at all (the system's
 * CAs), is refused as "could not be reached" and opens no session. TLS is the transport, not the store:
 * SQLite only.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, sessionOf, type TestApp } from '../helpers/app.js';
import { expectProblem } from '../helpers/problem.js';
import { ADMIN_DN, ADMIN_PASSWORD, slapdAvailable, startSlapd, type Person, type Slapd } from '../helpers/slapd.js';
import { makeCa } from '../helpers/test-ca.js';

const people: Person[] = [
  { uid: 'alice', name: 'Alice Chen', email: 'alice@firm.test', password: 'alice-directory-pw' },
  { uid: 'bob', name: 'Bob Li', email: 'bob@firm.test', password: 'bob-directory-pw' },
];
const groups = { 'tocsin-commanders': ['alice'], 'tocsin-responders': ['bob'] };

describe.skipIf(!slapdAvailable)('LDAP sign-in over TLS against slapd', () => {
  let dir: string;
  let slapd: Slapd;
  let t: TestApp;
  const ldap = (provider: string, username: string, password: string) =>
    t.app.inject({ method: 'POST', url: '/api/v1/auth/ldap', payload: { provider, username, password } });

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tocsin-idp-tls-'));
    slapd = await startSlapd(people, groups, { tls: true });
    const { ldapsUrl, caFile } = slapd.tls!;
    // A CA of its own: it did not sign slapd's certificate.
    const rogue = makeCa(dir, 'rogue');
    const provider = (id: string, url: string, extra: string[]) => [
      `  - id: ${id}`,
      '    kind: ldap',
      `    label: Directory ${id}`,
      `    url: ${url}`,
      ...extra,
      `    bindDn: "${ADMIN_DN}"`,
      '    bindPasswordEnv: TOCSIN_TEST_LDAP_BIND_PW',
      '    userBase: "ou=people,dc=firm,dc=test"',
      '    userFilter: "(&(objectClass=inetOrgPerson)(uid={username}))"',
      '    groups: { base: "ou=groups,dc=firm,dc=test" }',
      '    timeoutMs: 3000',
      '    roles:',
      '      - { group: tocsin-commanders, role: incident_commander }',
      '      - { group: tocsin-responders, role: responder }',
    ];
    const file = path.join(dir, 'identity.yaml');
    fs.writeFileSync(
      file,
      [
        'providers:',
        ...provider('ldaps', ldapsUrl, [`    caFile: ${caFile}`]),
        ...provider('starttls', slapd.url, ['    startTls: true', `    caFile: ${caFile}`]),
        ...provider('ldaps-rogue', ldapsUrl, [`    caFile: ${rogue.caFile}`]),
        ...provider('starttls-rogue', slapd.url, ['    startTls: true', `    caFile: ${rogue.caFile}`]),
        ...provider('ldaps-system-cas', ldapsUrl, []),
      ].join('\n'),
    );
    t = await createTestApp('sqlite', { TOCSIN_IDENTITY_FILE: file, TOCSIN_TEST_LDAP_BIND_PW: ADMIN_PASSWORD });
  });
  afterAll(async () => {
    await t?.close();
    await slapd?.stop();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('signs a person in over ldaps:// with caFile naming the CA that signed the directory, role mapped', async () => {
    const res = await ldap('ldaps', 'alice', 'alice-directory-pw');
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().user).toMatchObject({ email: 'alice@firm.test', name: 'Alice Chen', role: 'incident_commander' });
    const s = sessionOf(res);
    expect((await t.as(s, { method: 'GET', url: '/api/v1/session' })).json().user.role).toBe('incident_commander');
    // The password is still checked over TLS.
    expect(expectProblem(await ldap('ldaps', 'alice', 'wrong-password'), 401).code).toBe('auth.bad_credentials');
  });

  it('signs a person in with StartTLS over ldap://, role mapped', async () => {
    const res = await ldap('starttls', 'bob', 'bob-directory-pw');
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().user).toMatchObject({ email: 'bob@firm.test', role: 'responder' });
    expect((await t.as(sessionOf(res), { method: 'GET', url: '/api/v1/session' })).statusCode).toBe(200);
  });

  it('refuses a directory whose certificate the configured CA did not sign: unreachable, no session', async () => {
    const sessions = async () => (await t.s.store.db.selectFrom('sessions').select('id').execute()).length;
    const logins = async () => (await t.s.audit.list({ action: 'session.login' }, 100)).items.length;
    const before = { sessions: await sessions(), logins: await logins() };
    for (const provider of ['ldaps-rogue', 'starttls-rogue', 'ldaps-system-cas']) {
      const res = await ldap(provider, 'bob', 'bob-directory-pw');
      const problem = expectProblem(res, 502);
      expect(problem.code, provider).toBe('auth.directory_failed');
      expect(problem.detail).toBe(
        `Directory ${provider} could not be reached; a break-glass account can sign in meanwhile`,
      );
      expect(res.headers['set-cookie'], provider).toBeUndefined();
    }
    expect({ sessions: await sessions(), logins: await logins() }).toEqual(before);
  });
});

describe.runIf(!slapdAvailable)('LDAP sign-in over TLS against slapd', () => {
  it.skip('is skipped: /usr/sbin/slapd is not installed (apt-get install slapd ldap-utils)', () => {});
});
