/**
 * The live detection path: ingested events -> engine -> alerts (asynchronous, in batches, one drain
 * at a time so alerts keep the order their events had). The engine runs in the ingest call here
 * (`createDetectionPipeline`) or on a worker thread (`createWorkerPipeline`, worker-pipeline.ts).
 * A timer (started by the server) ticks the engine with the wall clock every second, so correlation
 * windows that only the passing of time closes ("fewer than 5 heartbeats in 5 minutes") close while
 * no events arrive; their matches take the same path.
 */
import type { DetectionEngine, DetectionEvent, EventAdmission, RuleMatch } from './detection.types.js';
import { evaluateMessages, type MessagesEvaluation } from './cluster/stage-one-eval.js';
import type { BodyCorrelator } from './cluster/stage-two-partition.js';

export interface PipelineStats {
  events: number;
  matches: number;
  /** Matches dropped because alerts could not keep up (the backlog was full), or lost with a worker. */
  dropped: number;
  raiseErrors: number;
}

/** Matches per rule id since the counters were last taken, and when the last one was counted (epoch ms). */
export type RuleHits = Map<string, { hits: number; lastAt: number }>;

export interface DetectionPipeline {
  /**
   * Hands a batch of events to detection. In the ingest call it never throws; on a worker thread it
   * throws a 503 problem with Retry-After when the worker is too far behind (the sender should retry
   * then), and a 413 one for a batch larger than it can ever hold (retrying would never help).
   */
  sink(events: DetectionEvent[]): void;
  /**
   * Holds room for `count` events (an upper bound) of one request, before any is handed over: throws
   * like `sink` when there is none; what is handed through the admission is then never refused.
   */
  admit(count: number): EventAdmission;
  /**
   * Stage one (detection across processes) of event-stream messages as they arrived (bytes, each a
   * JSON array of events): per message its feeds grouped by correlation partition and encoded (or why
   * it could not be read or evaluated), and the detection matches of all, returned rather than raised
   * (the caller raises them and acknowledges the messages). Matches count in the per-rule hits. On a
   * worker thread the bytes are evaluated there. Rejects when there is no engine to evaluate them
   * (the caller leaves the batch to be redelivered). With `activity`, each message's account activity
   * too (stage one feeds the activity index at scale). With `seqs` (each message's stream sequence), the
   * feeds reference their events instead of carrying them (corr-format.ts `referencingFeeds`).
   */
  evaluateMessages(
    datas: Uint8Array[],
    partitions: number,
    activity?: boolean,
    seqs?: number[],
  ): Promise<MessagesEvaluation>;
  /**
   * Stage two: a correlator of one partition on the engine thread, compiled there from the live rule
   * set (the bodies of its `P_corr` messages go there as bytes; only matches come back). Absent on the
   * event-loop pipeline, where stage two compiles its correlators itself.
   */
  openCorrelator?(o: { latenessMs?: number; memoryBytes?: number }): BodyCorrelator;
  /** Builds the engine now rather than on the first event (at server start). */
  warm(): void;
  /** Resolves when every event handed over so far has been through the engine and its matches raised. */
  idle(): Promise<void>;
  /**
   * Swaps in a newly built engine for the next batch (rules changed). Correlation state (open
   * windows) of the old engine is dropped; matches already handed over are still raised.
   */
  replaceEngine(engine: DetectionEngine): void;
  /** The per-rule match counters since the last call, resetting them (flushed to the store in batches). */
  takeHits(): RuleHits;
  /** Ticks the engine with the wall clock now (the timer does this; tests call it). Never throws. */
  tick(): void;
  /** Starts ticking every `intervalMs` (default 1,000; the timer does not keep the process alive). */
  startTicking(intervalMs?: number): void;
  stopTicking(): void;
  /** Stops ticking and ends the worker thread, if any. */
  close(): Promise<void>;
  stats: PipelineStats;
}

export interface PipelineDeps {
  loadEngine: () => DetectionEngine;
  raise: (matches: RuleMatch[]) => Promise<unknown>;
  onError: (err: unknown, where: 'engine' | 'raise') => void;
  /** Most matches waiting for the alert store (default 100,000). */
  maxBacklog?: number;
  /** Most matches per raise call (default 500). */
  batch?: number;
  /** Wall clock for ticks and the hit counters' last-hit time (default Date.now). */
  now?: () => number;
  /** Told how long the engine took for each batch of events (seconds), for /metrics. */
  onEngineTime?: (seconds: number) => void;
}

/** Matches on their way to the alert store: counted (per rule too), queued with a bound, raised in order. */
export function matchQueue(deps: Pick<PipelineDeps, 'raise' | 'onError' | 'maxBacklog' | 'batch' | 'now'>) {
  const maxBacklog = deps.maxBacklog ?? 100_000;
  const batch = deps.batch ?? 500;
  const stats: PipelineStats = { events: 0, matches: 0, dropped: 0, raiseErrors: 0 };
  const backlog: RuleMatch[] = [];
  let draining: Promise<void> | null = null;
  let hits: RuleHits = new Map();
  const now = deps.now ?? Date.now;

  /** Counts matches, per rule too. */
  function count(matches: RuleMatch[]): void {
    stats.matches += matches.length;
    const at = now();
    for (const m of matches) {
      const h = hits.get(m.ruleId);
      if (h) {
        h.hits++;
        h.lastAt = at;
      } else hits.set(m.ruleId, { hits: 1, lastAt: at });
    }
  }

  function drain(): void {
    if (draining) return;
    draining = (async () => {
      while (backlog.length) {
        const next = backlog.splice(0, batch);
        try {
          await deps.raise(next);
        } catch (err) {
          stats.raiseErrors++;
          deps.onError(err, 'raise');
        }
      }
      draining = null;
    })();
  }

  return {
    stats,
    now,
    count,
    /** Counts matches (per rule too) and queues them for the alert store. */
    hand(matches: RuleMatch[]): void {
      if (!matches.length) return;
      count(matches);
      const room = maxBacklog - backlog.length;
      if (matches.length > room) stats.dropped += matches.length - Math.max(0, room);
      if (room > 0) backlog.push(...matches.slice(0, room));
      drain();
    },
    takeHits(): RuleHits {
      const taken = hits;
      hits = new Map();
      return taken;
    },
    async drained(): Promise<void> {
      while (draining) await draining;
    },
  };
}

/** A repeating tick, unref'd (it does not keep the process alive). */
export function ticker(tick: () => void) {
  let timer: NodeJS.Timeout | null = null;
  return {
    start(intervalMs = 1000) {
      if (timer) return;
      timer = setInterval(tick, intervalMs);
      timer.unref();
    },
    stop() {
      if (timer) clearInterval(timer);
      timer = null;
    },
  };
}

/** The engine in the ingest call, on the event loop. */
export function createDetectionPipeline(deps: PipelineDeps): DetectionPipeline {
  const q = matchQueue(deps);
  let engine: DetectionEngine | null = null;
  const getEngine = () => (engine ??= deps.loadEngine());

  function tick(): void {
    // Before the first event there is no engine and nothing to close.
    if (!engine?.tick) return;
    let matches: RuleMatch[];
    try {
      matches = engine.tick(q.now());
    } catch (err) {
      deps.onError(err, 'engine');
      return;
    }
    q.hand(matches);
  }
  const timer = ticker(tick);

  function sink(events: DetectionEvent[]): void {
    q.stats.events += events.length;
    let matches: RuleMatch[];
    try {
      const engine = getEngine();
      const began = performance.now();
      matches = engine.process(events);
      deps.onEngineTime?.((performance.now() - began) / 1000);
    } catch (err) {
      deps.onError(err, 'engine');
      return;
    }
    q.hand(matches);
  }

  return {
    stats: q.stats,
    warm: () => void getEngine(),
    sink,
    async evaluateMessages(datas, partitions, activity, seqs) {
      const result = evaluateMessages(getEngine(), datas, partitions, activity, seqs);
      for (const o of result.outcomes) if ('events' in o) q.stats.events += o.events;
      q.count(result.matches);
      return result;
    },
    // The engine runs in the call: there is no queue to fill, so there is always room.
    admit: () => ({ sink, release() {} }),
    tick,
    startTicking: (intervalMs) => timer.start(intervalMs),
    stopTicking: () => timer.stop(),
    async close() {
      timer.stop();
    },
    replaceEngine(next) {
      engine = next;
    },
    takeHits: () => q.takeHits(),
    idle: () => q.drained(),
  };
}
