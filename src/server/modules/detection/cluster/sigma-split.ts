/**
 * TEMPORARY adapter until `@tocsin/sigma` has the split engine (helper A, branch h-split): the shapes
 * of `engine.evaluate(events)` and `partitionOf(key, n)` as the package will export them, and a
 * fallback for an engine without `evaluate` (all its matches, no feeds). Replaced by the package's
 * exports when it lands.
 */
import type { DetectionEvent } from '@tocsin/sigma';
import type { RuleMatch } from '../detection.types.js';
import type { CorrelationFeed } from './corr-messages.js';


/** Stage one of a batch: detection matches only, the correlation feeds, the latest event time. */
export interface StageOneResult {
  matches: RuleMatch[];
  feeds: CorrelationFeed[];
  maxTime: number;
}

/** The partition (0..n-1) of a key: FNV-1a, 32 bits. */
export function partitionOf(key: string, n: number): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) {
    h ^= key.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0) % n;
}

/** Stage one with `engine.evaluate`, or (an engine without it) everything `process` returns and no feeds. */
export function evaluateWith(
  engine: { process(events: DetectionEvent[]): RuleMatch[]; evaluate?(events: DetectionEvent[]): StageOneResult },
  events: DetectionEvent[],
): StageOneResult {
  if (engine.evaluate) return engine.evaluate(events);
  let maxTime = Number.NEGATIVE_INFINITY;
  for (const e of events) if (e.time > maxTime) maxTime = e.time;
  return { matches: engine.process(events), feeds: [], maxTime };
}
