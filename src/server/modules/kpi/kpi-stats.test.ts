import { describe, expect, it } from 'vitest';
import { statOf } from './kpi-stats.js';

/** The definitions of docs/kpi.md, by sorting. */
function reference(values: number[]) {
  const s = [...values].sort((a, b) => a - b);
  const n = s.length;
  const mid = n >> 1;
  const median = n % 2 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
  return {
    count: n,
    meanMs: Math.round(s.reduce((a, b) => a + b, 0) / n),
    medianMs: Math.round(median),
    p90Ms: s[Math.max(0, Math.ceil(0.9 * n) - 1)],
  };
}

describe('duration statistics by selection', () => {
  it('gives the median and 90th percentile a sort gives, for small, large, repeated and ordered values', () => {
    let seed = 7;
    const rnd = () => {
      seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
      return seed / 2_147_483_648;
    };
    const cases: number[][] = [[5], [3, 1], [1, 2, 3], [4, 4, 4, 4], [0, 0, 1, 1, 1, 2]];
    for (const n of [7, 10, 11, 100, 999, 5000])
      cases.push(
        Array.from({ length: n }, () => Math.floor(rnd() * 1e9)),
        Array.from({ length: n }, () => Math.floor(rnd() * 5)),
        Array.from({ length: n }, (_, i) => i * 60_000),
        Array.from({ length: n }, (_, i) => (n - i) * 1000),
      );
    for (const values of cases) expect(statOf(Float64Array.from(values))).toEqual(reference(values));
  });

  it('says there is no figure for no values', () => {
    expect(statOf(new Float64Array(0))).toEqual({ count: 0, meanMs: null, medianMs: null, p90Ms: null });
  });
});
