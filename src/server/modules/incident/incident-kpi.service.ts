/**
 * The incident facts the performance figures are computed from (issue 16, docs/kpi.md): the few columns of
 * each incident in a scope with its services, the services' names, and the key and title of those a reader may see (drill-down).
 * The kpi module combines them with the other modules' aggregate reads.
 */
import type { Store } from '../../platform/db/connect.js';
import {
  scopedFalsePositives,
  scopedIncidentFacts,
  serviceNames,
  scopedVisibleIncidents,
} from './kpi-facts.repository.js';

import type { IncidentScope } from './kpi-scope.js';

export type { IncidentScope } from './kpi-scope.js';

const num = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));

export interface IncidentFact {
  id: string;
  grade: string;
  category: string;
  detectedAt: number;
  acknowledgedAt: number | null;
  containedAt: number | null;
  recoveredAt: number | null;
  customersAffected: number | null;
  /** The business services it names (ids). */
  services: string[];
}

export function createIncidentKpi(deps: { store: Store }) {
  const db = () => deps.store.db;
  return {
    /** Every incident of the scope (false positives excluded), the columns the figures need. */
    async facts(scope: IncidentScope): Promise<IncidentFact[]> {
      const rows = await scopedIncidentFacts(db(), scope);
      const byId = new Map<string, IncidentFact>();
      for (const r of rows) {
        const known = byId.get(r.id);
        if (known) {
          if (r.service_id) known.services.push(r.service_id);
          continue;
        }
        byId.set(r.id, {
          id: r.id,
          grade: r.grade,
          category: r.category,
          detectedAt: Number(r.detected_at),
          acknowledgedAt: num(r.acknowledged_at),
          containedAt: num(r.contained_at),
          recoveredAt: num(r.recovered_at),
          customersAffected: num(r.customers_affected),
          services: r.service_id ? [r.service_id] : [],
        });
      }
      return [...byId.values()];
    },
    /** False positives detected in the period (counted apart). */
    falsePositives: (scope: IncidentScope) => scopedFalsePositives(db(), scope),
    /** Business services by id: their English and Chinese names. */
    async serviceNames(ids: readonly string[]) {
      const rows = await serviceNames(db(), ids);
      return new Map(rows.map((r) => [r.id, { nameEn: r.name_en, nameZh: r.name_zh }]));
    },
    /** Key and title of the scope's incidents `viewer` may see (null: sees all), newest first. */
    async visible(scope: IncidentScope, viewer: string | null) {
      const rows = await scopedVisibleIncidents(db(), scope, viewer);
      return rows.map((r) => ({
        id: r.id,
        key: r.key,
        title: r.title,
        grade: r.grade,
        category: r.category,
        detectedAt: Number(r.detected_at),
      }));
    },
  };
}
export type IncidentKpi = ReturnType<typeof createIncidentKpi>;
