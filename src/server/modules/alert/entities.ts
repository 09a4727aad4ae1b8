/**
 * Entities of an alert — accounts, hosts, IP addresses, and the business services named — read from
 * the fields of its events (Sigma/Windows, ECS dotted or nested, Zeek, flow collectors, common app logs).
 */
import ipaddr from 'ipaddr.js';
import type { EntityKind } from '../../../shared/enums.js';
import type { Entities, EntityRef } from '../../../shared/alert-schemas.js';
import { ACCOUNT_FIELDS, fieldValue, HOST_FIELDS, IP_FIELDS, SERVICE_FIELDS } from '../../../shared/event-fields.js';
import { invalid } from '../../platform/errors.js';

export { ACCOUNT_FIELDS, fieldValue, HOST_FIELDS, IP_FIELDS, SERVICE_FIELDS };

/** At most this many values of each kind are kept on an alert. */
export const MAX_PER_KIND = 20;

/** Placeholders logs use for "no value". */
const EMPTY = new Set(['', '-', '--', 'n/a', 'na', 'null', 'none', 'unknown', '(null)', '?', 'nil']);

/** A canonical IP address (IPv4-mapped IPv6 as IPv4), or null for anything else, unspecified or loopback. */
export function normalizeIp(raw: string): string | null {
  let v = raw.trim();
  const v4port = /^(\d{1,3}(?:\.\d{1,3}){3}):\d{1,5}$/.exec(v);
  if (v4port) v = v4port[1]!;
  const bracketed = /^\[([^\]]+)\](?::\d{1,5})?$/.exec(v);
  if (bracketed) v = bracketed[1]!;
  v = v.replace(/%.*$/, ''); // IPv6 zone
  if (!ipaddr.IPv4.isValidFourPartDecimal(v) && !(v.includes(':') && ipaddr.IPv6.isValid(v))) return null;
  const addr = ipaddr.process(v);
  const range = addr.range();
  if (range === 'unspecified' || range === 'loopback') return null;
  return addr.toString();
}

const normalizeName = (raw: string): string | null => {
  const v = raw.trim().toLowerCase().replace(/\.$/, '');
  return EMPTY.has(v) || v.length > 256 ? null : v;
};

function* valuesOf(v: unknown, allowNumbers: boolean): Generator<string> {
  if (typeof v === 'string') yield v;
  else if (allowNumbers && typeof v === 'number' && Number.isFinite(v)) yield String(v);
  else if (Array.isArray(v)) {
    for (const x of v.slice(0, MAX_PER_KIND)) if (typeof x === 'string') yield x;
  }
}

/** Collects entities into `out` (bounded, first seen first, no repeats). */
export class EntitySet {
  readonly accounts = new Set<string>();
  readonly hosts = new Set<string>();
  readonly ips = new Set<string>();
  readonly services = new Set<string>();

  constructor(initial?: Entities) {
    if (initial) {
      for (const a of initial.accounts) this.accounts.add(a);
      for (const h of initial.hosts) this.hosts.add(h);
      for (const i of initial.ips) this.ips.add(i);
    }
  }

  private static put(set: Set<string>, v: string | null): void {
    if (v !== null && set.size < MAX_PER_KIND) set.add(v);
  }

  /** Reads the known fields of one event (or of a correlation's group-by values). */
  addFields(fields: Record<string, unknown>, serviceKeys?: ReadonlySet<string>): this {
    for (const f of ACCOUNT_FIELDS)
      for (const v of valuesOf(fieldValue(fields, f), true)) EntitySet.put(this.accounts, normalizeName(v));
    for (const f of HOST_FIELDS) {
      for (const v of valuesOf(fieldValue(fields, f), false)) {
        // syslog's "host" is often an address: file it where it belongs.
        const ip = normalizeIp(v);
        if (ip) EntitySet.put(this.ips, ip);
        else if (!ipaddr.isValid(v.trim())) EntitySet.put(this.hosts, normalizeName(v));
      }
    }
    for (const f of IP_FIELDS)
      for (const v of valuesOf(fieldValue(fields, f), false)) EntitySet.put(this.ips, normalizeIp(v));
    if (serviceKeys) {
      for (const f of SERVICE_FIELDS) {
        for (const v of valuesOf(fieldValue(fields, f), false)) {
          const key = v.trim().toLowerCase();
          if (serviceKeys.has(key)) EntitySet.put(this.services, key);
        }
      }
    }
    return this;
  }

  /** Adds an already normalized value. */
  add(kind: 'accounts' | 'hosts' | 'ips', value: string): void {
    EntitySet.put(this[kind], value);
  }

  get size(): number {
    return this.accounts.size + this.hosts.size + this.ips.size;
  }

  toEntities(): Entities {
    return { accounts: [...this.accounts], hosts: [...this.hosts], ips: [...this.ips] };
  }
}

/** Entities of events' fields (see the field lists above). */
export function extractEntities(fieldSets: Record<string, unknown>[], serviceKeys?: ReadonlySet<string>): EntitySet {
  const set = new EntitySet();
  for (const f of fieldSets) set.addFields(f, serviceKeys);
  return set;
}

/** Accounts that every Windows host has: naming one says nothing about who or what is under attack. */
const COMMON_ACCOUNTS = new Set([
  'system',
  'local service',
  'network service',
  'anonymous logon',
  'nt authority\\system',
]);
/** Whether an account is specific enough to tie alerts together (not a built-in or machine account). */
export const isDistinctiveAccount = (a: string) => !COMMON_ACCOUNTS.has(a) && !a.endsWith('$');

/** Normalizes a person-given entity (suppressions, windows): lower-case names, canonical IPs, IP ranges as CIDR. */
export function normalizeEntityRef(ref: EntityRef, path: string): EntityRef {
  const value = ref.value.trim();
  if (ref.kind === 'ip') {
    const bad = () =>
      invalid(
        `${value} is not an IP address or CIDR range`,
        [{ path, message: 'not an IP address or CIDR range', code: 'invalid_ip' }],
        { code: 'entity.invalid_ip', params: { value: value.slice(0, 100) } },
      );
    const [addrPart = '', bitsPart, ...rest] = value.split('/');
    if (bitsPart !== undefined) {
      const strict =
        ipaddr.IPv4.isValidFourPartDecimal(addrPart) || (addrPart.includes(':') && ipaddr.IPv6.isValid(addrPart));
      if (rest.length || !strict || !/^\d{1,3}$/.test(bitsPart) || !ipaddr.isValidCIDR(value)) throw bad();
      const [addr, bits] = ipaddr.parseCIDR(value);
      return { kind: 'ip', value: `${addr.toString()}/${bits}` };
    }
    const ip = normalizeIp(value);
    if (!ip) throw bad();
    return { kind: 'ip', value: ip };
  }
  const name = normalizeName(value);
  if (!name)
    throw invalid(
      `${value} is not a usable ${ref.kind} name`,
      [{ path, message: `not a usable ${ref.kind} name`, code: 'invalid_name', params: { kind: ref.kind } }],
      { code: 'entity.invalid_name', params: { kind: ref.kind, value: value.slice(0, 100) } },
    );
  return { kind: ref.kind, value: name };
}

/** A test of "this alert concerns that entity" (an IP range matches any address inside it). */
export function entityMatcher(ref: { kind: EntityKind; value: string }): (e: Entities) => boolean {
  if (ref.kind === 'account') return (e) => e.accounts.includes(ref.value);
  if (ref.kind === 'host') return (e) => e.hosts.includes(ref.value);
  if (ref.value.includes('/')) {
    const range = ipaddr.parseCIDR(ref.value);
    return (e) =>
      e.ips.some((ip) => {
        const addr = ipaddr.parse(ip);
        return addr.kind() === range[0].kind() && addr.match(range);
      });
  }
  return (e) => e.ips.includes(ref.value);
}
