/**
 * A run-once scheduler that is one task at an interval (retention prunes, sweeps): while this process
 * holds the lease `scheduler:<name>` (run-once.ts) the task runs at once and then every `everyMs`; losing
 * the lease or stopping clears the interval. A failed run is told to `onError` and tried at the next tick.
 */
import type { RunningOnce, RunOnce } from './run-once.js';

export interface PeriodicTask {
  name: string;
  everyMs: number;
  run(): Promise<unknown>;
  onError(err: unknown): void;
}

export function periodic(runOnce: RunOnce, task: PeriodicTask): RunningOnce {
  let timer: NodeJS.Timeout | null = null;
  return runOnce(
    task.name,
    () => {
      const tick = () => void task.run().catch(task.onError);
      tick();
      timer = setInterval(tick, task.everyMs);
      timer.unref();
    },
    () => {
      if (timer) clearInterval(timer);
      timer = null;
    },
  );
}
