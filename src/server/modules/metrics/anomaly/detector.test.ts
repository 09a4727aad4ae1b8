/** Streaming anomaly detectors: what would page someone, and what must not. */
import { describe, expect, it } from 'vitest';
import { hourOfWeek, median } from './baselines.js';
import { AnomalyDetector, type AnomalyParams, type Observation } from './detector.js';

const MIN = 60_000;
const HOUR = 60 * MIN;
// Monday 2026-11-02 00:00 UTC.
const T0 = Date.UTC(2026, 10, 2);

/** A deterministic pseudo-random generator (mulberry32), so noise is the same on every run. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Feeds values one minute apart; returns every observation. */
function run(d: AnomalyDetector, values: number[], start = T0, step = MIN): Observation[] {
  return values.map((v, i) => d.observe(start + i * step, v)!);
}
const noisy = (n: number, level: number, amp: number, seed = 1) => {
  const r = rng(seed);
  return Array.from({ length: n }, () => level + (r() - 0.5) * 2 * amp);
};
const fires = (obs: Observation[]) => obs.map((o, i) => (o.transition === 'fire' ? i : -1)).filter((i) => i >= 0);
const clears = (obs: Observation[]) => obs.map((o, i) => (o.transition === 'clear' ? i : -1)).filter((i) => i >= 0);

const KINDS: Partial<AnomalyParams>[] = [
  { kind: 'ewma', alpha: 0.1, k: 4 },
  { kind: 'robust_z', window: 60, threshold: 4 },
];

describe.each(KINDS)('detector %o', (kind) => {
  const base = { ...kind, warmup: 30, fire_after: 3, clear_after: 5 };

  it('a step change pages after fire_after anomalous points, once', () => {
    const d = new AnomalyDetector(base);
    const before = noisy(100, 100, 1);
    const obs = run(d, [...before, ...noisy(20, 140, 1, 2)]);
    expect(fires(obs)).toEqual([102]); // the third point after the step
    expect(obs[100]!.anomalous).toBe(true);
    expect(obs[100]!.firing).toBe(false);
    expect(obs[102]!).toMatchObject({ firing: true, anomalous: true });
    expect(obs[102]!.expected!).toBeGreaterThan(95);
    expect(obs[102]!.expected!).toBeLessThan(125);
    expect(obs[102]!.score!).toBeGreaterThan(4);
  });

  it('a single blip, or two, does not page', () => {
    const d = new AnomalyDetector(base);
    const values = noisy(200, 100, 1);
    values[80] = 160;
    values[120] = 150;
    values[121] = 155;
    const obs = run(d, values);
    expect(obs[80]!.anomalous).toBe(true);
    expect(obs[121]!.anomalous).toBe(true);
    expect(fires(obs)).toEqual([]);
    expect(obs.some((o) => o.firing)).toBe(false);
  });

  it('stays silent during warm-up, however wild the points', () => {
    const d = new AnomalyDetector(base);
    const obs = run(d, [1, 1000, 1, 1000, 5, 5000, 5000, 5000, 5000, ...noisy(20, 100, 1)]);
    expect(obs.every((o) => o.warming)).toBe(true);
    expect(obs.some((o) => o.anomalous || o.firing)).toBe(false);
  });

  it('clears after clear_after normal points; a new anomaly is a second episode', () => {
    const d = new AnomalyDetector(base);
    const values = [
      ...noisy(100, 100, 1),
      ...noisy(6, 200, 1, 3),
      ...noisy(80, 100, 1, 4),
      ...noisy(6, 200, 1, 5),
      ...noisy(10, 100, 1, 6),
    ];
    const obs = run(d, values);
    expect(fires(obs)).toEqual([102, 188]);
    expect(clears(obs)).toEqual([110, 196]); // fifth normal point after each episode
    // While an episode is open, more anomalous points do not open another.
    expect(obs.slice(102, 106).every((o) => o.firing)).toBe(true);
  });

  it('direction up ignores a drop; direction down pages on it', () => {
    const values = [...noisy(100, 100, 1), ...noisy(10, 50, 1, 7)];
    expect(fires(run(new AnomalyDetector({ ...base, direction: 'up' }), values))).toEqual([]);
    expect(fires(run(new AnomalyDetector({ ...base, direction: 'down' }), values))).toEqual([102]);
  });

  it('ignores points that are not after the previous one, and non-finite values', () => {
    const d = new AnomalyDetector(base);
    expect(d.observe(T0, 1)).not.toBeNull();
    expect(d.observe(T0, 2)).toBeNull();
    expect(d.observe(T0 - 1, 2)).toBeNull();
    expect(d.observe(T0 + 1, Number.NaN)).toBeNull();
  });
});

describe('a flat series (MAD 0)', () => {
  const flat = (minDeviation: number) =>
    new AnomalyDetector({
      kind: 'robust_z',
      window: 30,
      threshold: 3.5,
      warmup: 10,
      fire_after: 2,
      min_deviation: minDeviation,
    });

  it('with min_deviation, tiny wobbles do not page but a real change does', () => {
    const values = [...Array(40).fill(5), 5.01, 4.99, 5.02, 5.01, ...Array(10).fill(5), 9, 9, 9];
    const obs = run(flat(0.5), values);
    expect(obs.slice(40, 44).some((o) => o.anomalous)).toBe(false);
    expect(fires(obs)).toEqual([55]);
    expect(obs[55]!.score).toBe(Infinity);
  });

  it('without it, any change from a constant is anomalous (documented)', () => {
    const obs = run(flat(0), [...Array(40).fill(5), 5.01, 5.01, 5.01]);
    expect(fires(obs)).toEqual([41]);
  });
});

describe('hour-of-week seasonality', () => {
  const STEP = 15 * MIN;
  const WEEK = 7 * 24 * 4; // points a week at 15-minute steps
  /** Trading-day shape: high in the day, low at night, lower at the weekend. */
  function pattern(weeks: number, seed: number): number[] {
    const r = rng(seed);
    return Array.from({ length: weeks * WEEK }, (_, i) => {
      const t = T0 + i * STEP;
      const h = (t % (24 * HOUR)) / HOUR;
      const weekend = hourOfWeek(t) >= 5 * 24;
      return 200 + 150 * Math.sin((2 * Math.PI * (h - 6)) / 24) - (weekend ? 120 : 0) + (r() - 0.5) * 4;
    });
  }
  const seasonal: Partial<AnomalyParams> = {
    kind: 'ewma',
    alpha: 0.05,
    k: 4,
    seasonality: 'hour_of_week',
    bucket_warmup: 3,
    season_alpha: 0.3,
    warmup: 100,
    fire_after: 3,
    clear_after: 4,
  };

  it('a daily and weekly pattern pages nobody', () => {
    const values = pattern(4, 11);
    expect(fires(run(new AnomalyDetector(seasonal), values, T0, STEP))).toEqual([]);
  });

  it('a real anomaly on top of the pattern still pages, once', () => {
    const values = pattern(4, 12);
    // Week 4, Wednesday 14:00: the value drops by 100 for two hours (an outage).
    const at = 3 * WEEK + 2 * 96 + 14 * 4;
    for (let i = at; i < at + 8; i++) values[i] = values[i]! - 100;
    const obs = run(new AnomalyDetector(seasonal), values, T0, STEP);
    expect(fires(obs)).toEqual([at + 2]);
    expect(obs[at + 2]!.expected!).toBeGreaterThan(values[at + 2]! + 60);
    // Without the profile the band must be as wide as the day's swing: the outage goes unseen.
    expect(fires(run(new AnomalyDetector({ ...seasonal, seasonality: 'none' }), values, T0, STEP))).toEqual([]);
  });

  it('a bucket judges nothing before it has bucket_warmup points', () => {
    const d = new AnomalyDetector({ ...seasonal, warmup: 0, bucket_warmup: 3 });
    const obs = run(d, [100, 100, 100, 100, 101], T0, 10 * MIN);
    expect(obs.slice(0, 3).every((o) => o.warming && o.expected === null)).toBe(true);
    expect(obs[4]!).toMatchObject({ warming: false, expected: 100 });
    // The next hour is a bucket of its own, warming up again.
    expect(d.observe(T0 + HOUR, 100)).toMatchObject({ warming: true, expected: null });
  });
});

describe('median', () => {
  it('agrees with sorting', () => {
    const r = rng(5);
    for (let n = 1; n < 60; n++) {
      const a = Array.from({ length: n }, () => Math.round(r() * 20));
      const s = [...a].sort((x, y) => x - y);
      const want = n % 2 ? s[n >> 1]! : (s[n / 2 - 1]! + s[n / 2]!) / 2;
      expect(median([...a])).toBe(want);
    }
  });
  it('hour of week starts on Monday 00:00 UTC', () => {
    expect(hourOfWeek(T0)).toBe(0);
    expect(hourOfWeek(T0 + 6 * 24 * HOUR + 23 * HOUR + 59 * MIN)).toBe(167);
  });
});
