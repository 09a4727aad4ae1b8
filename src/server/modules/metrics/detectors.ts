/**
 * The configured anomaly detectors applied to stored series: which detector watches which series, one
 * detector state per (detector, series), rebuilt from the series' stored points the first time this
 * process sees the series (so a restart does not reopen warm-up), and a RuleMatch per opened episode.
 */
import type { DetectorConfig } from '../../platform/metrics-file.js';
import { newId } from '../../platform/ids.js';
import type { DetectionEvent, RuleMatch } from '../detection/index.js';
import { AnomalyDetector, type Observation } from './anomaly/detector.js';
import { seriesText } from './samples.js';

/** A stored series as the detectors see it. */
export interface SeriesRef {
  id: string;
  name: string;
  labels: Record<string, string>;
}

/** Loads stored points of a series before `before`, oldest first (for rebuilding a detector's state). */
export type HistoryLoader = (
  seriesId: string,
  since: number,
  before: number,
  limit: number,
) => Promise<{ time: number; value: number }[]>;

const DAY = 86_400_000;
/** Points replayed for an hour_of_week detector: the last 8 days, at most this many. */
const SEASONAL_REPLAY = 20_000;

export const matches = (d: DetectorConfig, s: SeriesRef): boolean =>
  d.metric === s.name && Object.entries(d.match).every(([k, v]) => s.labels[k] === v);

/** The alert-facing match for an episode that opened at `o`. */
export function anomalyMatch(d: DetectorConfig, s: SeriesRef, o: Observation): RuleMatch {
  const text = seriesText(s.name, s.labels);
  const fields: Record<string, unknown> = {
    ...s.labels,
    metric: s.name,
    series: text,
    labels: s.labels,
    value: o.value,
    expected: o.expected,
    lower: o.lower,
    upper: o.upper,
    score: Number.isFinite(o.score) ? o.score : String(o.score),
    detector: d.id,
    detector_kind: d.kind,
    seasonality: d.seasonality,
    direction: d.direction,
    title_zh: d.title_zh,
    title_en: d.title_en,
  };
  if (s.labels.service !== undefined) fields.service = s.labels.service;
  const event: DetectionEvent = {
    id: newId(),
    time: o.time,
    source: 'metrics',
    logsource: { product: 'tocsin', category: 'metrics' },
    fields,
  };
  const group: Record<string, unknown> = { series: text };
  if (s.labels.service !== undefined) group.service = s.labels.service;
  return {
    ruleId: `anomaly:${d.id}`,
    ruleTitle: d.title_en,
    ruleTitleZh: d.title_zh,
    level: d.level,
    tags: d.tags,
    kind: 'anomaly',
    events: [event],
    group,
    time: o.time,
  };
}

export function createDetectorSet(detectors: DetectorConfig[], history: HistoryLoader) {
  const states = new Map<string, AnomalyDetector>();
  const stats = { episodes: 0, rebuilt: 0 };

  async function stateFor(d: DetectorConfig, s: SeriesRef, firstNew: number): Promise<AnomalyDetector> {
    const key = `${d.id}\u0000${s.id}`;
    let det = states.get(key);
    if (det) return det;
    det = new AnomalyDetector(d);
    const seasonal = d.seasonality === 'hour_of_week';
    const limit = seasonal ? SEASONAL_REPLAY : Math.max(2 * (d.warmup + d.window + d.fire_after + d.clear_after), 200);
    const past = await history(s.id, seasonal ? firstNew - 8 * DAY : 0, firstNew, limit);
    // Replayed silently: an episode open before the restart is open again, without a second alert.
    for (const p of past) det.observe(Number(p.time), Number(p.value));
    if (past.length) stats.rebuilt++;
    states.set(key, det);
    return det;
  }

  return {
    /** Whether any detector watches series of this name (so others cost nothing). */
    watches: (name: string) => detectors.some((d) => d.metric === name),

    /** Feeds new points of a series (oldest first) to its detectors; returns a match per opened episode. */
    async observe(s: SeriesRef, points: { time: number; value: number }[]): Promise<RuleMatch[]> {
      const out: RuleMatch[] = [];
      if (!points.length) return out;
      for (const d of detectors) {
        if (!matches(d, s)) continue;
        const det = await stateFor(d, s, points[0]!.time);
        for (const p of points) {
          const o = det.observe(p.time, p.value);
          if (o?.transition === 'fire') {
            stats.episodes++;
            out.push(anomalyMatch(d, s, o));
          }
        }
      }
      return out;
    },

    stats: () => ({ ...stats, states: states.size }),
  };
}
