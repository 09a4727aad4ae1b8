/**
 * The incident facts the performance figures are computed from (issue 16, docs/kpi.md): the few columns of
 * each incident in a scope, its services, and the key and title of those a reader may see (drill-down).
 * The kpi module combines them with the other modules' aggregate reads.
 */
import type { Store } from '../../platform/db/connect.js';
import {
  scopedFalsePositives,
  scopedIncidentFacts,
  scopedServicePairs,
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
}

export function createIncidentKpi(deps: { store: Store }) {
  const db = () => deps.store.db;
  return {
    /** Every incident of the scope (false positives excluded), the columns the figures need. */
    async facts(scope: IncidentScope): Promise<IncidentFact[]> {
      const rows = await scopedIncidentFacts(db(), scope);
      return rows.map((r) => ({
        id: r.id,
        grade: r.grade,
        category: r.category,
        detectedAt: Number(r.detected_at),
        acknowledgedAt: num(r.acknowledged_at),
        containedAt: num(r.contained_at),
        recoveredAt: num(r.recovered_at),
        customersAffected: num(r.customers_affected),
      }));
    },
    /** False positives detected in the period (counted apart). */
    falsePositives: (scope: IncidentScope) => scopedFalsePositives(db(), scope),
    /** The services the scope's incidents name. */
    async services(scope: IncidentScope) {
      const rows = await scopedServicePairs(db(), scope);
      return rows.map((r) => ({
        incidentId: r.incident_id,
        serviceId: r.service_id,
        nameEn: r.name_en,
        nameZh: r.name_zh,
      }));
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
