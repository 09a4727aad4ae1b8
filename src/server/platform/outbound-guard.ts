/**
 * The outbound guard, for every call Tocsin makes to a host it was given (probes, metric scrapes):
 * a probe reaches only http/https URLs and host:port pairs whose addresses (after
 * DNS resolution) are not link-local (cloud metadata lives at 169.254.169.254), unspecified, or in the
 * configured deny list, and — when an allow list is configured — lie inside it. The firm's services are
 * internal, so private ranges are allowed by default; loopback (this host itself: 127.0.0.0/8, ::1,
 * ::ffff:127.x) is refused unless allowed (`allowLoopback`, or inside a configured allow range), so a
 * probe cannot be used to scan the server's own ports or read its local-only pages. The check runs on
 * every resolution, and the connection goes to the address that was checked (no second lookup to rebind).
 */
import dns from 'node:dns';
import { lookup } from 'node:dns/promises';
import { isIP, type LookupFunction } from 'node:net';
import ipaddr from 'ipaddr.js';

type Range = [ipaddr.IPv4 | ipaddr.IPv6, number];

/**
 * Always refused: link-local v4 and v6 (metadata services), unspecified addresses, the v4 "this
 * network", and the metadata services that live elsewhere (Alibaba Cloud, AWS over IPv6).
 */
const BUILT_IN_DENY = ['169.254.0.0/16', 'fe80::/10', '0.0.0.0/8', '::/128', '100.100.100.200/32', 'fd00:ec2::254/128'];

/** This host itself: refused unless allowed (IPv4-mapped v6 addresses are judged as IPv4). */
const LOOPBACK = ['127.0.0.0/8', '::1/128'];

/** Why a loopback address is refused, with the ways to allow it. */
export const LOOPBACK_HINT =
  "loopback addresses (this server itself) are refused; for Tocsin's own endpoint use the target self:/path (HTTP) or self (TCP), for another local service set TOCSIN_PROBE_ALLOW_LOOPBACK=true";

/** What is reached: a URL (http, https) or a TCP host:port. */
export type OutboundKind = 'http' | 'tcp';

export class GuardRefusal extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'GuardRefusal';
  }
}

export interface Target {
  /** Host name or address as written (no brackets). */
  host: string;
  port: number;
  /** http: the parsed URL. */
  url?: URL;
}

export interface Resolved {
  address: string;
  family: 4 | 6;
}

export interface OutboundGuard {
  /** Parses a target of `kind`; throws GuardRefusal with the reason when it is malformed or a refused scheme. */
  parse(kind: OutboundKind, target: string): Target;
  /** Why `address` is refused, or null when it may be reached. */
  refusal(address: string): string | null;
  /** Resolves `host` and returns the first address, refusing when any resolved address is refused. */
  resolve(host: string): Promise<Resolved>;
}

const parseRange = (cidr: string): Range => {
  const [addr, bits] = ipaddr.parseCIDR(cidr);
  return [addr, bits];
};

export interface GuardOptions {
  denyCidrs?: string[];
  allowCidrs?: string[];
  /** Allow loopback addresses (default: refused unless inside `allowCidrs`). */
  allowLoopback?: boolean;
  resolver?: (host: string) => Promise<Resolved[]>;
}

export function createOutboundGuard(opts: GuardOptions = {}): OutboundGuard {
  const deny = [...BUILT_IN_DENY, ...(opts.denyCidrs ?? [])].map(parseRange);
  const allow = (opts.allowCidrs ?? []).map(parseRange);
  const loopback = LOOPBACK.map(parseRange);
  const resolver =
    opts.resolver ?? (async (host: string) => (await lookup(host, { all: true, verbatim: true })) as Resolved[]);

  function refusal(address: string): string | null {
    if (!ipaddr.isValid(address)) return `${address} is not an IP address`;
    // IPv4-mapped IPv6 (::ffff:169.254.169.254) is judged as the IPv4 address it is.
    const addr = ipaddr.process(address);
    const hit = deny.find((r) => r[0].kind() === addr.kind() && matches(addr, r));
    if (hit)
      return `${address} is in a refused range (${hit[0].toString()}/${hit[1]}: link-local, cloud metadata, unspecified or configured)`;
    const allowed = allow.some((r) => r[0].kind() === addr.kind() && matches(addr, r));
    if (!opts.allowLoopback && !allowed && loopback.some((r) => r[0].kind() === addr.kind() && matches(addr, r)))
      return `${address} is a loopback address: ${LOOPBACK_HINT}`;
    if (allow.length && !allowed) return `${address} is outside the allowed ranges (TOCSIN_PROBE_ALLOW_CIDRS)`;
    return null;
  }

  return {
    parse(kind, target) {
      if (kind === 'http') {
        let url: URL;
        try {
          url = new URL(target);
        } catch {
          throw new GuardRefusal('not a URL (write it as http://host[:port]/path or https://...)');
        }
        if (url.protocol !== 'http:' && url.protocol !== 'https:')
          throw new GuardRefusal(`the scheme ${url.protocol.replace(/:$/, '')} is not allowed (http and https only)`);
        if (url.username || url.password) throw new GuardRefusal('credentials in the URL are not allowed');
        const host = url.hostname.replace(/^\[|\]$/g, '');
        const port = url.port ? Number(url.port) : url.protocol === 'https:' ? 443 : 80;
        return { host, port, url };
      }
      const m = /^(?:\[([0-9a-fA-F:.]+)\]|([^:\s/[\]]+)):(\d{1,5})$/.exec(target);
      const port = m ? Number(m[3]) : NaN;
      if (!m || port < 1 || port > 65535)
        throw new GuardRefusal('write a TCP target as host:port (or [IPv6]:port), port 1–65535');
      return { host: (m[1] ?? m[2])!, port };
    },
    refusal,
    async resolve(host) {
      if (isIP(host)) {
        const why = refusal(host);
        if (why) throw new GuardRefusal(why);
        return { address: host, family: isIP(host) as 4 | 6 };
      }
      const all = await resolver(host);
      if (!all.length) throw new Error(`${host} did not resolve`);
      for (const r of all) {
        const why = refusal(r.address);
        if (why) throw new GuardRefusal(`${host} resolves to ${why}`);
      }
      return all[0]!;
    },
  };
}

function matches(addr: ipaddr.IPv4 | ipaddr.IPv6, range: Range): boolean {
  return addr.kind() === 'ipv4'
    ? (addr as ipaddr.IPv4).match(range as [ipaddr.IPv4, number])
    : (addr as ipaddr.IPv6).match(range as [ipaddr.IPv6, number]);
}

/**
 * A socket `lookup` that refuses names resolving to an address `guard` refuses: the check happens in
 * the connection's own resolution, so a name cannot pass it and then resolve elsewhere.
 */
export function lookupWithin(guard: OutboundGuard): LookupFunction {
  return (hostname, options, callback) => {
    dns.lookup(hostname, { ...options, all: true }, (err, addresses) => {
      if (err) return callback(err, '', 4);
      const list = addresses as dns.LookupAddress[];
      for (const a of list) {
        const why = guard.refusal(a.address);
        if (why) return callback(new GuardRefusal(`${hostname} resolves to ${why}`), '', 4);
      }
      if (options.all) return (callback as unknown as (e: null, a: dns.LookupAddress[]) => void)(null, list);
      const first = list[0];
      if (!first) return callback(new Error(`${hostname} has no address`), '', 4);
      callback(null, first.address, first.family);
    });
  };
}
