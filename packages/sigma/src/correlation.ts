/**
 * Sigma correlation rules at run time: per group-by key state over event time, bounded. This file holds
 * what every correlation does (groups, their memory, the budget's hooks); each mode family runs in a
 * class of its own (correlation-modes.ts picks it):
 *
 * - event_count, value_count, value_sum with a lower bound only (gt/gte): a sliding window; the rule
 *   fires when a hit makes the condition true, then the group starts over (correlation-sliding.ts).
 * - the same with an upper bound (lt, lte, eq, neq, ranges) and value_avg: a window opens at a
 *   group's first hit and is judged when event time passes its end (or at flush). Where the condition
 *   holds for no hits at all (`lt: 3`), a group whose window closed without firing is watched: a whole
 *   timespan after it with no hit fires once, with no events (a feed that went silent), and the group
 *   is forgotten until it hits again. The end of input (flush) is not silence (correlation-window.ts).
 * - value_percentile: on each hit, the percentile rank of the hit's value among the group's values
 *   in the window (numbers: share of values <= it; text: share of values equal to it, so
 *   `lte: 1` finds a value seen in at most 1% of the group's events) (correlation-sliding.ts).
 * - temporal: all (or `condition` many) referenced rules hit within the timespan; temporal_ordered:
 *   in the order listed (correlation-temporal.ts).
 * State is bounded (see correlation-state.ts): `maxGroups` groups per correlation and one byte budget
 * (`maxStateBytes`) across an engine's correlations, the least recently hit groups dropped past either;
 * at most `maxPerGroup` values per group; a few sample events per group, only those still in the
 * window; groups dropped as event time passes their window. Windows with an upper bound close when
 * event time passes their end: a later hit, the engine's `tick` (wall clock, when input is idle) or flush.
 */
import {
  freshGroup,
  groupBytes,
  groupKey,
  releaseEvents,
  StateBudget,
  test,
  type BudgetMember,
  type Group,
} from './correlation-state.js';
import type { DetectionEvent } from './event.js';
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

/** One correlation rule at run time: its groups, and how a hit changes them (the mode's class). */
export abstract class CorrelationNode implements BudgetMember {
  /** Correlations that reference this one. */
  readonly parents: { node: CorrelationNode; index: number }[] = [];
  /** Whether its firings are reported (not an intermediate step nobody asked to generate). */
  emits = true;
  /** The engine's memory budget, shared by its correlations (unlimited until the engine sets it). */
  budget = new StateBudget(Infinity);
  protected readonly groups = new Map<string, Group>();
  /** Whether groups keep their opening order (windows: those that end first come first) instead of recency. */
  protected readonly keepsOpeningOrder: boolean = false;
  /** Sample events a group keeps when shedding (null: its evidence is its steps, never shed). */
  protected readonly keptWhenShed: number | null = 0;
  /** Whether groups expire by sweeps of those whose last hit left the timespan (windows close instead). */
  protected readonly sweeps: boolean = true;
  private watermark = -Infinity;
  private sinceSweep = 0;

  constructor(
    readonly meta: RuleMeta,
    readonly spec: ParsedCorrelation,
    /** Names of the referenced rules, by reference index (for aliases). */
    readonly refNames: string[][],
    protected readonly limits: CorrelationLimits,
  ) {}

  /** Consumes a hit of the referenced rules at `indices` (one event may hit several) in group `g`. */
  protected abstract apply(g: Group, indices: number[], hit: Hit, t: number, out: Fire[]): void;

  /**
   * Event time moved on to `t` (later than before): close what ended, drop what expired. Groups that
   * only ever slide are swept every 256 calls, or now with `sweep`: those whose last hit left the timespan go.
   */
  protected expire(t: number, _out: Fire[], sweep: boolean): void {
    if (++this.sinceSweep < 256 && !sweep) return;
    this.sinceSweep = 0;
    const span = this.spec.timespanMs;
    for (const g of this.groups.values()) {
      if (g.last >= t - span) break;
      this.drop(g);
    }
  }

  protected cond(x: number): boolean {
    for (const c of this.spec.condition) if (!test(c.op, x, c.value)) return false;
    return true;
  }

  private groupOf(hit: Hit, index: number): Group {
    const by = this.spec.groupBy;
    const values = new Array<unknown>(by.length);
    for (let i = 0; i < by.length; i++) values[i] = this.groupValue(hit, by[i]!, index);
    const key = groupKey(values);
    let g = this.groups.get(key);
    // A group whose last hit left the timespan is gone, whether or not a sweep has come by yet: what a
    // match reports does not depend on when sweeps happen (nor on how event time reached this node).
    if (g && this.sweeps && g.last < this.watermark - this.spec.timespanMs) {
      this.drop(g);
      g = undefined;
    }
    if (g) {
      // Most recently used last, so the oldest groups come first for eviction; windows keep
      // their opening order instead, so those that end first are first.
      if (this.keepsOpeningOrder) return g;
      this.groups.delete(key);
    } else {
      if (this.groups.size >= this.limits.maxGroups) this.evictOldest();
      this.opened(key);
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

  /** A group opened under `key` (it is not silent). */
  protected opened(_key: string): void {}

  private groupValue(hit: Hit, field: string, index: number): unknown {
    return hit.get(this.groupField(field, index)) ?? null;
  }

  /** The field a hit of the referenced rule at `index` is read for group-by field `field` (its alias, if any). */
  groupField(field: string, index: number): string {
    const alias = this.spec.aliases[field];
    if (alias) for (const name of this.refNames[index] ?? []) if (alias[name] !== undefined) return alias[name]!;
    return field;
  }

  /** Charges the group's current size to the budget. */
  protected account(g: Group): void {
    const b = groupBytes(g);
    this.budget.groupBytes += b - g.bytes;
    g.bytes = b;
  }

  protected drop(g: Group): void {
    this.groups.delete(g.key);
    releaseEvents(g, this.budget);
    this.budget.groupBytes -= g.bytes;
    g.bytes = 0;
  }

  protected reset(g: Group, t: number): void {
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

  restartShed(): void {
    this.shedIter = this.keptWhenShed === null ? null : this.groups.values();
    this.shedPeek = null;
  }

  nextToShed(): number {
    const keep = this.keptWhenShed ?? 0;
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
    const kept = this.keptWhenShed && newest ? [newest] : [];
    if (kept.length) this.budget.hold(newest);
    this.budget.shed += g.firstEvents.length + g.lastEvents.length - kept.length;
    for (const e of g.firstEvents) this.budget.release(e);
    for (const e of g.lastEvents) this.budget.release(e);
    g.firstEvents = kept;
    g.lastEvents = [];
    this.account(g);
  }

  /** The value of the correlation's `field` (several fields: their values as one JSON key). */
  protected fieldValue(hit: Hit): unknown {
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

  /**
   * Event time moved to `t`: close windows that ended and drop groups that expired (sliding groups
   * are swept every 256 calls, or now with `sweep`).
   */
  advance(t: number, out: Fire[], sweep = false): void {
    if (t <= this.watermark) return;
    this.watermark = t;
    this.expire(t, out, sweep);
  }

  /** End of input: judge what is open (the end of input is not silence) and forget every group. */
  flush(_out: Fire[]): void {
    for (const g of this.groups.values()) this.drop(g);
  }

  /** Number of groups held (for tests and memory checks). */
  get size(): number {
    return this.groups.size;
  }
}
