/**
 * Duration statistics and slices of the figures (docs/kpi.md): count, mean, median and 90th percentile
 * (nearest rank) over the incidents that have both instants; an incident without one is not counted.
 */
import { DURATION_KPIS, type DurationKpi, type DurationStat, type KpiSlice } from '../../../shared/kpi-schemas.js';

/** Per incident, its value of each duration (ms) or null, in DURATION_KPIS order. */
export type DurationValues = (number | null)[];

export function durationStat(values: number[]): DurationStat {
  const n = values.length;
  if (n === 0) return { count: 0, meanMs: null, medianMs: null, p90Ms: null };
  const sorted = Float64Array.from(values).sort();
  const sum = sorted.reduce((a, b) => a + b, 0);
  const mid = n >> 1;
  const median = n % 2 === 1 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
  const p90 = sorted[Math.max(0, Math.ceil(0.9 * n) - 1)] as number;
  return { count: n, meanMs: Math.round(sum / n), medianMs: Math.round(median), p90Ms: p90 };
}

/** The slice of the incidents at `indexes` (all when omitted) of `values`. */
export function sliceOf(values: DurationValues[], indexes?: number[]): KpiSlice {
  const idx = indexes ?? values.map((_, i) => i);
  const durations = {} as Record<DurationKpi, DurationStat>;
  DURATION_KPIS.forEach((k, j) => {
    const xs: number[] = [];
    for (const i of idx) {
      const v = (values[i] as DurationValues)[j];
      if (v !== null && v !== undefined) xs.push(v);
    }
    durations[k] = durationStat(xs);
  });
  return { incidents: idx.length, durations };
}

/** Groups indexes by a key. */
export function groupBy<K>(n: number, keyOf: (i: number) => K | readonly K[] | undefined): Map<K, number[]> {
  const out = new Map<K, number[]>();
  for (let i = 0; i < n; i++) {
    const k = keyOf(i);
    if (k === undefined) continue;
    for (const key of Array.isArray(k) ? (k as readonly K[]) : [k as K]) {
      const list = out.get(key);
      if (list) list.push(i);
      else out.set(key, [i]);
    }
  }
  return out;
}

export const rate = (numerator: number, denominator: number) => ({
  numerator,
  denominator,
  value: denominator === 0 ? null : Math.round((numerator / denominator) * 10_000) / 10_000,
});

export const mean = (xs: number[]) =>
  xs.length === 0 ? null : Math.round((xs.reduce((a, b) => a + b, 0) / xs.length) * 100) / 100;
