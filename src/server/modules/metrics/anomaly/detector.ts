/**
 * A streaming anomaly detector for one series: a baseline (EWMA bands or robust z-score, optionally on
 * top of an hour-of-week profile), warm-up, direction, a minimum deviation, and hysteresis — an
 * episode opens after `fire_after` consecutive anomalous points and closes after `clear_after`
 * consecutive normal ones, so one blip pages nobody and a long anomaly pages once. Pure code.
 */
import { EwmaBaseline, RobustBaseline, SeasonalProfile, type Baseline } from './baselines.js';

/** The detector's parameters (the keys of a detector in TOCSIN_METRICS_FILE). */
export interface AnomalyParams {
  kind: 'ewma' | 'robust_z';
  alpha: number;
  k: number;
  window: number;
  threshold: number;
  min_deviation: number;
  seasonality: 'none' | 'hour_of_week';
  bucket_warmup: number;
  season_alpha: number;
  warmup: number;
  fire_after: number;
  clear_after: number;
  direction: 'up' | 'down' | 'both';
}

export const DEFAULT_PARAMS: AnomalyParams = {
  kind: 'ewma',
  alpha: 0.1,
  k: 3,
  window: 60,
  threshold: 3.5,
  min_deviation: 0,
  seasonality: 'none',
  bucket_warmup: 3,
  season_alpha: 0.3,
  warmup: 30,
  fire_after: 3,
  clear_after: 5,
  direction: 'both',
};

/** What the detector made of one point. */
export interface Observation {
  time: number;
  value: number;
  /** The expected value and the band around it; null while there is no baseline yet. */
  expected: number | null;
  lower: number | null;
  upper: number | null;
  /** (value - expected) / spread: sigmas for ewma, the robust z-score for robust_z; ±Infinity when the spread is 0. */
  score: number | null;
  /** Outside the band in the watched direction, by more than the minimum deviation. */
  anomalous: boolean;
  /** Still warming up (overall, or this hour-of-week bucket): never anomalous. */
  warming: boolean;
  /** An episode is open after this point. */
  firing: boolean;
  /** `fire`: this point opened an episode; `clear`: this point closed one. */
  transition: 'fire' | 'clear' | null;
}

export class AnomalyDetector {
  private readonly p: AnomalyParams;
  private readonly baseline: Baseline;
  private readonly season: SeasonalProfile | null;
  private evaluated = 0;
  private bad = 0;
  private good = 0;
  private open = false;
  private lastTime = -Infinity;

  constructor(params: Partial<AnomalyParams> = {}) {
    this.p = { ...DEFAULT_PARAMS, ...params };
    this.baseline = this.p.kind === 'ewma' ? new EwmaBaseline(this.p.alpha) : new RobustBaseline(this.p.window);
    this.season =
      this.p.seasonality === 'hour_of_week' ? new SeasonalProfile(this.p.season_alpha, this.p.bucket_warmup) : null;
  }

  /** Whether an episode is open. */
  get firing(): boolean {
    return this.open;
  }

  /** Time of the last point taken (points at or before it are ignored). */
  get last(): number {
    return this.lastTime;
  }

  /** Takes the next point of the series; a point not after the previous one is ignored (null). */
  observe(time: number, value: number): Observation | null {
    if (!Number.isFinite(value) || !Number.isFinite(time) || time <= this.lastTime) return null;
    this.lastTime = time;
    const p = this.p;
    const seasonal = this.season ? this.season.expected(time) : 0;
    if (seasonal === null) {
      // This hour of the week has no profile yet: learn it, judge nothing.
      this.season!.learn(time, value);
      return this.result(time, value, null, null, null, false, true);
    }
    const residual = value - seasonal;
    const a = this.baseline.assess();
    const warming = a === null || this.evaluated < p.warmup;
    this.evaluated++;
    if (a === null) {
      this.learn(time, value, residual);
      return this.result(time, value, null, null, null, false, true);
    }
    const expected = seasonal + a.expected;
    const width = Math.max((p.kind === 'ewma' ? p.k : p.threshold) * a.spread, p.min_deviation);
    const dev = residual - a.expected;
    const score = a.spread > 0 ? dev / a.spread : dev === 0 ? 0 : dev > 0 ? Infinity : -Infinity;
    const outside = Math.abs(dev) > width;
    const inDirection = p.direction === 'both' || (p.direction === 'up' ? dev > 0 : dev < 0);
    const anomalous = !warming && outside && inDirection;
    // Learn what was seen: the hour-of-week profile (and an ewma) learn an outlier clipped to the band edge.
    // (Not while warming up: the baseline is still learning what normal is.)
    const clipped = outside && !warming ? a.expected + Math.sign(dev) * width : residual;
    this.baseline.learn(this.baseline.clipsOutliers ? clipped : residual);
    this.season?.learn(time, seasonal + clipped);
    return this.result(time, value, expected, score, width, anomalous, warming);
  }

  private learn(time: number, value: number, residual: number): void {
    this.baseline.learn(residual);
    this.season?.learn(time, value);
  }

  private result(
    time: number,
    value: number,
    expected: number | null,
    score: number | null,
    width: number | null,
    anomalous: boolean,
    warming: boolean,
  ): Observation {
    let transition: Observation['transition'] = null;
    if (anomalous) {
      this.good = 0;
      this.bad++;
      if (!this.open && this.bad >= this.p.fire_after) {
        this.open = true;
        transition = 'fire';
      }
    } else {
      this.bad = 0;
      if (this.open && !warming) {
        this.good++;
        if (this.good >= this.p.clear_after) {
          this.open = false;
          this.good = 0;
          transition = 'clear';
        }
      }
    }
    return {
      time,
      value,
      expected,
      lower: expected === null || width === null ? null : expected - width,
      upper: expected === null || width === null ? null : expected + width,
      score,
      anomalous,
      warming,
      firing: this.open,
      transition,
    };
  }
}
