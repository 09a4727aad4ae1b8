/**
 * "self" probe targets: this Tocsin process's own listener, wherever it listens. `self:/api/v1/health`
 * (HTTP, a path on the listener) and `self` (TCP, the listener's port). They need no loopback
 * permission: they reach Tocsin's own public endpoint, not an arbitrary local port, and they follow the
 * port the server really runs on (the demo writes them, so `npm start` on any port keeps them true).
 */
import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import type { ProbeKind } from '../../../shared/probe-schemas.js';
import { connectHost } from '../../platform/listen-address.js';
import { GuardRefusal, type Resolved } from '../../platform/outbound-guard.js';

/** The listener as bound (host as configured, port as really listened on). */
export interface SelfAddress {
  host: string;
  port: number;
}

const SELF_HTTP = 'self:';

/** Whether `target` names Tocsin itself (for either kind, so a mix-up gets a clear error). */
export const isSelfTarget = (target: string) => target === 'self' || target.startsWith(SELF_HTTP);

/** Checks a self target's form; throws GuardRefusal naming the right form. */
export function parseSelfTarget(kind: ProbeKind, target: string): { path: string | null } {
  if (kind === 'tcp') {
    if (target !== 'self') throw new GuardRefusal('a TCP self probe is written "self" (this Tocsin\'s own port)');
    return { path: null };
  }
  const path = target.slice(SELF_HTTP.length);
  if (target === 'self' || !path.startsWith('/') || path.startsWith('//') || /[\s\\]/.test(path)) {
    throw new GuardRefusal(
      "an HTTP self probe is written self:/path, e.g. self:/api/v1/health (a path on this Tocsin's own listener)",
    );
  }
  return { path };
}

/** The URL and address a self probe connects to, given where the server listens. */
export async function resolveSelf(
  kind: ProbeKind,
  target: string,
  at: SelfAddress,
): Promise<{ url?: URL; addr: Resolved; port: number }> {
  const { path } = parseSelfTarget(kind, target);
  const host = connectHost(at.host);
  // A listener bound to a name (localhost) is reached at what that name resolves to, as for listen.
  const addr: Resolved = isIP(host)
    ? { address: host, family: isIP(host) as 4 | 6 }
    : ((await lookup(host)) as Resolved);
  const url =
    path === null
      ? undefined
      : new URL(path, `http://${addr.family === 6 ? `[${addr.address}]` : addr.address}:${at.port}`);
  return { url, addr, port: at.port };
}
