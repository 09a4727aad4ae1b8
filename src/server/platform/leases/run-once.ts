/**
 * Schedulers that must run in one process at a time (probes, metric scrapes, retention): each runs
 * only while its process holds the lease `scheduler:<name>` (15 s, renewed every 5 s). Every process
 * asks for the lease on each round; the holder renews it. When the holder dies its renewals stop, the
 * lease ends, and the next process to ask takes it and starts the scheduler there. A holder that
 * cannot renew (the store says another took it) stops its scheduler at once; one that cannot reach the
 * store keeps running until its lease would have ended, then stops.
 */
import type { Clock } from '../ids.js';
import type { Leases } from './leases.js';

export const SCHEDULER_LEASE_MS = 15_000;
export const SCHEDULER_RENEW_MS = 5_000;

export interface RunOnceOptions {
  leases: Leases;
  clock: Clock;
  ttlMs?: number;
  renewMs?: number;
  /** false: no timer; the caller calls `round()` (tests, with a test clock). Default true. */
  timers?: boolean;
  onError?: (err: unknown, where: string) => void;
  /** Told when this process takes or loses a scheduler's lease. */
  onChange?: (name: string, held: boolean) => void;
}

/** One scheduler under its lease. */
export interface RunningOnce {
  /** Asks for the lease (or renews it) and starts or stops the scheduler accordingly. */
  round(): Promise<void>;
  /** Whether this process runs the scheduler now. */
  held(): boolean;
  /** Stops asking, stops the scheduler if it runs here, and gives the lease up. */
  stop(): Promise<void>;
}

/** Returns `runOnce(name, start, stop)`: `start` runs the scheduler (when the lease is taken), `stop` ends it. */
export function createRunOnce(opts: RunOnceOptions) {
  const ttlMs = opts.ttlMs ?? SCHEDULER_LEASE_MS;
  const renewMs = opts.renewMs ?? SCHEDULER_RENEW_MS;
  const onError = opts.onError ?? (() => {});
  const { leases, clock } = opts;

  return function runOnce(
    name: string,
    start: () => void | Promise<void>,
    stop: () => void | Promise<void>,
  ): RunningOnce {
    const lease = `scheduler:${name}`;
    let holding = false;
    /** When the lease ends unless renewed (as far as this process knows). */
    let until = 0;
    let busy: Promise<void> | null = null;
    let stopped = false;

    async function lose(): Promise<void> {
      holding = false;
      opts.onChange?.(name, false);
      try {
        await stop();
      } catch (err) {
        onError(err, `stopping ${name}`);
      }
    }

    async function step(): Promise<void> {
      const now = clock.now();
      if (holding) {
        let renewed: boolean;
        try {
          renewed = await leases.renew(lease, ttlMs);
        } catch (err) {
          onError(err, `renewing the lease ${lease}`);
          // The store does not answer: the lease is ours until it would have ended.
          if (clock.now() < until) return;
          renewed = false;
        }
        if (renewed) until = now + ttlMs;
        else await lose();
        return;
      }
      let taken: boolean;
      try {
        taken = await leases.tryAcquire(lease, ttlMs);
      } catch (err) {
        onError(err, `taking the lease ${lease}`);
        return;
      }
      if (!taken || stopped) {
        if (taken) await leases.release(lease).catch(() => {});
        return;
      }
      holding = true;
      until = now + ttlMs;
      opts.onChange?.(name, true);
      try {
        await start();
      } catch (err) {
        onError(err, `starting ${name}`);
        holding = false;
        await leases.release(lease).catch(() => {});
      }
    }

    const round = (): Promise<void> => {
      if (stopped) return Promise.resolve();
      busy ??= step().finally(() => {
        busy = null;
      });
      return busy;
    };

    let timer: NodeJS.Timeout | null = null;
    if (opts.timers !== false) {
      void round();
      timer = setInterval(() => void round(), renewMs);
      timer.unref();
    }

    return {
      round,
      held: () => holding,
      async stop() {
        stopped = true;
        if (timer) clearInterval(timer);
        timer = null;
        await busy;
        if (!holding) return;
        await lose();
        await leases.release(lease).catch((err) => onError(err, `releasing the lease ${lease}`));
      },
    };
  };
}

/** `runOnce(name, start, stop)` as createRunOnce returns it. */
export type RunOnce = ReturnType<typeof createRunOnce>;
