/**
 * Duration statistics and slices of the figures (docs/kpi.md): count, mean, median and 90th percentile
 * (nearest rank) over the incidents that have both instants; an incident without one is not counted.
 * Values are kept in typed columns; each slice's values are gathered into a typed array of their exact
 * size and sorted natively (100,000 incidents: a few milliseconds a slice and figure).
 */
import { DURATION_KPIS, type DurationKpi, type DurationStat, type KpiSlice } from '../../../shared/kpi-schemas.js';

function statOfSorted(sorted: Float64Array): DurationStat {
  const n = sorted.length;
  if (n === 0) return { count: 0, meanMs: null, medianMs: null, p90Ms: null };
  let sum = 0;
  for (const v of sorted) sum += v;
  const mid = n >> 1;
  const median = n % 2 === 1 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
  const p90 = sorted[Math.max(0, Math.ceil(0.9 * n) - 1)] as number;
  return { count: n, meanMs: Math.round(sum / n), medianMs: Math.round(median), p90Ms: p90 };
}

/** Each duration as a column over the incidents (NaN: the incident has none). */
export type DurationColumns = Float64Array[];

/**
 * The slice of every group of a dimension: `keyOf(i)` the group of incident `i`, or its groups (an incident
 * naming several services), undefined for none. Each group's values of a duration are gathered into a
 * typed array of its exact size and sorted there (numeric sort, no comparator).
 */
export function slicesBy<K>(
  n: number,
  columns: DurationColumns,
  keyOf: (i: number) => K | readonly K[] | undefined,
): Map<K, KpiSlice> {
  const ids = new Map<K, number>();
  const keys: K[] = [];
  const idOf = (k: K) => {
    let id = ids.get(k);
    if (id === undefined) {
      id = keys.length;
      ids.set(k, id);
      keys.push(k);
    }
    return id;
  };
  const single = new Int32Array(n).fill(-1);
  const multi: (number[] | undefined)[] = new Array(n);
  for (let i = 0; i < n; i++) {
    const k = keyOf(i);
    if (k === undefined) continue;
    if (Array.isArray(k)) multi[i] = (k as readonly K[]).map(idOf);
    else single[i] = idOf(k as K);
  }
  const groups = keys.length;
  const counts = new Int32Array(groups);
  for (let i = 0; i < n; i++) {
    const g = single[i] as number;
    if (g >= 0) counts[g] = (counts[g] as number) + 1;
  }
  for (const gs of multi) if (gs) for (const g of gs) counts[g] = (counts[g] as number) + 1;
  const stats: DurationStat[][] = keys.map(() => []);
  for (const col of columns) {
    const sizes = new Int32Array(groups);
    for (let i = 0; i < n; i++) {
      if (Number.isNaN(col[i] as number)) continue;
      const g = single[i] as number;
      if (g >= 0) sizes[g] = (sizes[g] as number) + 1;
      else for (const m of multi[i] ?? []) sizes[m] = (sizes[m] as number) + 1;
    }
    const lists = Array.from(sizes, (size) => new Float64Array(size));
    const fill = new Int32Array(groups);
    for (let i = 0; i < n; i++) {
      const v = col[i] as number;
      if (Number.isNaN(v)) continue;
      const g = single[i] as number;
      if (g >= 0) {
        (lists[g] as Float64Array)[fill[g] as number] = v;
        fill[g] = (fill[g] as number) + 1;
      } else
        for (const m of multi[i] ?? []) {
          (lists[m] as Float64Array)[fill[m] as number] = v;
          fill[m] = (fill[m] as number) + 1;
        }
    }
    lists.forEach((list, g) => {
      (stats[g] as DurationStat[]).push(statOfSorted(list.sort()));
    });
  }
  const out = new Map<K, KpiSlice>();
  keys.forEach((key, g) => {
    const durations = {} as Record<DurationKpi, DurationStat>;
    DURATION_KPIS.forEach((k, j) => {
      durations[k] = (stats[g] as DurationStat[])[j] as DurationStat;
    });
    out.set(key, { incidents: counts[g] as number, durations });
  });
  return out;
}

/** The slice of no incident. */
export const emptySlice = (): KpiSlice => ({
  incidents: 0,
  durations: Object.fromEntries(
    DURATION_KPIS.map((k) => [k, { count: 0, meanMs: null, medianMs: null, p90Ms: null }]),
  ) as KpiSlice['durations'],
});

export const rate = (numerator: number, denominator: number) => ({
  numerator,
  denominator,
  value: denominator === 0 ? null : Math.round((numerator / denominator) * 10_000) / 10_000,
});

export const mean = (xs: number[]) =>
  xs.length === 0 ? null : Math.round((xs.reduce((a, b) => a + b, 0) / xs.length) * 100) / 100;
