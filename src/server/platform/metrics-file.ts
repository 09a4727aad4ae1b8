/**
 * The metrics file (TOCSIN_METRICS_FILE, YAML or JSON): Prometheus/OpenMetrics scrape targets and the
 * anomaly detectors run on metric series. Validated once at start, every problem listed.
 */
import { z } from 'zod';
import { readConfigFile } from './config-file.js';
import { LABEL_NAME_RE, METRIC_NAME_RE } from '../../shared/metrics-schemas.js';

const UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** "15s", "500ms", "2m", "1h" (or a number of milliseconds) -> milliseconds; NaN when it is not one. */
export function parseDuration(v: unknown): number {
  if (typeof v === 'number') return Number.isFinite(v) ? v : NaN;
  if (typeof v !== 'string') return NaN;
  const m = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h)\s*$/.exec(v);
  return m ? Number(m[1]) * UNITS[m[2]!]! : NaN;
}

const duration = (min: number, max: number) =>
  z.union([z.string(), z.number()]).transform((v, ctx) => {
    const ms = parseDuration(v);
    if (!Number.isFinite(ms) || ms < min || ms > max) {
      ctx.addIssue({ code: 'custom', message: `a duration such as "15s" or "1m", from ${min} ms to ${max / 1000} s` });
      return z.NEVER;
    }
    return Math.round(ms);
  });

const labelName = z
  .string()
  .regex(LABEL_NAME_RE, 'a label name: letters, digits and _, not starting with a digit')
  .refine((n) => !n.startsWith('__'), 'names starting with __ are reserved');
const labels = z.record(labelName, z.string().max(512)).refine((l) => Object.keys(l).length <= 32, 'at most 32 labels');
const level = z.enum(['informational', 'low', 'medium', 'high', 'critical']);

const TargetSchema = z.strictObject({
  name: z
    .string()
    .regex(
      /^[a-z0-9][a-z0-9_.-]{0,63}$/,
      'lowercase letters, digits, _ . - (at most 64), starting with a letter or digit',
    ),
  url: z.url({ protocol: /^https?$/, error: 'an http:// or https:// URL' }),
  interval: duration(1000, 24 * 3_600_000).default(15_000),
  timeout: duration(100, 120_000).default(10_000),
  labels: labels.default({}),
});

const DetectorSchema = z.strictObject({
  id: z.string().regex(/^[a-z0-9][a-z0-9_.-]{0,99}$/, 'lowercase letters, digits, _ . - (at most 100)'),
  title_zh: z.string().trim().min(1).max(200),
  title_en: z.string().trim().min(1).max(200),
  metric: z.string().regex(METRIC_NAME_RE, 'a Prometheus metric name'),
  match: labels.default({}),
  kind: z.enum(['ewma', 'robust_z']),
  /** ewma: weight of the newest point (0 < alpha <= 1). */
  alpha: z.number().gt(0).max(1).default(0.1),
  /** ewma: the band is mean ± k standard deviations. */
  k: z.number().positive().max(100).default(3),
  /** robust_z: points in the rolling window. */
  window: z.int().min(5).max(10_000).default(60),
  /** robust_z: |value - median| / (1.4826 MAD) above this is anomalous. */
  threshold: z.number().positive().max(100).default(3.5),
  /** A deviation smaller than this (in the metric's unit) is never anomalous. */
  min_deviation: z.number().min(0).default(0),
  seasonality: z.enum(['none', 'hour_of_week']).default('none'),
  /** hour_of_week: points an hour-of-week bucket needs before its baseline is used. */
  bucket_warmup: z.int().min(1).max(10_000).default(3),
  /** hour_of_week: weight of the newest point in its bucket's baseline. */
  season_alpha: z.number().gt(0).max(1).default(0.3),
  warmup: z.int().min(0).max(100_000).default(30),
  fire_after: z.int().min(1).max(1000).default(3),
  clear_after: z.int().min(1).max(1000).default(5),
  direction: z.enum(['up', 'down', 'both']).default('both'),
  level: level.default('medium'),
  tags: z.array(z.string().min(1).max(100)).max(50).default([]),
});

const FileSchema = z.strictObject({
  targets: z.array(TargetSchema).max(1000).default([]),
  detectors: z.array(DetectorSchema).max(1000).default([]),
});

export type ScrapeTargetConfig = z.infer<typeof TargetSchema>;
export type DetectorConfig = z.infer<typeof DetectorSchema>;
export interface MetricsFileConfig {
  targets: ScrapeTargetConfig[];
  detectors: DetectorConfig[];
}

function duplicates(list: { [k: string]: unknown }[], key: string, what: string): string[] {
  const seen = new Set<unknown>();
  const out: string[] = [];
  list.forEach((x, i) => {
    if (seen.has(x[key])) out.push(`${what}.${i}.${key}: "${String(x[key])}" is configured twice`);
    seen.add(x[key]);
  });
  return out;
}

/** Reads and validates the metrics file; returns its contents or the list of problems (each naming the file). */
export function loadMetricsFile(file: string): MetricsFileConfig | { problems: string[] } {
  const read = readConfigFile(file, 'TOCSIN_METRICS_FILE');
  if ('problems' in read) return read;
  const { data, where } = read;
  const r = FileSchema.safeParse(data ?? {});
  if (!r.success)
    return { problems: r.error.issues.map((i) => `${where}: ${i.path.join('.') || '(file)'}: ${i.message}`) };
  const problems = [
    ...duplicates(r.data.targets, 'name', 'targets'),
    ...duplicates(r.data.detectors, 'id', 'detectors'),
  ];
  if (problems.length) return { problems: problems.map((p) => `${where}: ${p}`) };
  return r.data;
}
