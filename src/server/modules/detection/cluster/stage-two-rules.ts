/** What stage two needs to know of the live rule set besides the correlator: the correlations' timespans. */
import YAML from 'yaml';
import type { CatalogRule } from '../rule-catalog.js';

const UNIT_MS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };

/** The timespan (ms) of each correlation among `rules` that states a readable one (`90m`, `1h`, ...). */
export function correlationTimespans(rules: Iterable<CatalogRule>): { ruleId: string; ms: number }[] {
  const out: { ruleId: string; ms: number }[] = [];
  for (const r of rules) {
    if (r.kind !== 'correlation') continue;
    let doc: unknown;
    try {
      doc = YAML.parse(r.yaml);
    } catch {
      continue; // the engine reports why
    }
    const c = (doc as { correlation?: { timespan?: unknown; timeframe?: unknown } } | null)?.correlation;
    const v = c?.timespan ?? c?.timeframe;
    const m = typeof v === 'string' ? /^\s*(\d+)\s*([smhdw])\s*$/.exec(v) : null;
    if (m) out.push({ ruleId: r.id, ms: Number(m[1]) * UNIT_MS[m[2]!]! });
  }
  return out;
}
