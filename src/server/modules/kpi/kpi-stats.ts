/**
 * Duration statistics and slices of the figures (docs/kpi.md): count, mean, median and 90th percentile
 * (nearest rank) over the incidents that have both instants; an incident without one is not counted.
 * Each duration's values are sorted once; every slice (grade, category, service, month) takes its values
 * in that order, so no slice sorts again (100,000 incidents: one sort per figure, not one per slice).
 */
import { DURATION_KPIS, type DurationKpi, type DurationStat, type KpiSlice } from '../../../shared/kpi-schemas.js';

/** Per incident, its value of each duration (ms) or null, in DURATION_KPIS order. */
export type DurationValues = (number | null)[];

function statOfSorted(sorted: number[]): DurationStat {
  const n = sorted.length;
  if (n === 0) return { count: 0, meanMs: null, medianMs: null, p90Ms: null };
  let sum = 0;
  for (const v of sorted) sum += v;
  const mid = n >> 1;
  const median = n % 2 === 1 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
  const p90 = sorted[Math.max(0, Math.ceil(0.9 * n) - 1)] as number;
  return { count: n, meanMs: Math.round(sum / n), medianMs: Math.round(median), p90Ms: p90 };
}

/** The incidents' indexes having each duration, in ascending order of its value. */
export function sortedOrders(values: DurationValues[]): number[][] {
  return DURATION_KPIS.map((_, j) => {
    const idx: number[] = [];
    for (let i = 0; i < values.length; i++) if ((values[i] as DurationValues)[j] !== null) idx.push(i);
    return idx.sort(
      (a, b) => ((values[a] as DurationValues)[j] as number) - ((values[b] as DurationValues)[j] as number),
    );
  });
}

/**
 * The slice of every group of a dimension: `keyOf(i)` the group(s) of incident `i` (undefined: none).
 * `orders` from `sortedOrders(values)`.
 */
export function slicesBy<K>(
  values: DurationValues[],
  orders: number[][],
  keyOf: (i: number) => K | readonly K[] | undefined,
): Map<K, KpiSlice> {
  const keysOf: (readonly K[])[] = [];
  const counts = new Map<K, number>();
  for (let i = 0; i < values.length; i++) {
    const k = keyOf(i);
    const keys = k === undefined ? [] : Array.isArray(k) ? (k as readonly K[]) : [k as K];
    keysOf.push(keys);
    for (const key of keys) counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  const buckets = new Map<K, number[][]>();
  for (const key of counts.keys())
    buckets.set(
      key,
      DURATION_KPIS.map(() => []),
    );
  DURATION_KPIS.forEach((_, j) => {
    for (const i of orders[j] as number[]) {
      const v = (values[i] as DurationValues)[j] as number;
      for (const key of keysOf[i] as readonly K[]) ((buckets.get(key) as number[][])[j] as number[]).push(v);
    }
  });
  const out = new Map<K, KpiSlice>();
  for (const [key, lists] of buckets) {
    const durations = {} as Record<DurationKpi, DurationStat>;
    DURATION_KPIS.forEach((k, j) => {
      durations[k] = statOfSorted(lists[j] as number[]);
    });
    out.set(key, { incidents: counts.get(key) as number, durations });
  }
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
