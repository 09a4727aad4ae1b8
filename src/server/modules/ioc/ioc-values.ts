/**
 * IOC values: normalization (lower-case domains, e-mails and hashes; canonical IP addresses), STIX 2.1
 * patterns for each type and back (simple equality comparisons only), and the values found in an
 * alert's event fields.
 */
import ipaddr from 'ipaddr.js';
import type { IocType } from '../../../shared/ioc-schemas.js';
import { ACCOUNT_FIELDS, fieldValue } from '../../../shared/event-fields.js';

const HEX_LENGTH: Partial<Record<IocType, number>> = { sha256: 64, sha1: 40, md5: 32 };
const DOMAIN = /^(?=.{1,253}$)(?:[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]{0,62}$/;
const EMAIL = /^[^\s@<>()",;:]{1,64}@((?:[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]{0,62})$/;
/** Control characters, never part of a value. */
const CONTROL = /[\u0000-\u001f\u007f]/;

function canonicalIp(raw: string, want: 'ipv4' | 'ipv6'): string | null {
  const v = raw.trim();
  if (want === 'ipv4' && !ipaddr.IPv4.isValidFourPartDecimal(v)) return null;
  if (want === 'ipv6' && !(v.includes(':') && ipaddr.IPv6.isValid(v))) return null;
  return ipaddr.parse(v).toString();
}

/** The normalized value of an IOC of `type`, or null when `raw` is not one. */
export function normalizeIoc(type: IocType, raw: string): string | null {
  const v = raw.trim();
  if (!v || v.length > 2048 || CONTROL.test(v)) return null;
  switch (type) {
    case 'ipv4':
    case 'ipv6':
      return canonicalIp(v, type);
    case 'domain': {
      const d = v.toLowerCase().replace(/\.$/, '');
      return DOMAIN.test(d) ? d : null;
    }
    case 'email': {
      const e = v.toLowerCase();
      return EMAIL.test(e) ? e : null;
    }
    case 'url': {
      let u: URL;
      try {
        u = new URL(v);
      } catch {
        return null;
      }
      return /^(https?|ftp):$/.test(u.protocol) && u.hostname ? u.href : null;
    }
    case 'sha256':
    case 'sha1':
    case 'md5': {
      const h = v.toLowerCase();
      return h.length === HEX_LENGTH[type] && /^[0-9a-f]+$/.test(h) ? h : null;
    }
    case 'account':
      return v.length <= 256 ? v : null;
  }
}

/** The STIX object path an IOC type's pattern compares. */
export const STIX_PATH: Record<IocType, string> = {
  ipv4: 'ipv4-addr:value',
  ipv6: 'ipv6-addr:value',
  domain: 'domain-name:value',
  url: 'url:value',
  email: 'email-addr:value',
  account: 'user-account:account_login',
  sha256: "file:hashes.'SHA-256'",
  sha1: "file:hashes.'SHA-1'",
  md5: 'file:hashes.MD5',
};

/** A STIX patterning string literal: quotes and backslashes escaped with a backslash. */
export const stixString = (v: string): string => `'${v.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;

/** The STIX 2.1 pattern of an IOC: one equality comparison. */
export const stixPattern = (type: IocType, value: string): string => `[${STIX_PATH[type]} = ${stixString(value)}]`;

const PATHS: [RegExp, IocType | 'hash'][] = [
  [/^ipv4-addr:value$/, 'ipv4'],
  [/^ipv6-addr:value$/, 'ipv6'],
  [/^domain-name:value$/, 'domain'],
  [/^url:value$/, 'url'],
  [/^email-addr:value$/, 'email'],
  [/^user-account:(account_login|user_id)$/, 'account'],
  [/^file:hashes\.(?:'(SHA-256|SHA256|SHA-1|SHA1|MD5)'|(MD5|SHA256|SHA1))$/i, 'hash'],
];

const HASH_TYPE: Record<string, IocType> = {
  'SHA-256': 'sha256',
  SHA256: 'sha256',
  'SHA-1': 'sha1',
  SHA1: 'sha1',
  MD5: 'md5',
};

/**
 * The IOC of a pattern that is a single equality comparison of a path Tocsin knows
 * (`[ipv4-addr:value = '203.0.113.5']`); otherwise the reason it is not taken.
 */
export function iocOfPattern(pattern: string): { type: IocType; value: string } | { reason: string } {
  const m = /^\s*\[\s*([a-z0-9-]+:[A-Za-z0-9_.'-]+)\s*=\s*'((?:[^'\\]|\\.)*)'\s*\]\s*$/.exec(pattern);
  if (!m) return { reason: 'the pattern is not a single equality comparison' };
  const path = m[1]!;
  const literal = m[2]!.replace(/\\(.)/g, '$1');
  for (const [re, kind] of PATHS) {
    const pm = re.exec(path);
    if (!pm) continue;
    const type = kind === 'hash' ? HASH_TYPE[(pm[1] ?? pm[2])!.toUpperCase()]! : kind;
    let raw = literal;
    if ((type === 'ipv4' && raw.endsWith('/32')) || (type === 'ipv6' && raw.endsWith('/128')))
      raw = raw.slice(0, raw.lastIndexOf('/'));
    const value = normalizeIoc(type, raw);
    return value ? { type, value } : { reason: `the value is not a valid ${type}` };
  }
  return { reason: `the object path ${path} is not one Tocsin keeps as an IOC` };
}

// ---------------------------------------------------------------------------------------------------
// Extraction from event fields

/** Address ranges that are never shared as indicators (the firm's own and special addresses). */
const LOCAL_RANGES = new Set([
  'unspecified',
  'loopback',
  'linkLocal',
  'multicast',
  'broadcast',
  'private',
  'uniqueLocal',
  'carrierGradeNat',
]);
const EMPTY = new Set(['', '-', '--', 'n/a', 'na', 'null', 'none', 'unknown', '(null)', '?', 'nil']);
const URL_TOKEN = /\b(?:https?|ftp):\/\/[^\s"'<>`]{1,2000}/gi;
const HASH_FIELD = /hash|sha|md5|digest/i;
const HASH_TOKEN = /\b(?:(SHA256|SHA-256|SHA1|SHA-1|MD5)=)?([0-9a-fA-F]{64}|[0-9a-fA-F]{40}|[0-9a-fA-F]{32})\b/g;
const DOMAIN_FIELD = /(^|[._])(domain|fqdn|query|queryname|qname|dns|question\.name|server_name|sni|hostname|host)$/i;
const EMAIL_TOKEN = /[A-Za-z0-9._%+-]{1,64}@(?:[A-Za-z0-9-]{1,63}\.)+[A-Za-z]{2,63}\b/g;
const MAX_LEAVES = 500;

export interface Found {
  type: IocType;
  value: string;
}

/** Every string leaf of an event's fields with its dotted path (bounded). */
function leaves(fields: Record<string, unknown>): [string, string][] {
  const out: [string, string][] = [];
  const walk = (v: unknown, path: string, depth: number) => {
    if (out.length >= MAX_LEAVES || depth > 6) return;
    if (typeof v === 'string') out.push([path, v]);
    else if (Array.isArray(v)) for (const x of v.slice(0, 50)) walk(x, path, depth + 1);
    else if (v && typeof v === 'object')
      for (const [k, x] of Object.entries(v)) walk(x, path ? `${path}.${k}` : k, depth + 1);
  };
  walk(fields, '', 0);
  return out;
}

function publicIp(raw: string): Found | null {
  let v = raw.trim();
  const v4port = /^(\d{1,3}(?:\.\d{1,3}){3}):\d{1,5}$/.exec(v);
  if (v4port) v = v4port[1]!;
  const bracketed = /^\[([^\]]+)\](?::\d{1,5})?$/.exec(v);
  if (bracketed) v = bracketed[1]!;
  v = v.replace(/%.*$/, '');
  const isV4 = ipaddr.IPv4.isValidFourPartDecimal(v);
  if (!isV4 && !(v.includes(':') && ipaddr.IPv6.isValid(v))) return null;
  const addr = ipaddr.process(v);
  if (LOCAL_RANGES.has(addr.range())) return null;
  return { type: addr.kind() === 'ipv4' ? 'ipv4' : 'ipv6', value: addr.toString() };
}

/** The IOCs an event's fields name: public IP addresses, domains, URLs, file hashes, accounts, e-mails. */
export function iocsOfFields(fields: Record<string, unknown>): Found[] {
  const found = new Map<string, Found>();
  const add = (f: Found | null) => {
    if (f) found.set(`${f.type} ${f.value}`, f);
  };
  const accountPaths = new Set(ACCOUNT_FIELDS);
  for (const name of ACCOUNT_FIELDS) {
    const v = fieldValue(fields, name);
    for (const s of Array.isArray(v) ? v : [v]) {
      if (typeof s !== 'string' || EMPTY.has(s.trim().toLowerCase())) continue;
      const email = normalizeIoc('email', s);
      add(email ? { type: 'email', value: email } : foundOf('account', s));
    }
  }
  for (const [path, raw] of leaves(fields)) {
    if (accountPaths.has(path)) continue;
    const s = raw.trim();
    if (!s || s.length > 4096 || EMPTY.has(s.toLowerCase())) continue;
    add(publicIp(s));
    if (s.includes('@')) for (const m of s.matchAll(EMAIL_TOKEN)) add(foundOf('email', m[0]));
    for (const m of s.matchAll(URL_TOKEN)) {
      const url = foundOf('url', m[0].replace(/[),.;\]]+$/, ''));
      if (!url) continue;
      add(url);
      const host = new URL(url.value).hostname.replace(/^\[|\]$/g, '');
      add(publicIp(host) ?? foundOf('domain', host));
    }
    if (HASH_FIELD.test(path) || /(SHA256|SHA1|MD5)=/i.test(s))
      for (const m of s.matchAll(HASH_TOKEN)) {
        const hex = m[2]!;
        add(foundOf(hex.length === 64 ? 'sha256' : hex.length === 40 ? 'sha1' : 'md5', hex));
      }
    if (DOMAIN_FIELD.test(path) && !publicIp(s)) add(foundOf('domain', s));
  }
  return [...found.values()];
}

function foundOf(type: IocType, raw: string): Found | null {
  const value = normalizeIoc(type, raw);
  return value ? { type, value } : null;
}
