/**
 * One check of one probe: HTTP (status, body condition, latency; redirects not followed, body read up to
 * 64 KiB) or TCP (connect). The address connected to is the one the outbound guard approved, or for a
 * `self` target this Tocsin's own listener. A target the guard refuses is not checked: the outcome is
 * `refused` with the reason (it says nothing about the service, so it never counts as down).
 */
import http from 'node:http';
import https from 'node:https';
import net, { type LookupFunction } from 'node:net';
import type { ProbeExpect, ProbeKind, ProbeOutcome } from '../../../shared/probe-schemas.js';
import { GuardRefusal, type OutboundGuard, type Resolved } from '../../platform/outbound-guard.js';
import { isSelfTarget, resolveSelf, type SelfAddress } from './self-target.js';

/** The most of a body read for conditions. */
export const BODY_LIMIT = 64 * 1024;
/** Accepted statuses when a probe names none (redirects are answers, not followed). */
export const DEFAULT_STATUS: [number, number][] = [[200, 399]];

export interface CheckSpec {
  kind: ProbeKind;
  target: string;
  timeoutMs: number;
  expect: ProbeExpect;
  /** A compiled `expect.bodyRegex`. */
  bodyTest?: (body: string) => boolean;
}

export interface CheckResult {
  outcome: ProbeOutcome;
  latencyMs: number;
  status: number | null;
  error: string | null;
}

const elapsed = (t0: bigint) => Math.max(0, Math.round(Number(process.hrtime.bigint() - t0) / 1e6));

const statusOk = (status: number, expect: ProbeExpect) =>
  (expect.status ?? DEFAULT_STATUS).some((m) =>
    typeof m === 'number' ? m === status : status >= m[0] && status <= m[1],
  );

const describeStatus = (expect: ProbeExpect) =>
  (expect.status ?? DEFAULT_STATUS).map((m) => (typeof m === 'number' ? String(m) : `${m[0]}–${m[1]}`)).join(', ');

/** Where the target is reached: through the guard, or this Tocsin's own listener for a self target. */
async function endpoint(
  spec: CheckSpec,
  guard: OutboundGuard,
  self: SelfAddress | null,
): Promise<{ url?: URL; addr: Resolved; port: number }> {
  if (isSelfTarget(spec.target)) {
    if (!self) throw new GuardRefusal("a self probe checks this Tocsin's own listener, and it is not listening (yet)");
    return resolveSelf(spec.kind, spec.target, self);
  }
  const target = guard.parse(spec.kind, spec.target);
  const addr = await withTimeout(guard.resolve(target.host), spec.timeoutMs, 'name resolution');
  return { url: target.url, addr, port: target.port };
}

/**
 * Runs the check; never throws (every failure is a `down` result with its reason, a target the guard
 * refuses a `refused` one). `self` is where this Tocsin listens, for self targets.
 */
export async function runCheck(
  spec: CheckSpec,
  guard: OutboundGuard,
  signal?: AbortSignal,
  self: SelfAddress | null = null,
): Promise<CheckResult> {
  const t0 = process.hrtime.bigint();
  try {
    const target = await endpoint(spec, guard, self);
    const addr = target.addr;
    const left = Math.max(1, spec.timeoutMs - elapsed(t0));
    const r =
      spec.kind === 'http'
        ? await httpCheck(target.url!, addr, left, spec, signal)
        : await tcpCheck(addr, target.port, left, spec.timeoutMs, signal);
    const latencyMs = elapsed(t0);
    if (r.error) return { outcome: 'down', latencyMs, status: r.status, error: r.error };
    const max = spec.expect.maxLatencyMs;
    if (max !== undefined && latencyMs > max)
      return { outcome: 'degraded', latencyMs, status: r.status, error: `latency ${latencyMs} ms over ${max} ms` };
    return { outcome: 'up', latencyMs, status: r.status, error: null };
  } catch (err) {
    return {
      outcome: err instanceof GuardRefusal ? 'refused' : 'down',
      latencyMs: elapsed(t0),
      status: null,
      error: reason(err),
    };
  }
}

function reason(err: unknown): string {
  if (err instanceof GuardRefusal) return `refused by the outbound guard: ${err.message}`;
  const e = err as NodeJS.ErrnoException;
  const known: Record<string, string> = {
    ECONNREFUSED: 'connection refused',
    ECONNRESET: 'connection reset',
    ENOTFOUND: 'host not found',
    EAI_AGAIN: 'name resolution failed (temporary)',
    EHOSTUNREACH: 'host unreachable',
    ENETUNREACH: 'network unreachable',
    ETIMEDOUT: 'timed out',
    CERT_HAS_EXPIRED: 'TLS certificate has expired',
    DEPTH_ZERO_SELF_SIGNED_CERT: 'TLS certificate is self-signed',
    ERR_TLS_CERT_ALTNAME_INVALID: 'TLS certificate does not name the host',
  };
  if (e?.name === 'TimeoutError' || e?.name === 'AbortError')
    return e.message.startsWith('timed out') ? e.message : 'timed out';
  return (e?.code && known[e.code]) ?? (e?.message || String(err)).slice(0, 300);
}

class TimedOut extends Error {
  constructor(what: string, ms: number) {
    super(`timed out after ${ms} ms (${what})`);
    this.name = 'TimeoutError';
  }
}

function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout;
  return Promise.race([
    p,
    new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new TimedOut(what, ms)), ms))),
  ]).finally(() => clearTimeout(timer));
}

/** A lookup that answers with the already approved address (so DNS cannot change it between check and connect). */
const pinned = (addr: Resolved): LookupFunction =>
  ((_host: string, opts: { all?: boolean }, cb: (...args: unknown[]) => void) => {
    if (opts?.all) cb(null, [{ address: addr.address, family: addr.family }]);
    else cb(null, addr.address, addr.family);
  }) as unknown as LookupFunction;

function httpCheck(
  url: URL,
  addr: Resolved,
  timeoutMs: number,
  spec: CheckSpec,
  outer?: AbortSignal,
): Promise<{ status: number | null; error: string | null }> {
  return new Promise((resolve, reject) => {
    const signal = AbortSignal.any([AbortSignal.timeout(timeoutMs), ...(outer ? [outer] : [])]);
    const lib = url.protocol === 'https:' ? https : http;
    const req = lib.request(url, {
      method: 'GET',
      lookup: pinned(addr),
      signal,
      headers: { 'user-agent': 'Tocsin-probe/1', accept: '*/*' },
      agent: false,
    });
    req.on('error', (err) =>
      reject(signal.aborted && outer?.aborted !== true ? new TimedOut('HTTP', spec.timeoutMs) : err),
    );
    req.on('response', (res) => {
      const status = res.statusCode ?? 0;
      const chunks: Buffer[] = [];
      let size = 0;
      let done = false;
      const finish = () => {
        if (done) return;
        done = true;
        res.destroy();
        const body = Buffer.concat(chunks).subarray(0, BODY_LIMIT).toString('utf8');
        resolve({ status, error: judge(status, body, spec) });
      };
      res.on('data', (c: Buffer) => {
        chunks.push(c);
        size += c.length;
        if (size >= BODY_LIMIT) finish();
      });
      res.on('end', finish);
      res.on('error', (err) =>
        done ? undefined : reject(signal.aborted ? new TimedOut('HTTP body', spec.timeoutMs) : err),
      );
    });
    req.end();
  });
}

/** Why a response fails the probe's conditions, or null. */
export function judge(status: number, body: string, spec: CheckSpec): string | null {
  const e = spec.expect;
  if (!statusOk(status, e)) return `status ${status}, expected ${describeStatus(e)}`;
  if (e.bodyContains !== undefined && !body.includes(e.bodyContains))
    return `body does not contain "${e.bodyContains.slice(0, 100)}"`;
  if (spec.bodyTest && !spec.bodyTest(body)) return `body does not match /${(e.bodyRegex ?? '').slice(0, 100)}/`;
  return null;
}

function tcpCheck(
  addr: Resolved,
  port: number,
  timeoutMs: number,
  configured: number,
  outer?: AbortSignal,
): Promise<{ status: null; error: null }> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: addr.address, port, family: addr.family });
    const timer = setTimeout(() => fail(new TimedOut('TCP connect', configured)), timeoutMs);
    const onAbort = () => fail(new Error('stopped'));
    outer?.addEventListener('abort', onAbort, { once: true });
    function cleanup() {
      clearTimeout(timer);
      outer?.removeEventListener('abort', onAbort);
      socket.destroy();
    }
    function fail(err: Error) {
      cleanup();
      reject(err);
    }
    socket.once('connect', () => {
      cleanup();
      resolve({ status: null, error: null });
    });
    socket.once('error', fail);
  });
}
