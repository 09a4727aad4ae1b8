/**
 * Correlations judged once per window: event_count, value_count and value_sum with an upper bound
 * (lt, lte, eq, neq, ranges), and value_avg. A window opens at a group's first hit and is judged when
 * event time passes its end (a later hit, the engine's `tick`, or flush). Where the condition holds for
 * no hits at all (`lt: 3`), a group whose window closed without firing is watched for silence: a whole
 * timespan after it with no hit fires once, with the group's last event, and the group is forgotten
 * until it hits again. The end of input (flush) is not silence.
 */
import type { CorrelationLimits, Fire, Hit } from './correlation.js';
import { CountingNode } from './correlation-counting.js';
import { samples, type Group } from './correlation-state.js';
import type { DetectionEvent } from './event.js';
import type { ParsedCorrelation } from './rule-parse.js';
import type { RuleMeta } from './types.js';

export class WindowNode extends CountingNode {
  protected override readonly keepsOpeningOrder = true;
  /** A window keeps its newest sample event when shedding: a match needs one. */
  protected override readonly keptWhenShed = 1;
  protected override readonly sweeps = false;
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

  constructor(meta: RuleMeta, spec: ParsedCorrelation, refNames: string[][], limits: CorrelationLimits) {
    super(meta, spec, refNames, limits);
    const t = spec.type;
    this.watchesSilence = (t === 'event_count' || t === 'value_count' || t === 'value_sum') && this.cond(0);
  }

  protected apply(g: Group, _indices: number[], hit: Hit, t: number, out: Fire[]): void {
    if (g.count > 0 && t >= g.start + this.spec.timespanMs) {
      this.close(g, out);
      this.reset(g, t);
      this.groups.delete(g.key);
      this.groups.set(g.key, g);
    }
    if (g.count === 0) g.start = t;
    this.add(g, hit, t, false);
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

  /** Closes the windows that ended by `t`, and fires for the groups silent a whole timespan since. */
  protected override expire(t: number, out: Fire[]): void {
    const span = this.spec.timespanMs;
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
  }

  /** A group that hits again is not silent. */
  protected override opened(key: string): void {
    this.unwatch(key);
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

  /** End of input: judge every open window; watches are dropped (the end of input is not silence). */
  override flush(out: Fire[]): void {
    for (const g of this.groups.values()) this.close(g, out);
    super.flush(out);
    for (const key of [...this.quiet.keys()]) this.unwatch(key);
  }
}
