/** Request and response schemas of the metrics API: samples in, series and their points out. */
import { z } from 'zod';

/** Prometheus metric names: `[a-zA-Z_:][a-zA-Z0-9_:]*`. */
export const METRIC_NAME_RE = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
/** Prometheus label names: `[a-zA-Z_][a-zA-Z0-9_]*`; names starting `__` are reserved. */
export const LABEL_NAME_RE = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
export const METRIC_LIMITS = {
  nameLength: 200,
  labels: 32,
  labelNameLength: 100,
  labelValueLength: 512,
  /** Samples in one POST; a larger batch is refused whole (413). */
  samplesPerRequest: 50_000,
} as const;

/** One sample as posted (validated one by one by the service, so a bad sample never drops the good ones). */
export const MetricSample = z.object({
  name: z.string().regex(METRIC_NAME_RE).max(METRIC_LIMITS.nameLength),
  labels: z.record(z.string().regex(LABEL_NAME_RE), z.string().max(METRIC_LIMITS.labelValueLength)).optional(),
  value: z.number(),
  /** ISO-8601 with a zone, or epoch milliseconds; default: when it arrives. */
  time: z.union([z.iso.datetime({ offset: true }), z.number().int()]).optional(),
});
export type MetricSample = z.infer<typeof MetricSample>;

/** The body of POST /api/v1/metrics: an array of samples, or `{ samples: [...] }`. */
export const MetricBatch = z.union([z.array(MetricSample), z.object({ samples: z.array(MetricSample) })]);

export const MetricRejection = z.object({
  /** The sample's position in the array (0-based). */
  index: z.number().int(),
  reason: z.string(),
});
export type MetricRejection = z.infer<typeof MetricRejection>;

export const MetricIngestResult = z.object({
  accepted: z.number().int(),
  /** The first 1,000 rejections; `rejectedCount` has them all. */
  rejected: z.array(MetricRejection),
  rejectedCount: z.number().int(),
});
export type MetricIngestResult = z.infer<typeof MetricIngestResult>;

export const MetricSeries = z.object({
  id: z.string(),
  name: z.string(),
  labels: z.record(z.string(), z.string()),
  /** `api` for posted samples, else the scrape target's name. */
  source: z.string(),
  lastValue: z.number().nullable(),
  lastTime: z.iso.datetime({ offset: true }).nullable(),
});
export type MetricSeries = z.infer<typeof MetricSeries>;

export const MetricSeriesQuery = z.strictObject({
  name: z.string().regex(METRIC_NAME_RE).max(METRIC_LIMITS.nameLength).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
  cursor: z.string().max(200).optional(),
});

export const MetricSeriesPage = z.object({ items: z.array(MetricSeries), next: z.string().nullable() });

export const MetricPointsQuery = z.strictObject({
  from: z.iso.datetime({ offset: true }).optional(),
  to: z.iso.datetime({ offset: true }).optional(),
  limit: z.coerce.number().int().min(1).max(10_000).default(1000),
});

export const MetricPoints = z.object({
  series: MetricSeries,
  /** Oldest first. */
  points: z.array(z.object({ time: z.iso.datetime({ offset: true }), value: z.number() })),
  /** More points lie in the range than `limit`: ask again from the last one's time. */
  truncated: z.boolean(),
});
export type MetricPoints = z.infer<typeof MetricPoints>;

export const ScrapeTarget = z.object({
  name: z.string(),
  url: z.string(),
  intervalMs: z.number().int(),
  /** 1 after a successful scrape, 0 after a failed one, null before the first. */
  up: z.union([z.literal(0), z.literal(1)]).nullable(),
  lastScrape: z.iso.datetime({ offset: true }).nullable(),
  lastDurationMs: z.number().nullable(),
  lastError: z.string().nullable(),
  samples: z.number().int(),
});
export type ScrapeTarget = z.infer<typeof ScrapeTarget>;
export const ScrapeTargets = z.object({ items: z.array(ScrapeTarget) });
