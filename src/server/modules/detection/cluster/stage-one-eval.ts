/** Stage one of a batch on an engine: `@tocsin/sigma`'s `evaluate`, or a stand-in for an engine without it. */
import type { DetectionEngine, DetectionEvent, StageOneResult } from '../detection.types.js';

/**
 * Stage one with `engine.evaluate`; an engine without it (a test's, a detector that keeps no
 * correlation state) gives everything `process` returns as matches, and no feeds.
 */
export function evaluateWith(engine: DetectionEngine, events: DetectionEvent[]): StageOneResult {
  if (engine.evaluate) return engine.evaluate(events);
  let maxTime = Number.NEGATIVE_INFINITY;
  for (const e of events) if (e.time > maxTime) maxTime = e.time;
  return { matches: engine.process(events), feeds: [], maxTime };
}
