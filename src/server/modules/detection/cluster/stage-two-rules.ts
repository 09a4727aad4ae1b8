/**
 * What stage two needs to know of the live rule set besides the correlator: the correlations'
 * timespans, and a signature of what its correlators are made of (so a rule change that touches no
 * correlation does not make every partition replay its stream).
 */
import { createHash } from 'node:crypto';
import YAML from 'yaml';
import type { CatalogRule, RuleSetPlan } from '../rule-catalog.js';

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

/**
 * The correlations of `plan`, the rules they read (transitively) and which of those are muted, with
 * what else shapes a correlator: equal signatures make equal correlators.
 */
export function correlatorSignature(
  plan: Pick<RuleSetPlan, 'included' | 'muted'>,
  byRef: ReadonlyMap<string, CatalogRule>,
  extra: unknown,
): string {
  const parts = new Set<CatalogRule>();
  const visit = (r: CatalogRule) => {
    if (parts.has(r)) return;
    parts.add(r);
    for (const ref of r.refs) {
      const t = byRef.get(ref);
      if (t && plan.included.has(t)) visit(t);
    }
  };
  for (const r of plan.included) if (r.kind === 'correlation') visit(r);
  const h = createHash('sha256').update(JSON.stringify(extra ?? null));
  for (const r of [...parts].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)))
    h.update(`\0${r.id}\0${plan.muted.has(r.id) ? 1 : 0}\0${r.yaml}`);
  return h.digest('hex');
}
