/**
 * The probe scheduler: every tick it starts the probes that are due (each at its interval plus jitter;
 * the list is read from the store each tick, so added, changed and removed probes apply without a
 * restart) and now and then prunes old results. Started and stopped with the server.
 */
import type { Clock } from '../../platform/ids.js';
import type { ProbeService } from './probe.service.js';

export interface ProbeScheduler {
  /**
   * Stops scheduling; by default also aborts the checks under way and waits for them to be recorded
   * (`abortChecks: false` lets them finish and leaves the probe service usable by a later scheduler:
   * another process took the scheduler's lease).
   */
  stop(opts?: { abortChecks?: boolean }): Promise<void>;
  /** Ticks finished so far (for tests that wait for the scheduler to have looked again). */
  ticks(): number;
}

export function startProbeScheduler(
  probes: ProbeService,
  opts: { clock: Clock; tickMs?: number; pruneEveryMs?: number; onError?: (err: unknown, where: string) => void },
): ProbeScheduler {
  const tickMs = opts.tickMs ?? 1000;
  const pruneEvery = opts.pruneEveryMs ?? 10 * 60_000;
  const onError = opts.onError ?? (() => {});
  let lastPrune = 0;
  let ticking: Promise<void> | null = null;
  let stopped = false;
  let ticks = 0;

  const tick = async () => {
    const now = opts.clock.now();
    // Start what is due without waiting for slow checks: the next tick starts the others.
    await probes.runDue(now, { wait: false }).catch((err) => onError(err, 'probe scheduling'));
    if (now - lastPrune >= pruneEvery) {
      lastPrune = now;
      await probes.prune(now).catch((err) => onError(err, 'probe result pruning'));
    }
    ticks++;
  };
  const timer = setInterval(() => {
    if (stopped || ticking) return;
    ticking = tick().finally(() => (ticking = null));
  }, tickMs);
  timer.unref();

  return {
    ticks: () => ticks,
    async stop({ abortChecks = true } = {}) {
      stopped = true;
      clearInterval(timer);
      await ticking;
      if (abortChecks) await probes.stop();
    },
  };
}
