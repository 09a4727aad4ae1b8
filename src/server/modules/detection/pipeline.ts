/**
 * The live detection path: ingested events -> engine (synchronous, in the ingest call) -> alerts
 * (asynchronous, in batches, one drain at a time so alerts keep the order their events had).
 * A timer (started by the server) ticks the engine with the wall clock every second, so correlation
 * windows that only the passing of time closes ("fewer than 5 heartbeats in 5 minutes") close while
 * no events arrive; their matches take the same path.
 */
import type { DetectionEngine, DetectionEvent, RuleMatch } from './detection.types.js';

export interface PipelineStats {
  events: number;
  matches: number;
  /** Matches dropped because alerts could not keep up (the backlog was full). */
  dropped: number;
  raiseErrors: number;
}

/** Matches per rule id since the counters were last taken, and when the last one was counted (epoch ms). */
export type RuleHits = Map<string, { hits: number; lastAt: number }>;

export interface DetectionPipeline {
  /** Hands a batch of events to detection; never throws. */
  sink(events: DetectionEvent[]): void;
  /** Builds the engine now rather than on the first event (at server start). */
  warm(): void;
  /** Resolves when every match handed over so far has been raised. */
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
  stats: PipelineStats;
}

export function createDetectionPipeline(deps: {
  loadEngine: () => DetectionEngine;
  raise: (matches: RuleMatch[]) => Promise<unknown>;
  onError: (err: unknown, where: 'engine' | 'raise') => void;
  /** Most matches waiting for the alert store (default 100,000). */
  maxBacklog?: number;
  /** Most matches per raise call (default 500). */
  batch?: number;
  /** Wall clock for ticks and the hit counters' last-hit time (default Date.now). */
  now?: () => number;
}): DetectionPipeline {
  const maxBacklog = deps.maxBacklog ?? 100_000;
  const batch = deps.batch ?? 500;
  const stats: PipelineStats = { events: 0, matches: 0, dropped: 0, raiseErrors: 0 };
  let engine: DetectionEngine | null = null;
  const backlog: RuleMatch[] = [];
  let draining: Promise<void> | null = null;
  let hits: RuleHits = new Map();
  let timer: NodeJS.Timeout | null = null;
  const now = deps.now ?? Date.now;

  const getEngine = () => (engine ??= deps.loadEngine());

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

  /** Counts matches (per rule too) and queues them for the alert store. */
  function hand(matches: RuleMatch[]): void {
    if (!matches.length) return;
    stats.matches += matches.length;
    const at = now();
    for (const m of matches) {
      const h = hits.get(m.ruleId);
      if (h) {
        h.hits++;
        h.lastAt = at;
      } else hits.set(m.ruleId, { hits: 1, lastAt: at });
    }
    const room = maxBacklog - backlog.length;
    if (matches.length > room) stats.dropped += matches.length - Math.max(0, room);
    if (room > 0) backlog.push(...matches.slice(0, room));
    drain();
  }

  function tick(): void {
    // Before the first event there is no engine and nothing to close.
    if (!engine?.tick) return;
    let matches: RuleMatch[];
    try {
      matches = engine.tick(now());
    } catch (err) {
      deps.onError(err, 'engine');
      return;
    }
    hand(matches);
  }

  return {
    stats,
    warm: () => void getEngine(),
    sink(events) {
      stats.events += events.length;
      let matches: RuleMatch[];
      try {
        matches = getEngine().process(events);
      } catch (err) {
        deps.onError(err, 'engine');
        return;
      }
      hand(matches);
    },
    tick,
    startTicking(intervalMs = 1000) {
      if (timer) return;
      timer = setInterval(tick, intervalMs);
      timer.unref();
    },
    stopTicking() {
      if (timer) clearInterval(timer);
      timer = null;
    },
    replaceEngine(next) {
      engine = next;
    },
    takeHits() {
      const taken = hits;
      hits = new Map();
      return taken;
    },
    async idle() {
      while (draining) await draining;
    },
  };
}
