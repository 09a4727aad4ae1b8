/** Catalogue rules and compile errors as the API shows them. */
import type { RuleCompileError, RuleRef, RuleSummary } from '../../../shared/rule-schemas.js';
import { iso } from '../../platform/ids.js';
import type { Catalog, CatalogRule } from './rule-catalog.js';
import type { RuleHitsRow } from './rule.repository.js';
import type { CompileError } from '@tocsin/sigma';

/** What the catalogue does not hold: whether the rule is enabled now, and its compile error in the live engine. */
export interface RuleStatus {
  isEnabled: (id: string) => boolean;
  errorOf: (id: string) => string | null;
}

export function toSummary(cat: Catalog, r: CatalogRule, h: RuleHitsRow | undefined, st: RuleStatus): RuleSummary {
  return {
    id: r.id,
    name: r.name,
    title: r.title,
    titleZh: r.titleZh,
    level: r.level,
    kind: r.kind,
    logsource: r.logsource,
    tags: r.tags,
    origin: r.origin,
    file: r.file,
    enabled: st.isEnabled(r.id),
    reported: cat.reported.has(r),
    hits: Number(h?.hits ?? 0),
    lastHitAt: iso(h?.last_hit_at ?? null),
    error: st.errorOf(r.id),
  };
}

/** A reference to a rule as written (`ref`), with the rule it resolves to if any. */
export const toRuleRef = (ref: string, r: CatalogRule | undefined, st: RuleStatus): RuleRef => ({
  ref,
  id: r?.id ?? null,
  title: r?.title ?? null,
  titleZh: r?.titleZh ?? null,
  kind: r?.kind ?? null,
  enabled: r ? st.isEnabled(r.id) : null,
});

export function toCompileError(e: CompileError, cat: Catalog): RuleCompileError {
  const r = e.ruleId ? cat.byId.get(e.ruleId) : undefined;
  return {
    file: e.file,
    origin: r?.origin ?? null,
    ruleId: e.ruleId ?? null,
    title: r?.title ?? null,
    reason: e.reason,
  };
}
