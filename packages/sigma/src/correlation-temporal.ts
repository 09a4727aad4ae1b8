/**
 * Temporal correlations: `temporal`, all (or `condition` many) referenced rules hit within the
 * timespan, in any order; `temporal_ordered`, in the order listed. A group keeps a time and the events
 * per step (its evidence, never shed), and starts over when it fires.
 */
import type { Fire, Hit } from './correlation.js';
import { CorrelationNode } from './correlation.js';
import { firstAndLast, type Group } from './correlation-state.js';
import type { DetectionEvent } from './event.js';

abstract class StepNode extends CorrelationNode {
  protected override readonly keptWhenShed = null;

  protected setStep(g: Group, i: number, events: DetectionEvent[]): void {
    for (const e of events) this.budget.hold(e);
    for (const e of g.stepEvents[i]!) this.budget.release(e);
    g.stepEvents[i] = events;
  }
}

/** temporal: each step holds the last time its rule hit; fires when enough steps fall within the timespan. */
export class TemporalNode extends StepNode {
  protected apply(g: Group, indices: number[], hit: Hit, t: number, out: Fire[]): void {
    const span = this.spec.timespanMs;
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
        this.limits.maxEventsInMatch,
      );
      out.push({ node: this, time: t, events, group: g.group });
      this.reset(g, t);
    }
  }
}

/**
 * temporal_ordered: step i holds the start time of a partial sequence of the first i + 1 rules in
 * order; fires when the last step is reached within the timespan.
 */
export class OrderedNode extends StepNode {
  protected apply(g: Group, indices: number[], hit: Hit, t: number, out: Fire[]): void {
    const span = this.spec.timespanMs;
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
          this.setStep(g, i, firstAndLast([...prevEvents, ...hit.events], this.limits.maxEventsInMatch));
        }
      }
    }
    if (!Number.isNaN(g.steps[last]!) && t - g.steps[last]! <= span) {
      out.push({ node: this, time: t, events: g.stepEvents[last]!, group: g.group });
      this.reset(g, t);
    }
  }
}
