/** Which class runs a correlation rule: by its type and whether its condition has an upper bound. */
import type { CorrelationLimits, CorrelationNode } from './correlation.js';
import { PercentileNode, SlidingCountNode } from './correlation-sliding.js';
import { OrderedNode, TemporalNode } from './correlation-temporal.js';
import { WindowNode } from './correlation-window.js';
import type { ParsedCorrelation } from './rule-parse.js';
import type { RuleMeta } from './types.js';

export function createCorrelationNode(
  meta: RuleMeta,
  spec: ParsedCorrelation,
  /** Names of the referenced rules, by reference index (for aliases). */
  refNames: string[][],
  limits: CorrelationLimits,
): CorrelationNode {
  switch (spec.type) {
    case 'temporal':
      return new TemporalNode(meta, spec, refNames, limits);
    case 'temporal_ordered':
      return new OrderedNode(meta, spec, refNames, limits);
    case 'value_percentile':
      return new PercentileNode(meta, spec, refNames, limits);
  }
  const lowerBoundOnly = spec.condition.every((c) => c.op === 'gt' || c.op === 'gte');
  return spec.type === 'value_avg' || !lowerBoundOnly
    ? new WindowNode(meta, spec, refNames, limits)
    : new SlidingCountNode(meta, spec, refNames, limits);
}
