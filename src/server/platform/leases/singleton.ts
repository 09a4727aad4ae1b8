/**
 * One server process per store in the embedded mode (no NATS): `serve` holds the lease
 * `process:singleton`, renewed while it runs and given up when it stops. A second `serve` on the same
 * store is refused with the holder named — its schedulers and in-process bus would otherwise run
 * beside the first one's. A holder that died on this host (its pid is gone) is taken over at once;
 * one elsewhere, once its lease ends. With NATS configured, processes share the store freely.
 */
import os from 'node:os';
import { iso } from '../ids.js';
import type { Lease, Leases } from './leases.js';

export const SINGLETON_LEASE = 'process:singleton';

/** A second server on a store that has one (exit non-zero with this one line). */
export class SingletonRefused extends Error {
  constructor(readonly holder: Lease) {
    super(
      `another Tocsin server runs on this store: ${holder.host} pid ${holder.pid} since ${iso(holder.acquiredAt)} (its lease ends ${iso(holder.until)} unless renewed); stop it, or set TOCSIN_NATS_URL to run several processes`,
    );
  }
}

/** Whether `pid` is a live process on this host (EPERM: it is, under another user). */
function alive(pid: number): boolean {
  if (pid <= 0) return false;
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export interface Singleton {
  stop(): Promise<void>;
}

/**
 * Takes the singleton lease or throws `SingletonRefused`; then renews it every `renewMs` (unref'd
 * timer) and calls `onLost` if another process took it meanwhile (this one stalled past its lease).
 */
export async function holdSingleton(
  leases: Leases,
  opts: { ttlMs?: number; renewMs?: number; onLost?: (holder: Lease | undefined) => void } = {},
): Promise<Singleton> {
  const ttlMs = opts.ttlMs ?? 15_000;
  const renewMs = opts.renewMs ?? 5_000;
  // Twice at most: the holder may give the lease up between our attempt and our look.
  for (let attempt = 0; ; attempt++) {
    if (await leases.tryAcquire(SINGLETON_LEASE, ttlMs)) break;
    const holder = await leases.current(SINGLETON_LEASE);
    if (!holder) {
      if (attempt < 1) continue;
      throw new Error('could not take the store lease process:singleton; try again');
    }
    const deadHere = holder.host === os.hostname() && !alive(holder.pid);
    if (deadHere && (await leases.takeFrom(SINGLETON_LEASE, holder.holder, ttlMs))) break;
    if (attempt >= 1 || !deadHere) throw new SingletonRefused(holder);
  }
  let lost = false;
  const timer = setInterval(() => {
    leases.renew(SINGLETON_LEASE, ttlMs).then(
      async (ok) => {
        if (ok || lost) return;
        lost = true;
        opts.onLost?.(await leases.current(SINGLETON_LEASE).catch(() => undefined));
      },
      () => {}, // the store does not answer now: the next renewal tries again
    );
  }, renewMs);
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
      await leases.release(SINGLETON_LEASE);
    },
  };
}
