/** HTTP routes for metrics: samples in, series and points out, scrape targets' health. */
import { z } from 'zod';
import {
  MetricBatch,
  MetricIngestResult,
  MetricPoints,
  MetricPointsQuery,
  MetricSeriesPage,
  MetricSeriesQuery,
  ScrapeTargets,
} from '../../../shared/metrics-schemas.js';
import { defineRoute, type AnyRoute } from '../../http/route.js';
import type { MetricsService } from './metrics.service.js';

const tags = ['metrics'];
const IdParams = z.strictObject({ id: z.string().min(1).max(64) });
const header = (v: string | string[] | undefined) => (Array.isArray(v) ? v.join(',') : v);

export function metricsRoutes(deps: { metrics: MetricsService }): AnyRoute[] {
  const { metrics } = deps;
  return [
    defineRoute({
      method: 'POST',
      url: '/api/v1/metrics',
      tags,
      access: 'metric.ingest',
      summary:
        'Ingest metric samples: a JSON array of {name, labels, value, time} or {samples: [...]}, optionally Content-Encoding: gzip; each bad sample is rejected with its index and reason',
      raw: { bodyLimit: metrics.limits.bodyLimitBytes, content: { 'application/json': MetricBatch } },
      response: { status: 202, schema: MetricIngestResult },
      handler: ({ req }) =>
        metrics.ingestBody(
          Buffer.isBuffer(req.body) ? req.body : undefined,
          header(req.headers['content-type']),
          header(req.headers['content-encoding']),
        ),
    }),
    defineRoute({
      method: 'GET',
      url: '/api/v1/metrics/series',
      tags,
      access: 'metric.read',
      summary: 'List metric series (optionally of one metric name) with their last value',
      query: MetricSeriesQuery,
      response: { status: 200, schema: MetricSeriesPage },
      handler: ({ query }) => metrics.listSeries(query),
    }),
    defineRoute({
      method: 'GET',
      url: '/api/v1/metrics/series/:id/points',
      tags,
      access: 'metric.read',
      summary: 'Points of a series between from and to (default: the last hour), oldest first',
      params: IdParams,
      query: MetricPointsQuery,
      response: { status: 200, schema: MetricPoints },
      handler: ({ params, query }) => metrics.points(params.id, query),
    }),
    defineRoute({
      method: 'GET',
      url: '/api/v1/metrics/targets',
      tags,
      access: 'metric.read',
      summary: 'Scrape targets and their health (up = 1 after a good scrape, 0 after a failed one)',
      response: { status: 200, schema: ScrapeTargets },
      handler: async () => ({ items: metrics.targets() }),
    }),
  ] as AnyRoute[];
}
