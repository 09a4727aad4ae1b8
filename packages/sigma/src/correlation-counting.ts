/**
 * What the counting correlations share (event_count, value_count, value_sum, value_avg,
 * value_percentile, sliding or windowed): adding a hit to a group's counts, sums, distinct values and
 * sample events.
 */
import { CorrelationNode, type CorrelationLimits, type Hit } from './correlation.js';
import { entryBytes, expireSamples, numberOf, sampleEvent, textBytes, type Group } from './correlation-state.js';
import type { ParsedCorrelation } from './rule-parse.js';
import type { RuleMeta } from './types.js';

export abstract class CountingNode extends CorrelationNode {
  private readonly nFirst: number;
  private readonly nLast: number;

  constructor(meta: RuleMeta, spec: ParsedCorrelation, refNames: string[][], limits: CorrelationLimits) {
    super(meta, spec, refNames, limits);
    this.nFirst = Math.ceil(limits.maxEventsInMatch / 2);
    this.nLast = limits.maxEventsInMatch - this.nFirst;
  }

  /** Adds a hit to a counting group; `slide` drops values (and sample events) older than the timespan. */
  protected add(g: Group, hit: Hit, t: number, slide: boolean): void {
    const type = this.spec.type;
    const max = this.limits.maxPerGroup;
    const cut = t - this.spec.timespanMs;
    for (const e of hit.events) sampleEvent(g, e, this.nFirst, this.nLast, this.budget);
    if (slide) expireSamples(g, cut, this.budget);
    g.count++;
    if (type === 'value_count') {
      const v = this.fieldValue(hit);
      if (v !== undefined && v !== null) {
        const k = typeof v === 'string' ? v : JSON.stringify(v);
        if (!g.distinct.delete(k)) g.textBytes += entryBytes(k);
        g.distinct.set(k, t);
        if (g.distinct.size > max) this.forget(g, g.distinct.keys().next().value!);
      }
      if (slide)
        for (const [k, seen] of g.distinct) {
          if (seen >= cut) break;
          this.forget(g, k);
        }
      return;
    }
    let value: unknown = null;
    if (type === 'value_sum' || type === 'value_avg') {
      const n = numberOf(this.fieldValue(hit));
      if (n === undefined) return;
      value = n;
      g.sum += n;
      g.n++;
    } else if (type === 'value_percentile') value = this.fieldValue(hit) ?? null;
    // A window only needs its count, sum and number of values.
    if (!slide) return;
    g.times.push(t);
    if (type !== 'event_count') {
      g.values.push(value);
      g.textBytes += textBytes(value);
    }
    while (g.head < g.times.length && (g.times[g.head]! < cut || g.times.length - g.head > max)) {
      if (type !== 'event_count') {
        const old = g.values[g.head];
        if (typeof old === 'number' && type === 'value_sum') g.sum -= old;
        g.textBytes -= textBytes(old);
        g.values[g.head] = undefined;
      }
      g.head++;
    }
    if (g.head >= 32 && g.head * 2 > g.times.length) {
      g.times = g.times.slice(g.head);
      if (type !== 'event_count') g.values = g.values.slice(g.head);
      g.head = 0;
    }
  }

  private forget(g: Group, k: string): void {
    g.distinct.delete(k);
    g.textBytes -= entryBytes(k);
  }
}
