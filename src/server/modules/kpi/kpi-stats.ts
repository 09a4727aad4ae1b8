/**
 * Duration statistics and slices of the figures (docs/kpi.md): count, mean, median and 90th percentile
 * (nearest rank) over the incidents that have both instants; an incident without one is not counted.
 * Values are kept in typed columns; each slice's values are gathered into a typed array of their exact
 * size; its median and 90th percentile are selected there (quickselect), not sorted.
 */
import { DURATION_KPIS, type DurationKpi, type DurationStat, type KpiSlice } from '../../../shared/kpi-schemas.js';

/**
 * Puts the k-th smallest of `a[lo..hi]` at `a[k]`, smaller ones before it and larger ones after
 * (quickselect, Hoare partition around the median of three): linear on average where a sort is n log n.
 */
export function selectKth(a: Float64Array, k: number, lo = 0, hi = a.length - 1): number {
  while (hi > lo) {
    const mid = (lo + hi) >>> 1;
    // Median of three as the pivot (sorted into a[lo] <= a[mid] <= a[hi]).
    if ((a[mid] as number) < (a[lo] as number)) swap(a, mid, lo);
    if ((a[hi] as number) < (a[lo] as number)) swap(a, hi, lo);
    if ((a[hi] as number) < (a[mid] as number)) swap(a, hi, mid);
    const pivot = a[mid] as number;
    let i = lo;
    let j = hi;
    while (i <= j) {
      while ((a[i] as number) < pivot) i++;
      while ((a[j] as number) > pivot) j--;
      if (i <= j) {
        swap(a, i, j);
        i++;
        j--;
      }
    }
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else break;
  }
  return a[k] as number;
}

function swap(a: Float64Array, i: number, j: number) {
  const t = a[i] as number;
  a[i] = a[j] as number;
  a[j] = t;
}

/** Count, mean, median and 90th percentile (nearest rank) of `values` (reordered in place). */
export function statOf(values: Float64Array): DurationStat {
  const n = values.length;
  if (n === 0) return { count: 0, meanMs: null, medianMs: null, p90Ms: null };
  let sum = 0;
  for (const v of values) sum += v;
  const mid = n >> 1;
  // The upper middle first; everything after it is at least as large, everything before at most.
  const upper = selectKth(values, mid);
  let median = upper;
  if (n % 2 === 0) {
    let lower = values[0] as number;
    for (let i = 1; i < mid; i++) if ((values[i] as number) > lower) lower = values[i] as number;
    median = (lower + upper) / 2;
  }
  const rank = Math.max(0, Math.ceil(0.9 * n) - 1);
  const p90 = rank === mid ? upper : selectKth(values, rank, mid + 1, n - 1);
  return { count: n, meanMs: Math.round(sum / n), medianMs: Math.round(median), p90Ms: p90 };
}

/** Each duration as a column over the incidents (NaN: the incident has none). */
export type DurationColumns = Float64Array[];

/**
 * The slice of every group of a dimension: `keyOf(i)` the group of incident `i`, or its groups (an incident
 * naming several services), undefined for none. Each group's values of a duration are gathered into a
 * typed array of its exact size, where its median and percentile are selected.
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
      (stats[g] as DurationStat[]).push(statOf(list));
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
