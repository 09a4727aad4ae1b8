/**
 * LDAP / Active Directory: search-then-bind with ldapts. The service account (bind DN) finds the
 * person's entry by the typed name (escaped, RFC 4515), the person's own bind checks their password,
 * and their groups are read from `memberOf` or a group search (nested on AD through the matching rule
 * 1.2.840.113556.1.4.1941). Passwords are never logged nor kept.
 */
import type { Client } from 'ldapts';
import { ldapTs } from '../../platform/heavy-libs.js';
import type { LdapProviderConfig } from '../../platform/identity-file.js';

/** Escapes a value for an LDAP search filter (RFC 4515 §3): `\`, `*`, `(`, `)` and NUL. */
export function escapeFilterValue(value: string): string {
  return value.replace(/[\\*()\0]/g, (c) => `\\${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}

export interface DirectoryPerson {
  dn: string;
  email: string;
  name: string;
  /** Group names and DNs (both: a mapping may name either). */
  groups: string[];
}

/** The directory could not be asked (down, timed out, the service bind refused): not the person's fault. */
export class DirectoryUnavailable extends Error {}

const first = (v: unknown): string => (Array.isArray(v) ? String(v[0] ?? '') : v == null ? '' : String(v));
const all = (v: unknown): string[] => (Array.isArray(v) ? v.map(String) : v == null || v === '' ? [] : [String(v)]);
/** The value of a DN's first RDN: `cn=Traders,ou=groups,dc=x` -> `Traders`. */
const rdnValue = (dn: string) => /^[^=]+=((?:\\.|[^,\\])*)/.exec(dn)?.[1]?.replace(/\\(.)/g, '$1') ?? dn;

async function client(p: LdapProviderConfig): Promise<Client> {
  const { Client } = await ldapTs();
  // ldapts speaks TLS from the first byte whenever tlsOptions are given: only for ldaps:// (StartTLS takes its own).
  const tlsOptions = p.url.startsWith('ldaps:')
    ? { minVersion: 'TLSv1.2' as const, ...(p.ca ? { ca: [p.ca] } : {}) }
    : undefined;
  return new Client({
    url: p.url,
    timeout: p.timeoutMs,
    connectTimeout: p.timeoutMs,
    ...(tlsOptions ? { tlsOptions } : {}),
  });
}

async function connect(p: LdapProviderConfig, c: Client): Promise<void> {
  if (p.startTls) await c.startTLS({ minVersion: 'TLSv1.2', ...(p.ca ? { ca: [p.ca] } : {}) });
}

async function serviceLookup(p: LdapProviderConfig, username: string): Promise<DirectoryPerson | null> {
  const c = await client(p);
  try {
    try {
      await connect(p, c);
      await c.bind(p.bindDn, p.bindPassword);
    } catch (err) {
      throw new DirectoryUnavailable(`service bind: ${(err as Error).name}`);
    }
    const filter = p.userFilter.replaceAll('{username}', escapeFilterValue(username));
    const { searchEntries } = await c.search(p.userBase, {
      scope: 'sub',
      filter,
      attributes: ['dn', p.attributes.name, p.attributes.email, 'memberOf'],
      sizeLimit: 2,
    });
    if (searchEntries.length !== 1) return null; // unknown, or ambiguous: nobody signs in as two people
    const e = searchEntries[0]!;
    const groups: string[] = [];
    if (p.groups.memberOf) for (const dn of all(e.memberOf)) groups.push(dn, rdnValue(dn));
    if (p.groups.base && p.groups.filter) {
      const r = await c.search(p.groups.base, {
        scope: 'sub',
        filter: p.groups.filter.replaceAll('{dn}', escapeFilterValue(e.dn)),
        attributes: ['dn', p.groups.nameAttribute],
        sizeLimit: 1000,
      });
      for (const g of r.searchEntries) groups.push(g.dn, first(g[p.groups.nameAttribute]) || rdnValue(g.dn));
    }
    return {
      dn: e.dn,
      email: first(e[p.attributes.email]),
      name: first(e[p.attributes.name]) || username,
      groups: [...new Set(groups)],
    };
  } catch (err) {
    if (err instanceof DirectoryUnavailable) throw err;
    throw new DirectoryUnavailable(`search: ${(err as Error).name}`);
  } finally {
    await c.unbind().catch(() => {});
  }
}

/** The person and their groups when `password` is theirs; null when the name is unknown or the password wrong. */
export async function ldapAuthenticate(
  p: LdapProviderConfig,
  username: string,
  password: string,
): Promise<DirectoryPerson | null> {
  // An empty password would be an unauthenticated bind, which many servers accept: never a sign-in.
  if (!password || !username) return null;
  const person = await serviceLookup(p, username);
  if (!person) return null;
  const c = await client(p);
  try {
    await connect(p, c);
    await c.bind(person.dn, password);
    return person;
  } catch (err) {
    if (err instanceof (await ldapTs()).InvalidCredentialsError) return null;
    throw new DirectoryUnavailable(`user bind: ${(err as Error).name}`);
  } finally {
    await c.unbind().catch(() => {});
  }
}

/** The person as the directory has them now (the re-check, with the service account); null when gone. */
export const ldapLookup = (p: LdapProviderConfig, username: string) => serviceLookup(p, username);
