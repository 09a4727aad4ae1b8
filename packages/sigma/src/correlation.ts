/**
 * Sigma correlation rules at run time: per group-by key state over event time, bounded.
 *
 * - event_count, value_count, value_sum with a lower bound only (gt/gte): a sliding window; the rule
 *   fires when a hit makes the condition true, then the group starts over.
 * - the same with an upper bound (lt, lte, eq, neq, ranges) and value_avg: a window opens at a
 *   group's first hit and is judged when event time passes its end (or at flush). Where the condition
 *   holds for no hits at all (`lt: 3`), a group whose window closed without firing is watched: a whole
 *   timespan after it with no hit fires once, with no events (a feed that went silent), and the group
 *   is forgotten until it hits again. The end of input (flush) is not silence.
 * - value_percentile: on each hit, the percentile rank of the hit's value among the group's values
 *   in the window (numbers: share of values <= it; text: share of values equal to it, so
 *   `lte: 1` finds a value seen in at most 1% of the group's events).
 * - temporal: all (or `condition` many) referenced rules hit within the timespan; temporal_ordered:
 *   in the order listed.
 * State is bounded (see correlation-state.ts): `maxGroups` groups per correlation and one byte budget
 * (`maxStateBytes`) across an engine's correlations, the least recently hit groups dropped past either;
 * at most `maxPerGroup` values per group; a few sample events per group, only those still in the
 * window; groups dropped as event time passes their window. Windows with an upper bound close when
 * event time passes their end: a later hit, the engine's `tick` (wall clock, when input is idle) or flush.
 */
import type { DetectionEvent } from './event.js';
import {
  entryBytes,
  expireSamples,
  firstAndLast,
  freshGroup,
  groupBytes,
  groupKey,
  releaseEvents,
  sampleEvent,
  samples,
  StateBudget,
  numberOf,
  test,
  textBytes,
  type BudgetMember,
  type Group,
} from './correlation-state.js';
import type { ParsedCorrelation } from './rule-parse.js';
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
  /** Groups per correlation (the least recently hit dropped past it). */
  maxGroups: number;
  /** Hit times or values per group (sliding windows, value_count's distinct values, percentiles). */
  maxPerGroup: number;
  /** Events a match carries, and sample events a group keeps: the first half and the last half. */
  maxEventsInMatch: number;
  /** Approximate bytes of state across all the correlations of an engine (least recently hit groups dropped past it). */
  maxStateBytes: number;
}

export class CorrelationNode implements BudgetMember {
  /** Correlations that reference this one. */
  readonly parents: { node: CorrelationNode; index: number }[] = [];
  /** Whether its firings are reported (not an intermediate step nobody asked to generate). */
  emits = true;
  /** The engine's memory budget, shared by its correlations (unlimited until the engine sets it). */
  budget = new StateBudget(Infinity);
  private readonly groups = new Map<string, Group>();
  /**
   * Silence watch (windows whose condition holds for nothing at all, e.g. `lt: 3`): groups whose last
   * window closed without firing, by key, with that window's end, in closing order (so by end). A group
   * that then sees no hit for a whole timespan fires once, with the last event it had, and is forgotten.
   */
  private readonly quiet = new Map<
    string,
    { group: Record<string, unknown>; since: number; last: DetectionEvent | undefined }
  >();
  private readonly watchesSilence: boolean;
  private readonly mode: 'sliding' | 'window' | 'percentile' | 'temporal' | 'ordered';
  private watermark = -Infinity;
  private sinceSweep = 0;
  private readonly nFirst: number;
  private readonly nLast: number;

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
    this.nFirst = Math.ceil(limits.maxEventsInMatch / 2);
    this.nLast = limits.maxEventsInMatch - this.nFirst;
    this.watchesSilence =
      this.mode === 'window' && (t === 'event_count' || t === 'value_count' || t === 'value_sum') && this.cond(0);
  }

  private cond(x: number): boolean {
    for (const c of this.spec.condition) if (!test(c.op, x, c.value)) return false;
    return true;
  }

  private groupOf(hit: Hit, index: number): Group {
    const by = this.spec.groupBy;
    const values = new Array<unknown>(by.length);
    for (let i = 0; i < by.length; i++) values[i] = this.groupValue(hit, by[i]!, index);
    const key = groupKey(values);
    let g = this.groups.get(key);
    if (g) {
      // Most recently used last, so the oldest groups come first for eviction; windows keep
      // their opening order instead, so those that end first are first.
      if (this.mode === 'window') return g;
      this.groups.delete(key);
    } else {
      if (this.groups.size >= this.limits.maxGroups) this.evictOldest();
      this.unwatch(key); // it is not silent
      g = freshGroup(
        key,
        Object.fromEntries(this.spec.groupBy.map((name, i) => [name, values[i]])),
        hit.time,
        this.spec.rules.length,
      );
      this.account(g);
    }
    this.groups.set(key, g);
    return g;
  }

  private groupValue(hit: Hit, field: string, index: number): unknown {
    const alias = this.spec.aliases[field];
    if (alias)
      for (const name of this.refNames[index] ?? [])
        if (alias[name] !== undefined) return hit.get(alias[name]!) ?? null;
    return hit.get(field) ?? null;
  }

  /** Charges the group's current size to the budget. */
  private account(g: Group): void {
    const b = groupBytes(g);
    this.budget.groupBytes += b - g.bytes;
    g.bytes = b;
  }

  private drop(g: Group): void {
    this.groups.delete(g.key);
    releaseEvents(g, this.budget);
    this.budget.groupBytes -= g.bytes;
    g.bytes = 0;
  }

  private reset(g: Group, t: number): void {
    releaseEvents(g, this.budget);
    const bytes = g.bytes;
    Object.assign(g, freshGroup(g.key, g.group, t, this.spec.rules.length));
    g.bytes = bytes;
  }

  oldest(): number {
    for (const g of this.groups.values()) return g.last;
    return Infinity;
  }

  evictOldest(): void {
    for (const g of this.groups.values()) {
      this.drop(g);
      this.budget.evicted++;
      return;
    }
  }

  private shedIter: Iterator<Group> | null = null;
  private shedPeek: Group | null = null;

  /** Sample events a group keeps when shedding: a window its newest (a match needs one), others none. */
  private keepsWhenShed(): number {
    return this.mode === 'window' ? 1 : 0;
  }

  restartShed(): void {
    this.shedIter = this.mode === 'temporal' || this.mode === 'ordered' ? null : this.groups.values();
    this.shedPeek = null;
  }

  nextToShed(): number {
    const keep = this.keepsWhenShed();
    while (!this.shedPeek && this.shedIter) {
      const r = this.shedIter.next();
      if (r.done) this.shedIter = null;
      else if (r.value.firstEvents.length + r.value.lastEvents.length > keep) this.shedPeek = r.value;
    }
    return this.shedPeek ? this.shedPeek.last : Infinity;
  }

  shedNext(): void {
    const g = this.shedPeek;
    this.shedPeek = null;
    if (!g || this.groups.get(g.key) !== g) return;
    const newest = g.lastEvents.length
      ? g.lastEvents[g.lastEvents.length - 1]!
      : g.firstEvents[g.firstEvents.length - 1]!;
    const kept = this.keepsWhenShed() && newest ? [newest] : [];
    if (kept.length) this.budget.hold(newest);
    this.budget.shed += g.firstEvents.length + g.lastEvents.length - kept.length;
    for (const e of g.firstEvents) this.budget.release(e);
    for (const e of g.lastEvents) this.budget.release(e);
    g.firstEvents = kept;
    g.lastEvents = [];
    this.account(g);
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
    this.apply(g, indices, hit, t, out);
    if (this.groups.get(g.key) === g) this.account(g);
    this.budget.reclaim();
  }

  private apply(g: Group, indices: number[], hit: Hit, t: number, out: Fire[]): void {
    const span = this.spec.timespanMs;
    const max = this.limits.maxEventsInMatch;
    switch (this.mode) {
      case 'temporal': {
        for (const i of indices) {
          g.steps[i] = t;
          this.setStep(g, i, hit.events);
        }
        let n = 0;
        for (let i = 0; i < g.steps.length; i++) {
          if (g.steps[i]! >= t - span) n++;
          else if (!Number.isNaN(g.steps[i]!)) {
            g.steps[i] = NaN;
            this.setStep(g, i, []);
          }
        }
        const need = this.spec.condition.length ? null : this.spec.rules.length;
        if (need !== null ? n >= need : this.cond(n)) {
          const events = firstAndLast(
            g.stepEvents.flat().sort((a, b) => a.time - b.time),
            max,
          );
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
            this.setStep(g, 0, hit.events);
          } else {
            const prev = g.steps[i - 1]!;
            const prevEvents = g.stepEvents[i - 1]!;
            if (
              !Number.isNaN(prev) &&
              t - prev <= span &&
              t >= prev &&
              prevEvents[prevEvents.length - 1] !== hit.events[hit.events.length - 1]
            ) {
              g.steps[i] = prev;
              this.setStep(g, i, firstAndLast([...prevEvents, ...hit.events], max));
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
        const x = this.mode === 'percentile' ? this.percentile(g, this.fieldValue(hit)) : this.measure(g);
        if (x !== undefined && this.cond(x)) {
          out.push({ node: this, time: t, events: samples(g, t - span), group: g.group });
          this.reset(g, t);
        }
        return;
      }
    }
  }

  private setStep(g: Group, i: number, events: DetectionEvent[]): void {
    for (const e of events) this.budget.hold(e);
    for (const e of g.stepEvents[i]!) this.budget.release(e);
    g.stepEvents[i] = events;
  }

  /** Adds a hit to a counting group; `slide` drops values (and sample events) older than the timespan. */
  private add(g: Group, hit: Hit, t: number, slide: boolean): void {
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
      } else if (x === v || (typeof x === 'string' && typeof v === 'string' && x.toLowerCase() === v.toLowerCase()))
        k++;
    }
    return (100 * k) / n;
  }

  /** Judges a closed window; true when it fired. */
  private close(g: Group, out: Fire[]): boolean {
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
        if (g.n === 0) return false;
        x = g.sum / g.n;
        break;
      default:
        return false;
    }
    if (!this.cond(x)) return false;
    out.push({ node: this, time: g.last, events: samples(g), group: g.group });
    return true;
  }

  /**
   * Event time moved to `t`: close windows that ended and drop groups that expired (sliding groups
   * are swept every 256 calls, or now with `sweep`).
   */
  advance(t: number, out: Fire[], sweep = false): void {
    if (t <= this.watermark) return;
    this.watermark = t;
    const span = this.spec.timespanMs;
    if (this.mode === 'window') {
      for (const g of this.groups.values()) {
        if (g.start + span > t) break;
        const fired = this.close(g, out);
        if (this.watchesSilence && !fired && g.count > 0)
          this.watch(g.key, g.group, g.start + span, g.lastEvents.at(-1) ?? g.firstEvents.at(-1));
        this.drop(g);
      }
      for (const [key, q] of this.quiet) {
        if (q.since + span > t) break;
        // A whole timespan without a hit: the condition holds for nothing at all.
        out.push({ node: this, time: q.since + span, events: q.last ? [q.last] : [], group: q.group });
        this.unwatch(key);
      }
      return;
    }
    if (++this.sinceSweep < 256 && !sweep) return;
    this.sinceSweep = 0;
    for (const g of this.groups.values()) {
      if (g.last >= t - span) break;
      this.drop(g);
    }
  }

  /** Watches group `key` for silence from `since`, keeping its last event as the evidence. */
  private watch(key: string, group: Record<string, unknown>, since: number, last: DetectionEvent | undefined): void {
    this.unwatch(key);
    if (this.quiet.size >= this.limits.maxGroups)
      for (const k of this.quiet.keys()) {
        this.unwatch(k);
        this.budget.evicted++;
        break;
      }
    if (last) this.budget.hold(last);
    this.quiet.set(key, { group, since, last });
  }

  private unwatch(key: string): void {
    const q = this.quiet.get(key);
    if (!q) return;
    if (q.last) this.budget.release(q.last);
    this.quiet.delete(key);
  }

  /** End of input: judge every open window (the end of input is not silence: watches are dropped). */
  flush(out: Fire[]): void {
    if (this.mode === 'window') for (const g of this.groups.values()) this.close(g, out);
    for (const g of this.groups.values()) this.drop(g);
    for (const key of [...this.quiet.keys()]) this.unwatch(key);
  }

  /** Number of groups held (for tests and memory checks). */
  get size(): number {
    return this.groups.size;
  }
}
