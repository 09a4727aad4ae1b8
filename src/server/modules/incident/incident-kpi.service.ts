/**
 * The incident facts the performance figures are computed from (issue 16, docs/kpi.md): the few columns of
 * each incident in a scope with its services, the services' names, and the key and title of those a reader may see (drill-down).
 * The kpi module combines them with the other modules' aggregate reads.
 */
import type { Store } from '../../platform/db/connect.js';
import {
  type IncidentInstant,
  scopedFalsePositives,
  readIncidentFacts,
  serviceNames,
  scopedVisibleIncidents,
} from './kpi-facts.repository.js';

import type { IncidentScope } from './kpi-scope.js';

export type { IncidentScope } from './kpi-scope.js';

/**
 * The incidents of a scope as columns (one entry per incident, in the same order): what the figures need,
 * kept in typed arrays so that 100,000 incidents are a few arrays rather than 100,000 objects. An instant
 * that is missing is NaN.
 */
export interface IncidentFacts<K extends string = string> {
  count: number;
  /** Ids, when asked for (drill-down). */
  ids: string[];
  /** Grade and category of each incident: an index into `grades` / `categories`. */
  grade: Uint8Array;
  grades: string[];
  category: Uint8Array;
  categories: string[];
  detectedAt: Float64Array;
  acknowledgedAt: Float64Array;
  containedAt: Float64Array;
  recoveredAt: Float64Array;
  /** Customers affected, NaN where not known. */
  customersAffected: Float64Array;
  /** The business services each names: comma-joined ids, null for none. */
  services: (string | null)[];
  /** The instants other modules gave (`facts`' `instants`). */
  at: Record<K, Float64Array>;
}

/** A growable Float64Array column (NaN: none). */
class Column {
  data = new Float64Array(1024);
  push(i: number, v: unknown) {
    if (i === this.data.length) {
      const next = new Float64Array(this.data.length * 2);
      next.set(this.data);
      this.data = next;
    }
    this.data[i] = v === null || v === undefined ? Number.NaN : Number(v);
  }
  take(n: number) {
    return this.data.slice(0, n);
  }
}

/** Dictionary-encodes a few distinct strings (grades, categories) into a growable byte column. */
class Codes {
  values: string[] = [];
  private index = new Map<string, number>();
  data = new Uint8Array(1024);
  push(i: number, v: string) {
    let c = this.index.get(v);
    if (c === undefined) {
      c = this.values.length;
      if (c > 255) throw new Error('more than 256 distinct values');
      this.index.set(v, c);
      this.values.push(v);
    }
    if (i === this.data.length) {
      const next = new Uint8Array(this.data.length * 2);
      next.set(this.data);
      this.data = next;
    }
    this.data[i] = c;
  }
}

export function createIncidentKpi(deps: { store: Store }) {
  const db = () => deps.store.db;
  return {
    /**
     * Every incident of the scope (false positives excluded), the columns the figures need, and per incident
     * each of `instants` (owned by other modules: first alert, statement, customer message).
     */
    async facts<K extends string>(
      scope: IncidentScope,
      instants: Record<K, IncidentInstant | null>,
      opts: { ids?: boolean } = {},
    ): Promise<IncidentFacts<K>> {
      const keys = Object.keys(instants) as K[];
      const cols = {
        detectedAt: new Column(),
        acknowledgedAt: new Column(),
        containedAt: new Column(),
        recoveredAt: new Column(),
        customersAffected: new Column(),
      };
      const at = keys.map(() => new Column());
      const grade = new Codes();
      const category = new Codes();
      const ids: string[] = [];
      const services: (string | null)[] = [];
      const k0 = opts.ids ? 9 : 8;
      const n = await readIncidentFacts(deps.store, scope, instants, !!opts.ids, (r) => {
        const i = services.length;
        grade.push(i, r[0] as string);
        category.push(i, r[1] as string);
        cols.detectedAt.push(i, r[2]);
        cols.acknowledgedAt.push(i, r[3]);
        cols.containedAt.push(i, r[4]);
        cols.recoveredAt.push(i, r[5]);
        cols.customersAffected.push(i, r[6]);
        if (opts.ids) ids.push(r[7] as string);
        services.push((r[k0 - 1] as string | null) || null);
        for (let j = 0; j < keys.length; j++) (at[j] as Column).push(i, r[k0 + j]);
      });
      return {
        count: n,
        ids,
        grade: grade.data.slice(0, n),
        grades: grade.values,
        category: category.data.slice(0, n),
        categories: category.values,
        detectedAt: cols.detectedAt.take(n),
        acknowledgedAt: cols.acknowledgedAt.take(n),
        containedAt: cols.containedAt.take(n),
        recoveredAt: cols.recoveredAt.take(n),
        customersAffected: cols.customersAffected.take(n),
        services,
        at: Object.fromEntries(keys.map((k, j) => [k, (at[j] as Column).take(n)])) as Record<K, Float64Array>,
      };
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
