/**
 * Stage two of detection across processes (docs/ARCHITECTURE.md, "Detection across processes"): the
 * correlation partitions this worker owns (`stage-two-ownership.ts`), each rebuilt from the stream
 * `P_corr` and fed from it (`stage-two-partition.ts`), ticked with the wall clock every second (these
 * ticks replace `detection.startTicking()` for correlations in the NATS mode); matches go to `raise`
 * in order, one drain at a time.
 */
import { randomBytes } from 'node:crypto';
import os from 'node:os';
import type { Nats } from '../../../platform/cluster/nats.js';
import type { RuleMatch } from '../detection.types.js';
import { matchQueue, ticker, type PipelineStats, type RuleHits } from '../pipeline.js';
import { ensureCorrStream } from './corr-messages.js';
import { resolveSampleEvents } from './sample-events.js';
import { createCheckpoints } from './stage-two-checkpoint.js';
import { createOwnership } from './stage-two-ownership.js';
import {
  startPartition,
  type BodyCorrelator,
  type PartitionCorrelator,
  type PartitionRun,
} from './stage-two-partition.js';

export interface StageTwoOptions {
  nats: Nats;
  /** This worker's id in `P_owners` (default: host, pid and a random part). */
  id?: string;
  /** TOCSIN_CORRELATION_PARTITIONS: the same in every process. */
  partitions: number;
  /** How long `P_corr` keeps feeds (ms). */
  retentionMs: number;
  /**
   * The live rule set for stage two (`rules.correlators(partitions)` of the rule service): a factory of
   * fresh correlators, and the correlations' timespans (ms) to warn about those the stream does not keep
   * long enough. Asked at start and on every rule change.
   */
  correlators: () => {
    /** A correlator here, or one on the engine thread. */
    create: () => PartitionCorrelator | BodyCorrelator;
    timespans?: { ruleId: string; ms: number }[];
    /** Equal for equal correlators: a rule change that leaves it restarts nothing. */
    signature?: string;
  };
  raise: (matches: RuleMatch[]) => Promise<unknown>;
  /** Wall clock (epoch ms; default Date.now). */
  now?: () => number;
  /** Ownership: TTL of a key not renewed (default 6 s) and time between renewals (default 1.5 s). */
  ttlMs?: number;
  renewMs?: number;
  /** Between wall-clock ticks of the correlators (default 1 s). */
  tickMs?: number;
  onError?: (err: unknown, where: string) => void;
  /** Per owned partition at each tick, its lag (consumer `corr-<p>`), and 0 once it stops here (telemetry.setLag). */
  onLag?: (consumer: string, pending: number) => void;
  /** Operational notes (a partition taken or given, retention shorter than a timespan). */
  log?: (level: 'info' | 'warn', msg: string) => void;
}

export interface StageTwo {
  readonly id: string;
  /** Creates the stream if needed, claims a fair share of the partitions and starts them. */
  start(): Promise<void>;
  /** Graceful: partitions stopped and given back at once (others take them at their next round), matches raised. */
  stop(): Promise<void>;
  /** Abrupt end without giving anything back, as a killed process (tests): keys expire after the TTL. */
  kill(): Promise<void>;
  /**
   * The rule set changed: when its correlators differ (signature), every owned partition starts again
   * with a new correlator, replaying the stream (the retention warning is checked again).
   */
  rulesChanged(): void;
  owned(): number[];
  /** Per owned partition: messages of the stream not yet read (for /metrics), and whether its replay is done. */
  lag(): { partition: number; pending: number; caughtUp: boolean }[];
  /** Resolves when every match handed over so far has been raised. */
  idle(): Promise<void>;
  takeHits(): RuleHits;
  stats: PipelineStats;
}

const defaultId = () =>
  `${os.hostname()}-${process.pid}-${randomBytes(3).toString('hex')}`.replace(/[^A-Za-z0-9_-]/g, '_').slice(0, 100);

export function createStageTwo(o: StageTwoOptions): StageTwo {
  const id = o.id ?? defaultId();
  const now = o.now ?? Date.now;
  const onError =
    o.onError ??
    ((err: unknown, where: string) =>
      process.stderr.write(`tocsin: correlation ${where} failed: ${(err as Error).message}\n`));
  const log = o.log ?? (() => {});
  // The sample events of the matches are references into the event stream until they are raised.
  const q = matchQueue({
    raise: async (matches) => o.raise(await resolveSampleEvents(o.nats, matches)),
    onError,
    now,
  });
  /** Partitions started or starting (a start that failed is retried at the next tick while we own it). */
  const runs = new Map<number, Promise<PartitionRun | null>>();
  const started = new Map<number, PartitionRun>();
  let closed = false;
  const checkpoints = createCheckpoints(o.nats);
  let rules: ReturnType<StageTwoOptions['correlators']> | null = null;
  /** Takes the current rule set, warning about correlations longer than the stream keeps feeds; false when its correlators are the same as before. */
  function loadRules(): boolean {
    const before = rules?.signature;
    rules = o.correlators();
    if (before !== undefined && rules.signature === before) return false;
    for (const t of rules.timespans ?? [])
      if (t.ms > o.retentionMs)
        log(
          'warn',
          `correlation ${t.ruleId} spans ${Math.round(t.ms / 60_000)} min, longer than P_corr keeps feeds (TOCSIN_CORRELATION_RETENTION_MINUTES=${Math.round(o.retentionMs / 60_000)}): a partition taken over rebuilds only what the stream keeps`,
        );
    return true;
  }

  function run(p: number): void {
    const starting = checkpoints
      .read(p)
      .then((raisedUpTo) =>
        startPartition({
          nats: o.nats,
          partition: p,
          correlator: rules!.create,
          raisedUpTo,
          holds: () => ownership.holds(p),
          hand: (matches) => q.hand(matches),
          onError,
        }),
      )
      .then(
        (r) => {
          if (runs.get(p) === starting) started.set(p, r);
          else void r.stop(); // lost (or restarted) while starting
          return r;
        },
        (err: unknown) => {
          onError(err, `partition ${p} start`);
          if (runs.get(p) === starting) runs.delete(p); // tried again at the next tick
          return null;
        },
      );
    runs.set(p, starting);
  }

  async function halt(p: number): Promise<void> {
    if (runs.has(p)) o.onLag?.(`corr-${p}`, 0);
    const starting = runs.get(p);
    runs.delete(p);
    started.delete(p);
    const r = await starting;
    await r?.stop();
  }

  const ownership = createOwnership({
    nats: o.nats,
    id,
    partitions: o.partitions,
    ttlMs: o.ttlMs,
    renewMs: o.renewMs,
    now,
    onGained: (p) => {
      log('info', `correlation partition ${p} taken by ${id}`);
      run(p);
    },
    onLost: (p, why) => {
      log(why === 'lost' ? 'warn' : 'info', `correlation partition ${p} ${why} by ${id}`);
      void halt(p);
    },
    onError,
  });

  /** Records how far each owned partition's matches are raised, once they are (one write at a time). */
  let checkpointing: Promise<void> | null = null;
  function checkpoint(): void {
    if (checkpointing) return;
    const handed = [...started].filter(([p]) => ownership.holds(p)).map(([p, r]) => [p, r.handedSeq()] as const);
    checkpointing = q
      .drained()
      .then(() => Promise.all(handed.map(([p, seq]) => checkpoints.write(p, seq))))
      .then(
        () => {},
        (err: unknown) => onError(err, 'checkpoint'),
      )
      .finally(() => {
        checkpointing = null;
      });
  }

  const timer = ticker(() => {
    const t = now();
    for (const r of [...started.values()]) {
      if (r.failed()) {
        // Its correlator was lost with the engine thread: rebuild it from the stream.
        void halt(r.partition);
        if (!closed && ownership.holds(r.partition)) run(r.partition);
        continue;
      }
      r.tick(t);
      o.onLag?.(`corr-${r.partition}`, r.pending());
    }
    checkpoint();
    // A partition we own whose start failed: try again.
    if (!closed) for (const p of ownership.owned()) if (!runs.has(p) && ownership.holds(p)) run(p);
  });

  return {
    id,
    stats: q.stats,
    async start() {
      closed = false;
      await ensureCorrStream(o.nats.jsm, o.nats.prefix, o.retentionMs);
      loadRules();
      await ownership.start();
      timer.start(o.tickMs ?? 1000);
    },
    async stop() {
      closed = true;
      timer.stop();
      await checkpointing;
      // Stop reading, raise what was handed over, record how far, then give the partitions back.
      const last = [...started];
      await Promise.all([...runs.keys()].map(halt));
      await q.drained();
      await Promise.all(last.map(([p, r]) => checkpoints.write(p, r.handedSeq()))).catch((err: unknown) =>
        onError(err, 'checkpoint'),
      );
      await ownership.stop();
    },
    async kill() {
      closed = true;
      timer.stop();
      ownership.abandon();
      await Promise.all([...runs.keys()].map(halt));
    },
    rulesChanged() {
      try {
        if (!loadRules()) return; // no correlation changed: no replay
      } catch (err) {
        onError(err, 'rules'); // the partitions keep the rule set they have
        return;
      }
      for (const p of [...runs.keys()]) {
        void halt(p);
        if (ownership.holds(p)) run(p);
      }
    },
    owned: () => ownership.owned(),
    lag: () =>
      ownership.owned().map((p) => {
        const r = started.get(p);
        return { partition: p, pending: r?.pending() ?? 0, caughtUp: r?.caughtUp() ?? false };
      }),
    idle: () => q.drained(),
    takeHits: () => q.takeHits(),
  };
}
