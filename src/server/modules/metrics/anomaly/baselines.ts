/**
 * Baselines of a streaming anomaly detector: what a series' next value is expected to be and how far
 * it normally strays. Pure code: no I/O, no clock.
 */

/** The expectation before a point is learned: `expected` value and `spread` (one standard deviation). */
export interface Assessment {
  expected: number;
  spread: number;
}

export interface Baseline {
  /** null until the baseline has seen a point. */
  assess(): Assessment | null;
  /** Learns a value (the caller passes anomalous values clipped to the band edge where that is wanted). */
  learn(x: number): void;
  /** Whether anomalous values should be learned clipped to the band (true) or as they are (false). */
  readonly clipsOutliers: boolean;
}

/**
 * Exponentially weighted mean and variance (West / Finch incremental form): `alpha` is the weight of the
 * newest point. Outliers are learned clipped to the band, so one spike barely moves it while a lasting
 * level shift is absorbed over some tens of points (the band widens step by step).
 */
export class EwmaBaseline implements Baseline {
  readonly clipsOutliers = true;
  private mean = 0;
  private variance = 0;
  private n = 0;

  constructor(private readonly alpha: number) {}

  assess(): Assessment | null {
    return this.n === 0 ? null : { expected: this.mean, spread: Math.sqrt(this.variance) };
  }

  learn(x: number): void {
    if (this.n++ === 0) {
      this.mean = x;
      return;
    }
    const diff = x - this.mean;
    const incr = this.alpha * diff;
    this.mean += incr;
    this.variance = (1 - this.alpha) * (this.variance + diff * incr);
  }
}

/** Median/MAD consistency constant: 1.4826 * MAD estimates the standard deviation of normal data. */
export const MAD_SCALE = 1.4826;

/** The k-th smallest (0-based) of `a`, reordering `a` (Hoare's selection, expected linear time). */
function select(a: number[], k: number): number {
  let lo = 0;
  let hi = a.length - 1;
  while (lo < hi) {
    const pivot = a[(lo + hi) >> 1]!;
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (a[i]! < pivot) i++;
      while (a[j]! > pivot) j--;
      if (i <= j) {
        const t = a[i]!;
        a[i] = a[j]!;
        a[j] = t;
        i++;
        j--;
      }
    }
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else return a[k]!;
  }
  return a[k]!;
}

/** The median of `a` (reorders it). */
export function median(a: number[]): number {
  const n = a.length;
  if (n % 2 === 1) return select(a, n >> 1);
  const hi = select(a, n >> 1);
  let lo = -Infinity;
  for (let i = 0; i < n >> 1; i++) if (a[i]! > lo) lo = a[i]!; // after select, the lower half sits left of n/2
  return (lo + hi) / 2;
}

/** Rolling window of the last `size` values: median and 1.4826 × MAD. Outliers are learned as they are (the median resists them). */
export class RobustBaseline implements Baseline {
  readonly clipsOutliers = false;
  private readonly ring: number[] = [];
  private next = 0;

  constructor(private readonly size: number) {}

  assess(): Assessment | null {
    if (this.ring.length === 0) return null;
    const med = median([...this.ring]);
    const dev = this.ring.map((v) => Math.abs(v - med));
    return { expected: med, spread: MAD_SCALE * median(dev) };
  }

  learn(x: number): void {
    if (this.ring.length < this.size) this.ring.push(x);
    else this.ring[this.next] = x;
    this.next = (this.next + 1) % this.size;
  }
}

/** Hour of the week, 0..167, in UTC (Monday 00:00 is 0); a fixed offset from local time only renumbers the buckets. */
export function hourOfWeek(time: number): number {
  const d = new Date(time);
  return ((d.getUTCDay() + 6) % 7) * 24 + d.getUTCHours();
}

/** Per hour-of-week bucket: an exponentially weighted mean of the values seen in that hour of past weeks. */
export class SeasonalProfile {
  private readonly mean = new Float64Array(168);
  private readonly count = new Uint32Array(168);

  constructor(
    private readonly alpha: number,
    private readonly warmup: number,
  ) {}

  /** The bucket's mean once it has seen `warmup` points, else null. */
  expected(time: number): number | null {
    const b = hourOfWeek(time);
    return this.count[b]! >= this.warmup ? this.mean[b]! : null;
  }

  learn(time: number, x: number): void {
    const b = hourOfWeek(time);
    this.mean[b] = this.count[b] === 0 ? x : this.mean[b]! + this.alpha * (x - this.mean[b]!);
    this.count[b] = Math.min(this.count[b]! + 1, 0xffffffff);
  }
}
