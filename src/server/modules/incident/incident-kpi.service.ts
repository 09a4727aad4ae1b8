/**
 * The incident facts the performance figures are computed from (issue 16, docs/kpi.md): the few columns of
 * each incident in a scope with its services, the services' names, and the key and title of those a reader may see (drill-down).
 * The kpi module combines them with the other modules' aggregate reads.
 */
import type { Store } from '../../platform/db/connect.js';
import {
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
export interface IncidentFacts {
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
  /** The earliest first event of its alerts. */
  firstAlertSeenAt: Float64Array;
  /** When its first public statement was published. */
  firstPublicStatementAt: Float64Array;
  /** When the first message of its customer campaigns was sent. */
  firstNoticeSentAt: Float64Array;
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
     * Every incident of the scope (false positives excluded) and the columns the figures need, with the
     * instants other modules own (kept on the incident: first alert event, statement, customer message).
     */
    async facts(scope: IncidentScope, opts: { ids?: boolean } = {}): Promise<IncidentFacts> {
      const cols = {
        detectedAt: new Column(),
        acknowledgedAt: new Column(),
        containedAt: new Column(),
        recoveredAt: new Column(),
        customersAffected: new Column(),
        firstAlertSeenAt: new Column(),
        firstPublicStatementAt: new Column(),
        firstNoticeSentAt: new Column(),
      };
      const grade = new Codes();
      const category = new Codes();
      const ids: string[] = [];
      const services: (string | null)[] = [];
      const n = await readIncidentFacts(deps.store, scope, !!opts.ids, (r) => {
        const i = services.length;
        grade.push(i, r[0] as string);
        category.push(i, r[1] as string);
        cols.detectedAt.push(i, r[2]);
        cols.acknowledgedAt.push(i, r[3]);
        cols.containedAt.push(i, r[4]);
        cols.recoveredAt.push(i, r[5]);
        cols.customersAffected.push(i, r[6]);
        services.push((r[7] as string | null) || null);
        cols.firstAlertSeenAt.push(i, r[8]);
        cols.firstPublicStatementAt.push(i, r[9]);
        cols.firstNoticeSentAt.push(i, r[10]);
        if (opts.ids) ids.push(r[11] as string);
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
        firstAlertSeenAt: cols.firstAlertSeenAt.take(n),
        firstPublicStatementAt: cols.firstPublicStatementAt.take(n),
        firstNoticeSentAt: cols.firstNoticeSentAt.take(n),
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
