/** Tests of one scalar event value, as detection items compile them: text, numbers, CIDR ranges. */
import ipaddr from 'ipaddr.js';
import { lowerText } from './field-access.js';
import type { StringTest } from './sigma-string.js';
import { SigmaError, type EvalContext } from './types.js';

/** A test of one scalar event value; `ctx` for field references. */
export type ValueTest = (v: unknown, ctx: EvalContext, key: string) => boolean;

/** A string test over the value's text, lower-cased (cached per event) unless cased. */
export function stringValueTest(tests: StringTest[], cased: boolean): ValueTest {
  if (cased) {
    return (v) => {
      const s = typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'boolean' ? String(v) : undefined;
      if (s === undefined) return false;
      for (const t of tests) if (t(s)) return true;
      return false;
    };
  }
  return (v, ctx, key) => {
    const s = key
      ? lowerText(ctx, key, v)
      : typeof v === 'string'
        ? v.toLowerCase()
        : typeof v === 'number' || typeof v === 'boolean'
          ? String(v)
          : undefined;
    if (s === undefined) return false;
    for (const t of tests) if (t(s)) return true;
    return false;
  };
}

export const toNumber = (v: unknown): number | undefined => {
  if (typeof v === 'number') return v;
  if (typeof v === 'string' && v.trim() !== '' && /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(v.trim()))
    return Number(v);
  return undefined;
};

export function compareTest(op: string, n: number): (x: number) => boolean {
  switch (op) {
    case 'lt':
      return (x) => x < n;
    case 'lte':
      return (x) => x <= n;
    case 'gt':
      return (x) => x > n;
    case 'gte':
      return (x) => x >= n;
    default:
      return (x) => x === n;
  }
}

export function cidrTest(value: unknown): ValueTest {
  if (typeof value !== 'string') throw new SigmaError(`cidr value ${JSON.stringify(value)} is not a string`);
  let range: [ipaddr.IPv4 | ipaddr.IPv6, number];
  try {
    range = ipaddr.parseCIDR(value.trim());
  } catch {
    // A bare address is a /32 or /128.
    if (!ipaddr.isValid(value.trim())) throw new SigmaError(`invalid CIDR "${value}"`);
    const a = ipaddr.parse(value.trim());
    range = [a, a.kind() === 'ipv4' ? 32 : 128];
  }
  const [net, bits] = range;
  if (net.kind() === 'ipv4') {
    const base = net.toByteArray().reduce((a, b) => a * 256 + b, 0);
    const size = 2 ** (32 - bits);
    const start = base - (base % size);
    return (v) => {
      if (typeof v !== 'string') return false;
      let a: ipaddr.IPv4 | ipaddr.IPv6;
      try {
        a = ipaddr.parse(v.trim());
      } catch {
        return false;
      }
      if (a.kind() === 'ipv6') {
        const v6 = a as ipaddr.IPv6;
        if (!v6.isIPv4MappedAddress()) return false;
        a = v6.toIPv4Address();
      }
      const x = a.toByteArray().reduce((acc, b) => acc * 256 + b, 0);
      return x >= start && x < start + size;
    };
  }
  return (v) => {
    if (typeof v !== 'string') return false;
    try {
      const a = ipaddr.parse(v.trim());
      return a.kind() === 'ipv6' && a.match(net, bits);
    } catch {
      return false;
    }
  };
}
