/**
 * The live detection path: ingested events -> engine (synchronous, in the ingest call) -> alerts
 * (asynchronous, in batches, one drain at a time so alerts keep the order their events had).
 */
import type { DetectionEngine, DetectionEvent, RuleMatch } from './detection.types.js';

export interface PipelineStats {
  events: number;
  matches: number;
  /** Matches dropped because alerts could not keep up (the backlog was full). */
  dropped: number;
  raiseErrors: number;
}

export interface DetectionPipeline {
  /** Hands a batch of events to detection; never throws. */
  sink(events: DetectionEvent[]): void;
  /** Builds the engine now rather than on the first event (at server start). */
  warm(): void;
  /** Resolves when every match handed over so far has been raised. */
  idle(): Promise<void>;
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
}): DetectionPipeline {
  const maxBacklog = deps.maxBacklog ?? 100_000;
  const batch = deps.batch ?? 500;
  const stats: PipelineStats = { events: 0, matches: 0, dropped: 0, raiseErrors: 0 };
  let engine: DetectionEngine | null = null;
  const backlog: RuleMatch[] = [];
  let draining: Promise<void> | null = null;

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
      if (!matches.length) return;
      stats.matches += matches.length;
      const room = maxBacklog - backlog.length;
      if (matches.length > room) stats.dropped += matches.length - Math.max(0, room);
      if (room > 0) backlog.push(...matches.slice(0, room));
      drain();
    },
    async idle() {
      while (draining) await draining;
    },
  };
}
