/**
 * Correlation state and its memory: per group-by key groups, their sample events, group keys, and the
 * byte budget shared by every correlation of an engine.
 *
 * Memory is what events cost, so a group keeps few of them: the first `ceil(maxEventsInMatch / 2)` and
 * the last `floor(maxEventsInMatch / 2)` hits' events still inside the window (a match reports those,
 * and an alert keeps at most 20 anyway). Everything groups hold is counted in approximate bytes
 * against one budget per engine (`maxStateBytes`): each group's own size, and each event once however
 * many groups (of however many correlations) hold it (reference-counted), at the average size of
 * events held (one in 64 measured). Past the budget, state is freed down to 90% of it, evidence
 * first: the least recently hit groups of any correlation give up their sample events (their counts
 * stay; a window keeps its newest event, a sliding group none, as the hit that makes it fire brings its
 * own), counted in `shedEvents`; only if that is not enough are the least recently hit groups dropped,
 * counted in `evictedGroups`.
 */
import type { DetectionEvent } from './event.js';
import type { CondOp } from './rule-parse.js';

/** Bytes a group costs besides its values and events (object, arrays, map, key). */
const GROUP_BYTES = 480;
/** Bytes per held hit time or value, and per distinct value (map entry) besides its text. */
const SLOT_BYTES = 16;
const ENTRY_BYTES = 64;

export interface Group {
  key: string;
  group: Record<string, unknown>;
  last: number;
  start: number;
  /** Sliding windows: hit times (and values) in arrival order, from index `head`. */
  times: number[];
  values: unknown[];
  head: number;
  sum: number;
  /** Windows: numeric values summed (value_avg). */
  n: number;
  distinct: Map<string, number>;
  count: number;
  /** Sample events: the first few (`firstEvents`) and the last few (`lastEvents`) still in the window. */
  firstEvents: DetectionEvent[];
  lastEvents: DetectionEvent[];
  /** temporal: last time per referenced rule; temporal_ordered: start time of the partial sequence ending at each step. */
  steps: number[];
  stepEvents: DetectionEvent[][];
  /** Approximate bytes: of text values held, and of the group without its events (as charged to the budget). */
  textBytes: number;
  bytes: number;
}

export function freshGroup(key: string, group: Record<string, unknown>, t: number, steps: number): Group {
  return {
    key,
    group,
    last: t,
    start: t,
    times: [],
    values: [],
    head: 0,
    sum: 0,
    n: 0,
    distinct: new Map(),
    count: 0,
    firstEvents: [],
    lastEvents: [],
    steps: new Array<number>(steps).fill(NaN),
    stepEvents: new Array<DetectionEvent[]>(steps).fill([]),
    textBytes: 0,
    bytes: 0,
  };
}

/** What a group costs now besides its events (approximate bytes). */
export const groupBytes = (g: Group): number =>
  GROUP_BYTES +
  2 * g.key.length +
  SLOT_BYTES * (g.times.length + g.values.length + g.firstEvents.length + g.lastEvents.length) +
  (ENTRY_BYTES + SLOT_BYTES) * g.distinct.size +
  g.textBytes;

/** Bytes a text value held by a group costs beside its slot. */
export const textBytes = (v: unknown): number => (typeof v === 'string' ? 16 + v.length : 0);
export const entryBytes = (k: string): number => 16 + k.length;

function valueBytes(v: unknown, depth: number): number {
  if (typeof v === 'string') return 16 + v.length;
  if (v === null || typeof v !== 'object') return 8;
  if (depth > 8) return 64;
  let n = 32;
  if (Array.isArray(v)) for (const x of v) n += 8 + valueBytes(x, depth + 1);
  else
    for (const k in v as Record<string, unknown>)
      n += 40 + k.length + valueBytes((v as Record<string, unknown>)[k], depth + 1);
  return n;
}

/** Approximate heap bytes of an event (about 25% above V8's figure for flattened Sysmon events). */
export const eventBytes = (e: DetectionEvent): number =>
  160 + e.id.length + e.source.length + valueBytes(e.logsource, 0) + valueBytes(e.fields, 0);

/** Keeps `e` as a sample of the group: among the first `nFirst`, else among the last `nLast`. */
export function sampleEvent(g: Group, e: DetectionEvent, nFirst: number, nLast: number, budget: StateBudget): void {
  if (g.firstEvents.length < nFirst) g.firstEvents.push(e);
  else if (nLast > 0) {
    g.lastEvents.push(e);
    if (g.lastEvents.length > nLast) budget.release(g.lastEvents.shift()!);
  } else return;
  budget.hold(e);
}

/** Drops sample events older than `cut` (they left a sliding window). */
export function expireSamples(g: Group, cut: number, budget: StateBudget): void {
  expireFrom(g.firstEvents, cut, budget);
  expireFrom(g.lastEvents, cut, budget);
}

function expireFrom(list: DetectionEvent[], cut: number, budget: StateBudget): void {
  // Samples come in time order but for late events; those the first one does not show expired are
  // left to `samples`, which filters by time again.
  if (!list.length || list[0]!.time >= cut) return;
  let j = 0;
  for (let i = 0; i < list.length; i++) {
    const e = list[i]!;
    if (e.time < cut) budget.release(e);
    else list[j++] = e;
  }
  list.length = j;
}

/** Releases every event the group holds (before it is dropped or starts over). */
export function releaseEvents(g: Group, budget: StateBudget): void {
  for (const e of g.firstEvents) budget.release(e);
  for (const e of g.lastEvents) budget.release(e);
  for (const es of g.stepEvents) for (const e of es) budget.release(e);
}

/** The group's sample events at or after `cut`, in time order. */
export function samples(g: Group, cut = -Infinity): DetectionEvent[] {
  const out = [...g.firstEvents, ...g.lastEvents].filter((e) => e.time >= cut);
  return out.sort((a, b) => a.time - b.time);
}

/** At most `max` events: the first half and the last half of them. */
export function firstAndLast<T>(xs: T[], max: number): T[] {
  if (xs.length <= max) return xs;
  const nFirst = Math.ceil(max / 2);
  return [...xs.slice(0, nFirst), ...xs.slice(xs.length - (max - nFirst))];
}

/** Group-by values other than text are marked with a leading NUL, which text values never start with in practice. */
const part = (v: unknown): string => {
  switch (typeof v) {
    case 'string':
      return v;
    case 'number':
      return `\0n${v}`;
    case 'boolean':
      return v ? '\0t' : '\0f';
    default:
      return v === null || v === undefined ? '\0z' : `\0j${JSON.stringify(v)}`;
  }
};

/**
 * A map key for group-by values, without JSON: one text value is its own key; several are
 * length-prefixed, so different values never share a key.
 */
export function groupKey(values: unknown[]): string {
  if (values.length === 1) return part(values[0]);
  let k = '';
  for (const v of values) {
    const p = part(v);
    k += `${p.length}:${p}`;
  }
  return k;
}

/** A correlation's groups as the budget sees them. */
export interface BudgetMember {
  /** Event time of the least recently hit group it holds (+Infinity when none). */
  oldest(): number;
  /** Drops that group. */
  evictOldest(): void;
  /** Starts a pass over its groups, least recently hit first, to shed sample events. */
  restartShed(): void;
  /** Event time of the next group of the pass with sample events to shed (+Infinity when none). */
  nextToShed(): number;
  /** Sheds that group's sample events. */
  shedNext(): void;
}

/** One memory budget for all the correlations of an engine. */
export class StateBudget {
  /** Bytes of the groups themselves (without their events). */
  groupBytes = 0;
  evicted = 0;
  shed = 0;
  readonly members: BudgetMember[] = [];
  /** Events held by groups, and how many times each is held (charged once). */
  private readonly held = new Map<DetectionEvent, number>();
  /** Average size of the events held, from one in 64 newly held events. */
  private avgEvent = 2048;
  private measured = 0;
  private seen = 0;
  constructor(readonly maxBytes: number) {}

  /** Approximate bytes of all state: groups, and each event held once. */
  get bytes(): number {
    return this.groupBytes + this.held.size * this.avgEvent;
  }

  hold(e: DetectionEvent): void {
    const refs = this.held.get(e);
    this.held.set(e, (refs ?? 0) + 1);
    if (refs === undefined && (this.seen++ & 63) === 0) {
      // A cumulative mean over the first 1,024 measured, then a moving one.
      this.measured = Math.min(this.measured + 1, 1024);
      this.avgEvent += (eventBytes(e) - this.avgEvent) / this.measured;
    }
  }

  release(e: DetectionEvent): void {
    const refs = this.held.get(e);
    if (refs === undefined) return;
    if (refs > 1) this.held.set(e, refs - 1);
    else this.held.delete(e);
  }

  /** Distinct events held. */
  get events(): number {
    return this.held.size;
  }

  /** Over budget: drops the least recently hit groups, across correlations, down to 90% of it. */
  reclaim(): void {
    if (this.bytes <= this.maxBytes) return;
    const target = this.maxBytes * 0.9;
    // Evidence first: counts stay right.
    for (const m of this.members) m.restartShed();
    while (this.bytes > target) {
      const victim = this.least((m) => m.nextToShed());
      if (!victim) break;
      victim.shedNext();
    }
    while (this.bytes > target) {
      const victim = this.least((m) => m.oldest());
      if (!victim) break;
      victim.evictOldest();
    }
  }

  private least(time: (m: BudgetMember) => number): BudgetMember | null {
    let victim: BudgetMember | null = null;
    let t = Infinity;
    for (const m of this.members) {
      const o = time(m);
      if (o < t) {
        t = o;
        victim = m;
      }
    }
    return victim;
  }
}

/** A correlation condition's comparison. */
export const test = (op: CondOp, x: number, v: number): boolean => {
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

/** A number, or text that is one. */
export const numberOf = (v: unknown): number | undefined => {
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  if (typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v))) return Number(v);
  return undefined;
};
