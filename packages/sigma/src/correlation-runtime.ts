/**
 * The correlations of a compiled rule set at run time, as an engine and a correlator both run them: one
 * memory budget, event time (the watermark) with the wall clock for `tick`, and firings reported as
 * matches and fed up chains of correlations (a correlation of correlations), depth first.
 */
import type { CorrelationLimits, CorrelationNode, Fire, Hit } from './correlation.js';
import { StateBudget } from './correlation-state.js';
import type { SigmaMatch } from './event.js';
import { readKey } from './field-access.js';

/** A rule's id as matches name it: its id, else its name, else `file:title`. */
export const ruleId = (r: { id?: string; name?: string; title: string; file: string }): string =>
  r.id ?? r.name ?? `${r.file}:${r.title}`;

/** Correlation state, for memory checks. */
export interface CorrelationStats {
  /** Groups held across all correlations. */
  groups: number;
  /** Distinct events they keep as samples. */
  events: number;
  /** Approximate bytes they hold (events counted once), and the budget. */
  bytes: number;
  maxBytes: number;
  /** Sample events given up to stay within the byte budget (the groups' counts stay). */
  shedEvents: number;
  /** Groups dropped to stay within `maxGroups` or the byte budget (their counts are lost). */
  evictedGroups: number;
}

const toMatch = (f: Fire): SigmaMatch => ({
  ruleId: ruleId(f.node.meta),
  ruleTitle: f.node.meta.title,
  level: f.node.meta.level ?? 'medium',
  tags: f.node.meta.tags,
  kind: 'correlation',
  events: f.events,
  group: f.group,
  time: f.time,
});

/** A correlation's firing as a hit of the correlations that reference it: its group-by values, then its last event's fields. */
const fireHit = (f: Fire): Hit => {
  const last = f.events[f.events.length - 1];
  return {
    time: f.time,
    events: f.events,
    get: (field) => (field in f.group ? f.group[field] : last ? readKey(last.fields, field) : undefined),
  };
};

export class CorrelationRuntime {
  private readonly budget: StateBudget;
  /** Event time: the latest reached (by an event, or told). */
  watermark = -Infinity;
  /** Wall time when the watermark last advanced, and the event time `tick` carried it to. */
  private seenAt = 0;
  private ticked = -Infinity;

  constructor(
    readonly nodes: CorrelationNode[],
    private readonly limits: CorrelationLimits,
    private readonly latenessMs: number,
    private readonly clock: () => number,
  ) {
    this.budget = new StateBudget(limits.maxStateBytes);
    for (const n of nodes) {
      n.budget = this.budget;
      this.budget.members.push(n);
    }
  }

  /** Reports firings and feeds them to the correlations that reference them, depth first. */
  private emit(fires: Fire[], out: SigmaMatch[]): void {
    for (const f of fires) {
      if (f.node.emits) out.push(toMatch(f));
      for (const p of f.node.parents) {
        const next: Fire[] = [];
        p.node.onHit([p.index], fireHit(f), next);
        this.emit(next, out);
      }
    }
  }

  /** A hit of the referenced rules at `indices` of `node`. */
  hit(node: CorrelationNode, indices: number[], hit: Hit, out: SigmaMatch[]): void {
    const fires: Fire[] = [];
    node.onHit(indices, hit, fires);
    this.emit(fires, out);
  }

  /** Event time reached `t`: every correlation closes what ended. False when `t` is no later than before. */
  advance(t: number, out: SigmaMatch[]): boolean {
    if (t <= this.watermark) return false;
    this.watermark = t;
    for (const n of this.nodes) {
      const fires: Fire[] = [];
      n.advance(t, fires);
      this.emit(fires, out);
    }
    return true;
  }

  /** The watermark advanced now (wall clock), for `tick`. */
  touched(): void {
    this.seenAt = this.clock();
  }

  /** Idle input: event time taken to go on with the wall clock since it last advanced, less the lateness allowance. */
  tick(now: number): SigmaMatch[] {
    const out: SigmaMatch[] = [];
    if (!this.nodes.length || this.watermark === -Infinity) return out;
    const t = this.watermark + (now - this.seenAt) - this.latenessMs;
    if (t <= this.watermark || t <= this.ticked) return out;
    this.ticked = t;
    for (const n of this.nodes) {
      const fires: Fire[] = [];
      n.advance(t, fires, true);
      this.emit(fires, out);
    }
    return out;
  }

  flush(): SigmaMatch[] {
    const out: SigmaMatch[] = [];
    for (const n of this.nodes) {
      const fires: Fire[] = [];
      n.flush(fires);
      this.emit(fires, out);
    }
    return out;
  }

  state(): number {
    return this.nodes.reduce((a, n) => a + n.size, 0);
  }

  stats(): CorrelationStats {
    return {
      groups: this.state(),
      events: this.budget.events,
      bytes: Math.max(0, Math.round(this.budget.bytes)),
      maxBytes: this.limits.maxStateBytes,
      shedEvents: this.budget.shed,
      evictedGroups: this.budget.evicted,
    };
  }
}
