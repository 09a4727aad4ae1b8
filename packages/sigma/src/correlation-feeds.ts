/**
 * Two-stage evaluation, the part both stages agree on: what a rule hit sent to a correlation looks like
 * (a `CorrelationFeed`, plain JSON), which partition key it carries, and which partition a key goes to.
 *
 * Correlations connected through a referenced rule they share, or through chaining (a correlation of
 * correlations), form a component. A component's feeds must be able to meet in one correlator: their key
 * is the component's id (the least rule id of its correlations) followed by the JSON of the values of the
 * group-by fields common to all its correlations, in name order; without such fields, the id alone (the
 * whole component in one partition). A field read under an alias that differs along a chain is not
 * common: a parent would group a child's firings by another value.
 */
import type { EngineRule } from './compile.js';
import type { CorrelationNode } from './correlation.js';
import { ruleId } from './correlation-runtime.js';
import type { DetectionEvent } from './event.js';

/** A rule hit a correlation consumes, as plain JSON (crosses processes). */
export interface CorrelationFeed {
  /** The fed correlation's rule id (as SigmaMatch.ruleId names it). */
  correlation: string;
  /** Which of its referenced rules this hit counts for. */
  indices: number[];
  /** Partition key: equal for all feeds that must meet in one correlator. */
  key: string;
  /** Event time (epoch ms). */
  time: number;
  /** The event (kept as sample / match evidence). */
  event: DetectionEvent;
  /** Every field value the correlation reads from the hit, by Sigma field name, read under the route's renames. */
  values: Record<string, unknown>;
}

/** How stage one makes the feed of one rule into one correlation. */
export interface FeedPlan {
  correlation: string;
  component: string;
  /** Fields (as read from the hit) whose values make the key, in order. */
  keyFields: string[];
  /** Every field the correlation reads from the hit. */
  valueFields: string[];
}

/** Which partition of `n` a key goes to: FNV-1a (32 bits) of its UTF-8 bytes, modulo `n`. Stable across processes and versions. */
export function partitionOf(key: string, n: number): number {
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`partition count must be a positive integer, not ${n}`);
  let h = 0x811c9dc5;
  for (const b of Buffer.from(key, 'utf8')) h = Math.imul(h ^ b, 0x01000193);
  return (h >>> 0) % n;
}

/** The plans of every (rule, correlation) feed of a compiled rule set. */
export function planFeeds(rules: EngineRule[], nodes: CorrelationNode[]): Map<EngineRule, FeedPlan[]> {
  // Components: union-find over correlations, joined by shared rules and by chaining.
  const parent = new Map<CorrelationNode, CorrelationNode>(nodes.map((n) => [n, n]));
  const find = (n: CorrelationNode): CorrelationNode => {
    let r = n;
    while (parent.get(r) !== r) r = parent.get(r)!;
    parent.set(n, r);
    return r;
  };
  const union = (a: CorrelationNode, b: CorrelationNode) => parent.set(find(a), find(b));
  for (const r of rules) for (const f of r.feeds.slice(1)) union(r.feeds[0]!.node, f.node);
  for (const n of nodes) for (const p of n.parents) union(n, p.node);

  const members = new Map<CorrelationNode, CorrelationNode[]>();
  for (const n of nodes) members.set(find(n), [...(members.get(find(n)) ?? []), n]);
  const component = new Map<CorrelationNode, { id: string; common: string[] }>();
  for (const group of members.values()) {
    const id = group.map((n) => ruleId(n.meta)).sort()[0]!;
    let common = [...new Set(group[0]!.spec.groupBy)];
    for (const n of group) common = common.filter((f) => n.spec.groupBy.includes(f));
    for (const n of group)
      for (const p of n.parents) common = common.filter((f) => p.node.groupField(f, p.index) === f);
    common.sort();
    for (const n of group) component.set(n, { id, common });
  }

  const plans = new Map<EngineRule, FeedPlan[]>();
  for (const r of rules) {
    if (!r.feeds.length) continue;
    plans.set(
      r,
      r.feeds.map(({ node, indices }) => {
        const c = component.get(node)!;
        const index = indices[0]!;
        return {
          correlation: ruleId(node.meta),
          component: c.id,
          keyFields: c.common.map((f) => node.groupField(f, index)),
          valueFields: [...new Set([...node.spec.groupBy.map((f) => node.groupField(f, index)), ...node.spec.field])],
        };
      }),
    );
  }
  return plans;
}

/** The feed of a hit of `event` by plan `p`, fields read by `read`. */
export function makeFeed(
  p: FeedPlan,
  indices: number[],
  event: DetectionEvent,
  read: (f: string) => unknown,
): CorrelationFeed {
  const values: Record<string, unknown> = Object.create(null);
  for (const f of p.valueFields) {
    const v = read(f);
    if (v !== undefined) values[f] = v;
  }
  const key = p.keyFields.length
    ? p.component + JSON.stringify(p.keyFields.map((f) => values[f] ?? null))
    : p.component;
  return { correlation: p.correlation, indices: [...indices], key, time: event.time, event, values };
}
