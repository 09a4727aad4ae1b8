/**
 * The context a kind runs in: its configuration, its decrypted secrets, and outbound calls limited to
 * the connector's allowed hosts and to what the outbound guard allows. Loopback addresses are reached
 * only when the allowed hosts name them (`127.0.0.1`, `::1`, `localhost`) or TOCSIN_PROBE_ALLOW_LOOPBACK
 * is true; link-local and cloud metadata addresses never.
 */
import ipaddr from 'ipaddr.js';
import type { Clock } from '../../platform/ids.js';
import { createOutboundGuard, GuardRefusal, type Resolved } from '../../platform/outbound-guard.js';
import type { ConnectorContext } from './connector-kind.js';
import { guardedRequest } from './outbound-http.js';

export interface GuardSettings {
  /** Refused besides link-local, metadata and unspecified addresses (TOCSIN_PROBE_DENY_CIDRS). */
  denyCidrs?: string[];
  /** TOCSIN_PROBE_ALLOW_LOOPBACK. */
  allowLoopback?: boolean;
  /** Name resolution (tests). */
  resolver?: (host: string) => Promise<Resolved[]>;
}

const normalHost = (h: string) => h.toLowerCase().replace(/^\[|\]$/g, '');

const isLoopbackName = (h: string) => {
  const n = normalHost(h);
  if (n === 'localhost') return true;
  if (!ipaddr.isValid(n)) return false;
  return ipaddr.process(n).range() === 'loopback';
};

export function connectorContext<C, S>(input: {
  name: string;
  config: C;
  secrets: S;
  allowedHosts: string[];
  guard: GuardSettings;
  clock: Clock;
}): ConnectorContext<C, S> {
  const allowed = new Set(input.allowedHosts.map(normalHost));
  const guard = createOutboundGuard({
    denyCidrs: input.guard.denyCidrs,
    allowLoopback: input.guard.allowLoopback === true || input.allowedHosts.some(isLoopbackName),
    resolver: input.guard.resolver,
  });
  const check = (host: string) => {
    if (!allowed.has(normalHost(host)))
      throw new GuardRefusal(
        `${host} is not among the allowed hosts of connector ${input.name} (${[...allowed].join(', ') || 'none'})`,
      );
  };
  return {
    name: input.name,
    config: input.config,
    secrets: input.secrets,
    async http(req) {
      let host: string;
      try {
        host = new URL(req.url).hostname;
      } catch {
        throw new GuardRefusal('not a valid URL');
      }
      check(host);
      return guardedRequest(guard, req);
    },
    async resolve(host) {
      check(host);
      return guard.resolve(normalHost(host));
    },
    now: () => input.clock.now(),
  };
}
