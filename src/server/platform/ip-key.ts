/**
 * Addresses as fixed-width hex (IPv4: 8 digits, IPv6: 32; an IPv4-mapped IPv6 address is its IPv4
 * address), so that text order is address order and a CIDR block is one range [lo, hi] of an index.
 */
import { isIPv4, isIPv6 } from 'node:net';

/** The two hex digits of each byte. */
const HEX_BYTES = Array.from({ length: 256 }, (_, n) => n.toString(16).padStart(2, '0'));

/** The key of a dotted-quad address that `isIPv4` accepted (each part a decimal byte). */
function v4Key(ip: string): string {
  let key = '';
  let n = 0;
  for (let i = 0; i < ip.length; i++) {
    const c = ip.charCodeAt(i);
    if (c === 0x2e) {
      key += HEX_BYTES[n];
      n = 0;
    } else n = n * 10 + (c - 0x30);
  }
  return key + HEX_BYTES[n];
}

function v6Key(ip: string): string | null {
  let s = ip.toLowerCase();
  const zone = s.indexOf('%');
  if (zone >= 0) s = s.slice(0, zone);
  // A trailing dotted IPv4 part becomes two groups.
  const dotted = s.match(/(\d+\.\d+\.\d+\.\d+)$/);
  if (dotted) {
    const k = v4Key(dotted[1]!);
    s = `${s.slice(0, -dotted[1]!.length)}${k.slice(0, 4)}:${k.slice(4)}`;
  }
  const [head, tail] = s.split('::') as [string, string | undefined];
  const h = head ? head.split(':') : [];
  const t = tail ? tail.split(':') : [];
  const fill = s.includes('::') ? 8 - h.length - t.length : 0;
  const groups = [...h, ...Array<string>(fill).fill('0'), ...t];
  if (groups.length !== 8) return null;
  return groups.map((g) => g.padStart(4, '0')).join('');
}

/** The key of an address; null when `ip` is not one. */
export function ipKey(ip: string): string | null {
  const s = ip.trim();
  if (isIPv4(s)) return v4Key(s);
  if (!isIPv6(s)) return null;
  const k = v6Key(s);
  if (k?.startsWith('00000000000000000000ffff')) return k.slice(24);
  return k;
}

/** The range of keys an address or CIDR block covers; null when it is neither. */
export function ipRange(spec: string): { lo: string; hi: string } | null {
  const [addr, bits] = spec.trim().split('/') as [string, string | undefined];
  const key = ipKey(addr);
  if (!key) return null;
  const width = key.length * 4;
  const prefix = bits === undefined ? width : Number(bits);
  if (!Number.isInteger(prefix) || prefix < 0 || prefix > width) return null;
  const bin = [...key].map((c) => Number.parseInt(c, 16).toString(2).padStart(4, '0')).join('');
  const toHex = (b: string) => (b.match(/.{4}/g) ?? []).map((q) => Number.parseInt(q, 2).toString(16)).join('');
  return {
    lo: toHex(bin.slice(0, prefix).padEnd(width, '0')),
    hi: toHex(bin.slice(0, prefix).padEnd(width, '1')),
  };
}
