/**
 * What the slapd tests cannot show: Active Directory's nested groups (slapd has no in-chain matching rule)
 * are searched with it by default, and a directory that accepts the connection and never answers gives
 * "directory unavailable" after the configured timeout instead of holding the sign-in.
 */
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { type LdapProviderConfig, loadIdentityFile } from '../../platform/identity-file.js';
import { DirectoryUnavailable, ldapAuthenticate } from './ldap.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tocsin-ldap-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function load(provider: Record<string, unknown>) {
  const file = path.join(dir, `identity-${Math.random().toString(36).slice(2)}.json`);
  const base = { id: 'corp', label: 'Corp', bindDn: 'cn=svc,dc=corp', bindPasswordEnv: 'SVC_PW', userBase: 'dc=corp' };
  fs.writeFileSync(
    file,
    JSON.stringify({ providers: [{ ...base, ...provider, roles: [{ group: 'SOC', role: 'responder' }] }] }),
  );
  const r = loadIdentityFile(file, { SVC_PW: 'secret' });
  if ('problems' in r) throw new Error(r.problems.join('\n'));
  return r.identity.providers[0] as LdapProviderConfig;
}

describe('LDAP / Active Directory', () => {
  it('searches Active Directory groups through the in-chain rule (nested groups), plain LDAP by member', () => {
    const ad = load({
      kind: 'active_directory',
      url: 'ldaps://dc.corp.example',
      userFilter: '(sAMAccountName={username})',
      groups: { base: 'dc=corp' },
    });
    expect(ad.groups.filter).toBe('(&(objectClass=group)(member:1.2.840.113556.1.4.1941:={dn}))');
    const plain = load({
      kind: 'ldap',
      url: 'ldap://ldap.corp.example',
      userFilter: '(uid={username})',
      groups: { base: 'dc=corp' },
    });
    expect(plain.groups.filter).toContain('(member={dn})');
    expect(plain.groups.filter).not.toContain('1.2.840.113556.1.4.1941');
  });

  it('gives up on a directory that accepts the connection and never answers', async () => {
    const held: net.Socket[] = [];
    const silent = net.createServer((socket) => held.push(socket));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const port = (silent.address() as net.AddressInfo).port;
    try {
      const p = load({
        kind: 'ldap',
        url: `ldap://127.0.0.1:${port}`,
        userFilter: '(uid={username})',
        groups: { memberOf: true },
        timeoutMs: 300,
      });
      await expect(ldapAuthenticate(p, 'li.na', 'password-123')).rejects.toBeInstanceOf(DirectoryUnavailable);
      expect(held.length).toBeGreaterThan(0);
    } finally {
      for (const s of held) s.destroy();
      await new Promise((resolve) => silent.close(resolve));
    }
  });
});
