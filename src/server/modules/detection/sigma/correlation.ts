/**
 * Sigma correlation rules at run time: per group-by key state over event time, bounded.
 *
 * - event_count, value_count, value_sum with a lower bound only (gt/gte): a sliding window; the rule
 *   fires when a hit makes the condition true, then the group starts over.
 * - the same with an upper bound (lt, lte, eq, neq, ranges) and value_avg: a window opens at a
 *   group's first hit and is judged when event time passes its end (or at flush).
 * - value_percentile: on each hit, the percentile rank of the hit's value among the group's values
 *   in the window (numbers: share of values <= it; text: share of values equal to it, so
 *   `lte: 1` finds a value seen in at most 1% of the group's events).
 * - temporal: all (or `condition` many) referenced rules hit within the timespan; temporal_ordered:
 *   in the order listed.
 * State is bounded: `maxGroups` groups per correlation (least recently used dropped), at most
 * `maxPerGroup` values per group, and expired groups are dropped as event time advances.
 */
import type { DetectionEvent } from '../detection.types.js';
import type { CondOp, ParsedCorrelation } from './rule-parse.js';
import type { RuleMeta } from './types.js';

/** A referenced rule (or correlation) firing: what a correlation consumes. */
export interface Hit {
  time: number;
  events: DetectionEvent[];
  /** A field of the hit: event fields for a rule, group-by values (then event fields) for a correlation. */
  get(field: string): unknown;
}

/** A correlation firing. */
export interface Fire {
  node: CorrelationNode;
  time: number;
  events: DetectionEvent[];
  group: Record<string, unknown>;
}

export interface CorrelationLimits {
  maxGroups: number;
  maxPerGroup: number;
  maxEventsInMatch: number;
}

interface Group {
  key: string;
  group: Record<string, unknown>;
  last: number;
  start: number;
  /** Sliding windows: hit times (and values) in arrival order, from index `head`. */
  times: number[];
  values: unknown[];
  head: number;
  sum: number;
  distinct: Map<string, number>;
  count: number;
  events: DetectionEvent[];
  /** temporal: last time per referenced rule; temporal_ordered: start time of the partial sequence ending at each step. */
  steps: number[];
  stepEvents: DetectionEvent[][];
}

const test = (op: CondOp, x: number, v: number): boolean => {
  switch (op) {
    case 'gt':
      return x > v;
    case 'gte':
      return x >= v;
    case 'lt':
      return x < v;
    case 'lte':
      return x <= v;
    case 'eq':
      return x === v;
    case 'neq':
      return x !== v;
  }
};

const numberOf = (v: unknown): number | undefined => {
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  if (typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v))) return Number(v);
  return undefined;
};

export class CorrelationNode {
  /** Correlations that reference this one. */
  readonly parents: { node: CorrelationNode; index: number }[] = [];
  /** Whether its firings are reported (not an intermediate step nobody asked to generate). */
  emits = true;
  private readonly groups = new Map<string, Group>();
  private readonly mode: 'sliding' | 'window' | 'percentile' | 'temporal' | 'ordered';
  private watermark = -Infinity;
  private sinceSweep = 0;

  constructor(
    readonly meta: RuleMeta,
    readonly spec: ParsedCorrelation,
    /** Names of the referenced rules, by reference index (for aliases). */
    readonly refNames: string[][],
    private readonly limits: CorrelationLimits,
  ) {
    const t = spec.type;
    const lowerBoundOnly = spec.condition.every((c) => c.op === 'gt' || c.op === 'gte');
    if (t === 'temporal') this.mode = 'temporal';
    else if (t === 'temporal_ordered') this.mode = 'ordered';
    else if (t === 'value_percentile') this.mode = 'percentile';
    else if (t === 'value_avg' || !lowerBoundOnly) this.mode = 'window';
    else this.mode = 'sliding';
  }

  private cond(x: number): boolean {
    for (const c of this.spec.condition) if (!test(c.op, x, c.value)) return false;
    return true;
  }

  private groupOf(hit: Hit, index: number): Group {
    const values = this.spec.groupBy.map((g) => {
      const alias = this.spec.aliases[g];
      if (alias) for (const name of this.refNames[index] ?? []) if (alias[name] !== undefined) return hit.get(alias[name]!) ?? null;
      return hit.get(g) ?? null;
    });
    const key = JSON.stringify(values);
    let g = this.groups.get(key);
    if (g) {
      // Most recently used last, so the oldest groups come first for eviction; windows keep
      // their opening order instead, so those that end first are first.
      if (this.mode === 'window') return g;
      this.groups.delete(key);
    } else {
      g = this.fresh(key, Object.fromEntries(this.spec.groupBy.map((name, i) => [name, values[i]])), hit.time);
      if (this.groups.size >= this.limits.maxGroups) {
        const oldest = this.groups.keys().next().value;
        if (oldest !== undefined) this.groups.delete(oldest);
      }
    }
    this.groups.set(key, g);
    return g;
  }

  private fresh(key: string, group: Record<string, unknown>, t: number): Group {
    const n = this.spec.rules.length;
    return { key, group, last: t, start: t, times: [], values: [], head: 0, sum: 0, distinct: new Map(), count: 0, events: [], steps: new Array<number>(n).fill(NaN), stepEvents: new Array<DetectionEvent[]>(n).fill([]) };
  }

  private reset(g: Group, t: number): void {
    Object.assign(g, this.fresh(g.key, g.group, t));
  }

  private keep(g: Group, events: DetectionEvent[]): void {
    for (const e of events) {
      g.events.push(e);
      if (g.events.length > this.limits.maxEventsInMatch) g.events.shift();
    }
  }

  private fieldValue(hit: Hit): unknown {
    const f = this.spec.field;
    if (f.length === 1) return hit.get(f[0]!);
    const vs = f.map((x) => hit.get(x));
    return vs.every((v) => v === undefined || v === null) ? undefined : JSON.stringify(vs);
  }

  /** Consumes a hit of the referenced rules at `indices` (one event may hit several). */
  onHit(indices: number[], hit: Hit, out: Fire[]): void {
    const t = hit.time;
    if (t > this.watermark) this.advance(t, out);
    const g = this.groupOf(hit, indices[0]!);
    g.last = Math.max(g.last, t);
    const span = this.spec.timespanMs;
    switch (this.mode) {
      case 'temporal': {
        for (const i of indices) {
          g.steps[i] = t;
          g.stepEvents[i] = hit.events;
        }
        let n = 0;
        for (const s of g.steps) if (s >= t - span) n++;
        const need = this.spec.condition.length ? null : this.spec.rules.length;
        if (need !== null ? n >= need : this.cond(n)) {
          const events = g.steps
            .flatMap((s, i) => (s >= t - span ? g.stepEvents[i]! : []))
            .sort((a, b) => a.time - b.time)
            .slice(-this.limits.maxEventsInMatch);
          out.push({ node: this, time: t, events, group: g.group });
          this.reset(g, t);
        }
        return;
      }
      case 'ordered': {
        const last = this.spec.rules.length - 1;
        for (const i of [...indices].sort((a, b) => b - a)) {
          if (i === 0) {
            g.steps[0] = t;
            g.stepEvents[0] = hit.events;
          } else {
            const prev = g.steps[i - 1]!;
            const prevEvents = g.stepEvents[i - 1]!;
            if (!Number.isNaN(prev) && t - prev <= span && t >= prev && prevEvents[prevEvents.length - 1] !== hit.events[hit.events.length - 1]) {
              g.steps[i] = prev;
              g.stepEvents[i] = [...prevEvents, ...hit.events].slice(-this.limits.maxEventsInMatch);
            }
          }
        }
        if (!Number.isNaN(g.steps[last]!) && t - g.steps[last]! <= span) {
          out.push({ node: this, time: t, events: g.stepEvents[last]!, group: g.group });
          this.reset(g, t);
        }
        return;
      }
      case 'window':
        if (g.count > 0 && t >= g.start + span) {
          this.close(g, out);
          this.reset(g, t);
          this.groups.delete(g.key);
          this.groups.set(g.key, g);
        }
        if (g.count === 0) g.start = t;
        this.add(g, hit, t, false);
        return;
      case 'sliding':
      case 'percentile': {
        this.add(g, hit, t, true);
        let x: number | undefined;
        if (this.mode === 'percentile') x = this.percentile(g, this.fieldValue(hit));
        else x = this.measure(g);
        if (x !== undefined && this.cond(x)) {
          out.push({ node: this, time: t, events: g.events.filter((e) => e.time >= t - span), group: g.group });
          this.reset(g, t);
        }
        return;
      }
    }
  }

  /** Adds a hit to a counting group; `slide` drops values older than the timespan. */
  private add(g: Group, hit: Hit, t: number, slide: boolean): void {
    const type = this.spec.type;
    const max = this.limits.maxPerGroup;
    this.keep(g, hit.events);
    if (type === 'value_count') {
      const v = this.fieldValue(hit);
      if (v !== undefined && v !== null) {
        const k = typeof v === 'string' ? v : JSON.stringify(v);
        g.distinct.delete(k);
        g.distinct.set(k, t);
        if (g.distinct.size > max) g.distinct.delete(g.distinct.keys().next().value!);
      }
      if (slide) for (const [k, seen] of g.distinct) {
        if (seen >= t - this.spec.timespanMs) break;
        g.distinct.delete(k);
      }
      return;
    }
    g.count++;
    let value: unknown = null;
    if (type === 'value_sum' || type === 'value_avg') {
      const n = numberOf(this.fieldValue(hit));
      if (n === undefined) return;
      value = n;
      g.sum += n;
    } else if (type === 'value_percentile') value = this.fieldValue(hit) ?? null;
    if (!slide) {
      if (type === 'value_avg') g.values.push(value);
      return;
    }
    g.times.push(t);
    g.values.push(value);
    const cut = t - this.spec.timespanMs;
    while (g.head < g.times.length && (g.times[g.head]! < cut || g.times.length - g.head > max)) {
      const old = g.values[g.head];
      if (typeof old === 'number' && (type === 'value_sum' || type === 'value_avg')) g.sum -= old;
      g.head++;
    }
    if (g.head > 1024 && g.head * 2 > g.times.length) {
      g.times = g.times.slice(g.head);
      g.values = g.values.slice(g.head);
      g.head = 0;
    }
  }

  private measure(g: Group): number | undefined {
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

  private percentile(g: Group, v: unknown): number | undefined {
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
      } else if (x === v || (typeof x === 'string' && typeof v === 'string' && x.toLowerCase() === v.toLowerCase())) k++;
    }
    return (100 * k) / n;
  }

  /** Judges a closed window. */
  private close(g: Group, out: Fire[]): void {
    let x: number;
    switch (this.spec.type) {
      case 'event_count':
        x = g.count;
        break;
      case 'value_count':
        x = g.distinct.size;
        break;
      case 'value_sum':
        x = g.sum;
        break;
      case 'value_avg':
        if (g.values.length === 0) return;
        x = g.sum / g.values.length;
        break;
      default:
        return;
    }
    if (this.cond(x)) out.push({ node: this, time: g.last, events: g.events.slice(), group: g.group });
  }

  /** Event time moved to `t`: close windows that ended and drop groups that expired. */
  advance(t: number, out: Fire[]): void {
    if (t <= this.watermark) return;
    this.watermark = t;
    const span = this.spec.timespanMs;
    if (this.mode === 'window') {
      for (const g of this.groups.values()) {
        if (g.start + span > t) break;
        this.close(g, out);
        this.groups.delete(g.key);
      }
      return;
    }
    if (++this.sinceSweep < 256) return;
    this.sinceSweep = 0;
    for (const g of this.groups.values()) {
      if (g.last >= t - span) break;
      this.groups.delete(g.key);
    }
  }

  /** End of input: judge every open window. */
  flush(out: Fire[]): void {
    if (this.mode === 'window') for (const g of this.groups.values()) this.close(g, out);
    this.groups.clear();
  }

  /** Number of groups held (for tests and memory checks). */
  get size(): number {
    return this.groups.size;
  }
}
