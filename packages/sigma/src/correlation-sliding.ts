/**
 * Correlations over a sliding window, judged on every hit: event_count, value_count and value_sum with
 * a lower bound only (gt/gte), and value_percentile (the percentile rank of the hit's value among the
 * group's values in the window). A group that fires starts over.
 */
import type { Fire, Hit } from './correlation.js';
import { CountingNode } from './correlation-counting.js';
import { numberOf, samples, type Group } from './correlation-state.js';

abstract class SlidingWindowNode extends CountingNode {
  /** What the condition is tested on after the hit was added (undefined: nothing to test). */
  protected abstract measure(g: Group, hit: Hit): number | undefined;

  protected apply(g: Group, _indices: number[], hit: Hit, t: number, out: Fire[]): void {
    this.add(g, hit, t, true);
    const x = this.measure(g, hit);
    if (x !== undefined && this.cond(x)) {
      out.push({ node: this, time: t, events: samples(g, t - this.spec.timespanMs), group: g.group });
      this.reset(g, t);
    }
  }
}

/** event_count, value_count, value_sum with a lower bound only: fires as soon as a hit makes the condition true. */
export class SlidingCountNode extends SlidingWindowNode {
  protected measure(g: Group): number | undefined {
    switch (this.spec.type) {
      case 'event_count':
        return g.times.length - g.head;
      case 'value_count':
        return g.distinct.size;
      case 'value_sum':
        return g.sum;
      default:
        return undefined;
    }
  }
}

/**
 * value_percentile: the hit's value ranked among the group's values in the window (numbers: share of
 * values <= it; text: share of values equal to it, ignoring case).
 */
export class PercentileNode extends SlidingWindowNode {
  protected measure(g: Group, hit: Hit): number | undefined {
    const v = this.fieldValue(hit);
    if (v === undefined || v === null) return undefined;
    const n = g.times.length - g.head;
    if (n === 0) return undefined;
    const num = numberOf(v);
    let k = 0;
    for (let i = g.head; i < g.values.length; i++) {
      const x = g.values[i];
      if (num !== undefined) {
        const y = numberOf(x);
        if (y !== undefined && y <= num) k++;
      } else if (x === v || (typeof x === 'string' && typeof v === 'string' && x.toLowerCase() === v.toLowerCase()))
        k++;
    }
    return (100 * k) / n;
  }
}
