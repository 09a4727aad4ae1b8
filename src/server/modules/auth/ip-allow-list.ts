/** IP allow-lists of the session policy: CIDR blocks (IPv4 and IPv6) parsed and matched with ipaddr.js. */
import ipaddr from 'ipaddr.js';

type Range = [ipaddr.IPv4 | ipaddr.IPv6, number];
/** A compiled allow-list; empty allows every address. */
export type AllowList = readonly Range[];

/** An address or CIDR block as a range (an address alone is /32 or /128), or null when it is neither. */
export function parseRange(entry: string): Range | null {
  const s = entry.trim();
  try {
    if (s.includes('/')) {
      const [addr, bits] = ipaddr.parseCIDR(s);
      // `::ffff:10.0.0.0/104` and the like: match the IPv4 clients they mean.
      if (addr.kind() === 'ipv6' && (addr as ipaddr.IPv6).isIPv4MappedAddress() && bits >= 96)
        return [(addr as ipaddr.IPv6).toIPv4Address(), bits - 96];
      return [addr, bits];
    }
    if (!ipaddr.isValid(s)) return null;
    const addr = ipaddr.process(s);
    return [addr, addr.kind() === 'ipv4' ? 32 : 128];
  } catch {
    return null;
  }
}

/** The entries that are not an address or CIDR block, with their index. */
export function badEntries(entries: readonly string[]): { index: number; entry: string }[] {
  return entries.flatMap((entry, index) => (parseRange(entry) ? [] : [{ index, entry }]));
}

export function compileAllowList(entries: readonly string[]): AllowList {
  return entries.map(parseRange).filter((r): r is Range => r !== null);
}

/** Whether `ip` (as Fastify's `req.ip` gives it; IPv4-mapped IPv6 counts as IPv4) is on the list; an empty list allows all. */
export function addressAllowed(list: AllowList, ip: string): boolean {
  if (list.length === 0) return true;
  if (!ipaddr.isValid(ip)) return false;
  const addr = ipaddr.process(ip);
  return list.some(([net, bits]) => net.kind() === addr.kind() && addr.match(net, bits));
}
