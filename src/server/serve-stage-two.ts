/**
 * Stage two of detection across processes on a worker (role `worker` or `all` with TOCSIN_NATS_URL):
 * this process's share of the correlation partitions (docs/ARCHITECTURE.md, "Detection across
 * processes"), with the live rule set, raising through alert intake, restarted on every rule change,
 * its lag per partition in /metrics.
 */
import type { Services } from './compose.js';
import type { Config } from './platform/config.js';
import type { Logger } from './platform/logger.js';
import { createStageTwo, type StageTwo } from './modules/detection/cluster/stage-two.js';

export interface RunningStageTwo {
  stageTwo: StageTwo;
  /** Graceful: partitions given back, matches raised (the shared NATS connection stays for `services.close()`). */
  stop(): Promise<void>;
}

export async function startStageTwo(
  services: Services,
  config: Config,
  logger: Logger,
): Promise<RunningStageTwo | null> {
  const nats = services.nats;
  if (!nats) return null;
  const { correlationPartitions: partitions, correlationRetentionMs: retentionMs } = config.detection;
  const stageTwo = createStageTwo({
    nats,
    partitions,
    retentionMs,
    correlators: () => services.rules.correlators(partitions),
    raise: (matches) => services.alerts.raise(matches),
    now: () => services.clock.now(),
    onError: (err, where) => logger.error({ err }, `correlation ${where} failed`),
    onLag: (consumer, n) => services.telemetry.setLag(consumer, n),
    log: (level, msg) => logger[level](msg),
  });
  services.rules.onRebuilt(() => stageTwo.rulesChanged());
  services.rules.countHitsOf(stageTwo);
  services.telemetry.watchPartitions(() => ({
    owned: stageTwo.owned().length,
    pending: stageTwo.lag().reduce((n, p) => n + p.pending, 0),
  }));
  await stageTwo.start();
  logger.info({ worker: stageTwo.id, partitions: stageTwo.owned() }, 'correlation partitions owned');
  return {
    stageTwo,
    stop: () => stageTwo.stop(),
  };
}
