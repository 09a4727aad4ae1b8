/**
 * Stage two of two-stage evaluation: a correlator keeps the correlation state of one partition. It
 * compiles the same rule set as the engines of stage one, takes their `CorrelationFeed`s (for the keys
 * of its partition, in order) and the event time they reached, and fires as an engine's `process` would.
 */
import type { CompileReport } from './types.js';
import type { CorrelationNode } from './correlation.js';
import type { CorrelationFeed } from './correlation-feeds.js';
import { ruleId, type CorrelationStats } from './correlation-runtime.js';
import type { DetectionEvent, SigmaMatch } from './event.js';
import { compileForRun, type SigmaEngineOptions } from './engine.js';

/** The correlation state of one partition (see `createCorrelator`). */
export interface Correlator {
  /** What compiled: the correlations, and the rules they refer to (a correlator evaluates no detection, so compiles no other). */
  readonly report: CompileReport;
  /**
   * Feeds in order (those of one event together, as stage one made them); chained correlations
   * (correlation of correlation) fire inside. Feeds that do not fit this rule set (a correlation it
   * does not have, or with fewer referenced rules: stage one ran other rules) are skipped.
   */
  feed(feeds: CorrelationFeed[]): SigmaMatch[];
  /** Event time reached `eventTime` (stage one's `maxTime`, told to every partition): windows that ended close. */
  advance(eventTime: number): SigmaMatch[];
  /** As the engine's `tick`: idle input, event time carried on by the wall clock less the lateness allowance. */
  tick(now: number): SigmaMatch[];
  /** End of input: open windows are judged. */
  flush(): SigmaMatch[];
  correlationState(): number;
  correlationStats(): CorrelationStats;
}

/** Two feeds carry the same event (equal after a JSON round trip): kept as one object, as an engine would. */
const sameEvent = (a: DetectionEvent, b: DetectionEvent) =>
  a === b || (a.id === b.id && a.time === b.time && a.source === b.source);

const fits = (indices: number[], n: number) =>
  Array.isArray(indices) && indices.length > 0 && indices.every((i) => Number.isInteger(i) && i >= 0 && i < n);

/** A correlator over the correlations of `options.rules` (compiled as `createSigmaEngine` does; detection rules only feed). */
export function createCorrelator(options: SigmaEngineOptions): Correlator {
  const { set, runtime: rt } = compileForRun(options, 'correlations');
  const byId = new Map<string, CorrelationNode>();
  for (const n of rt.nodes) {
    const id = ruleId(n.meta);
    if (!byId.has(id)) byId.set(id, n);
  }
  return {
    report: set.report,
    feed(feeds) {
      const out: SigmaMatch[] = [];
      const before = rt.watermark;
      // As in `process`: after an event's hits, event time reaches it everywhere.
      let last: DetectionEvent | null = null;
      for (const f of feeds) {
        const node = byId.get(f.correlation);
        if (!node || !fits(f.indices, node.spec.rules.length)) continue;
        let e = f.event;
        if (last !== null && e !== last) {
          if (sameEvent(e, last)) e = last;
          else rt.advance(last.time, out);
        }
        last = e;
        const values = f.values;
        rt.hit(
          node,
          f.indices,
          { time: f.time, events: [e], get: (k) => (Object.hasOwn(values, k) ? values[k] : undefined) },
          out,
        );
      }
      if (last !== null) rt.advance(last.time, out);
      if (rt.watermark > before) rt.touched();
      return out;
    },
    advance(eventTime) {
      const out: SigmaMatch[] = [];
      if (Number.isFinite(eventTime) && rt.advance(eventTime, out)) rt.touched();
      return out;
    },
    tick: (now) => rt.tick(now),
    flush: () => rt.flush(),
    correlationState: () => rt.state(),
    correlationStats: () => rt.stats(),
  };
}
