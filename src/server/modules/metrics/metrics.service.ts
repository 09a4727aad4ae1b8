/**
 * Metrics: samples (posted or scraped) stored as series and points in one transaction per batch, fed
 * to the anomaly detectors (a fired episode is raised as an alert), read back for the console, and
 * pruned after the retention period. Scrape targets' health (`up`) is kept here for the API.
 */
import { isUtf8 } from 'node:buffer';
import type { MetricIngestResult, MetricPoints, MetricSeries, ScrapeTarget } from '../../../shared/metrics-schemas.js';
import { METRIC_LIMITS } from '../../../shared/metrics-schemas.js';
import type { MetricsConfig } from '../../platform/config.js';
import type { Store } from '../../platform/db/connect.js';
import type { MetricSeriesTable } from '../../platform/db/types.js';
import { AppError, notFound, tooLarge } from '../../platform/errors.js';
import { readJsonBody } from '../../platform/json-body.js';
import { iso, type Clock } from '../../platform/ids.js';
import type { RuleMatch } from '../detection/index.js';
import { createDetectorSet, type SeriesRef } from './detectors.js';
import {
  ensureSeries,
  getSeries,
  listSeries,
  pointsBetween,
  prunePoints,
  pruneSeries,
  recentPoints,
  updateLast,
  upsertPoints,
} from './metrics.repository.js';
import { canonicalLabels, checkSample, seriesKey, type Sample } from './samples.js';

const MAX_REJECTIONS = 1000;
const tooManySamples = (limit: number) =>
  tooLarge(
    `more than ${limit.toLocaleString('en-US')} samples in one request, the most one may carry; send smaller batches`,
    'too-many-samples',
  );
const PRUNE_BATCH = 5000;
const JSON_TYPES = new Set(['application/json']);

export interface MetricsDeps {
  store: Store;
  clock: Clock;
  config: MetricsConfig;
  /** Where fired anomaly episodes go (alerts.raise, in compose.ts). */
  raise?: (matches: RuleMatch[]) => Promise<unknown>;
  /** Told when raising fails (the samples are stored all the same). */
  onError?: (err: unknown, where: string) => void;
}

const toSeries = (r: MetricSeriesTable): MetricSeries => ({
  id: r.id,
  name: r.name,
  labels: JSON.parse(r.labels) as Record<string, string>,
  source: r.source,
  lastValue: r.last_value === null ? null : Number(r.last_value),
  lastTime: iso(r.last_time === null ? null : Number(r.last_time)),
});

function bad(detail: string): AppError {
  return new AppError(400, 'malformed-body', 'Malformed body', detail);
}

export function createMetricsService(deps: MetricsDeps) {
  const { store, clock, config } = deps;
  const onError =
    deps.onError ??
    ((err, where) => process.stderr.write(`tocsin: metrics ${where} failed: ${(err as Error).message}\n`));
  const detectors = createDetectorSet(config.detectors, (id, since, before, limit) =>
    recentPoints(store.db, id, since, before, limit),
  );
  const targets = new Map<string, ScrapeTarget>(
    config.targets.map((t) => [
      t.name,
      {
        name: t.name,
        url: t.url,
        intervalMs: t.interval,
        up: null,
        lastScrape: null,
        lastDurationMs: null,
        lastError: null,
        samples: 0,
      },
    ]),
  );
  const totals = { accepted: 0, rejected: 0, alerts: 0 };
  // Detectors see each series' points in order: batches are judged one at a time.
  let judging: Promise<unknown> = Promise.resolve();

  /**
   * Stores samples of one source in one transaction, then runs the detectors on them. Returns the
   * samples refused because they would start a series beyond `maxSeries` (by index in `samples`).
   */
  async function record(source: string, samples: Sample[]): Promise<number[]> {
    if (!samples.length) return [];
    const bySeries = new Map<
      string,
      { name: string; labels: Record<string, string>; labelsText: string; points: Map<number, number> }
    >();
    const keys: string[] = [];
    for (const s of samples) {
      const labelsText = canonicalLabels(s.labels);
      const key = seriesKey(s.name, s.labels);
      keys.push(key);
      let e = bySeries.get(key);
      if (!e) {
        e = { name: s.name, labels: s.labels, labelsText, points: new Map() };
        bySeries.set(key, e);
      }
      e.points.set(s.time, s.value); // the last of two samples at one time wins
    }
    const ids = await store.transaction(
      async (tx) => {
        const map = await ensureSeries(
          tx,
          [...bySeries].map(([key, e]) => ({ key, name: e.name, labels: e.labelsText, source })),
          clock.now(),
          config.maxSeries,
        );
        const rows: { series_id: string; time: number; value: number }[] = [];
        for (const [key, e] of bySeries) {
          const id = map.get(key);
          if (!id) continue;
          let last: [number, number] | null = null;
          for (const [time, value] of e.points) {
            rows.push({ series_id: id, time, value });
            if (!last || time >= last[0]) last = [time, value];
          }
          if (last) await updateLast(tx, id, last[1], last[0]);
        }
        await upsertPoints(tx, rows);
        return map;
        // Samples arrive at the scrape and push rate and write no audit entry: no fsync wait, no chain lock.
      },
      { durability: 'relaxed', audited: false },
    );
    const refused = keys.flatMap((key, i) => (ids.has(key) ? [] : [i]));
    for (const key of [...bySeries.keys()]) if (!ids.has(key)) bySeries.delete(key);
    const watched = [...bySeries].filter(([, e]) => detectors.watches(e.name));
    if (!watched.length) return refused;
    const run = judging.then(async () => {
      const found: RuleMatch[] = [];
      for (const [key, e] of watched) {
        const ref: SeriesRef = { id: ids.get(key)!, name: e.name, labels: e.labels };
        const points = [...e.points].map(([time, value]) => ({ time, value })).sort((a, b) => a.time - b.time);
        found.push(...(await detectors.observe(ref, points)));
      }
      if (found.length && deps.raise) {
        totals.alerts += found.length;
        await deps.raise(found);
      }
    });
    judging = run.catch(() => undefined);
    try {
      await run;
    } catch (err) {
      onError(err, 'anomaly detection');
    }
    return refused;
  }

  return {
    record,

    /** A POST body: a JSON array of samples or {samples: [...]}; each bad sample is rejected with its index and reason. */
    async ingestBody(
      body: Buffer | undefined,
      contentType: string | undefined,
      contentEncoding?: string,
    ): Promise<MetricIngestResult> {
      const type = (contentType ?? '').split(';')[0]!.trim().toLowerCase();
      if (!JSON_TYPES.has(type))
        throw new AppError(
          415,
          'unsupported-media-type',
          'Unsupported media type',
          'send samples as application/json: an array of {name, labels, value, time} or {samples: [...]}',
        );
      if (!body || body.length === 0)
        throw new AppError(400, 'validation', 'Invalid request', 'the body is empty: send a JSON array of samples');
      // Samples are counted in the bytes (inflated as a stream when gzip) before any is parsed.
      const { data: bytes } = await readJsonBody(body, contentEncoding, {
        maxBytes: config.bodyLimitBytes,
        maxRecords: METRIC_LIMITS.samplesPerRequest,
        shape: 'document',
        tooManyRecords: tooManySamples,
      });
      if (!isUtf8(bytes))
        throw new AppError(
          400,
          'malformed-json',
          'Malformed JSON',
          'the body is not valid UTF-8 (JSON text must be UTF-8): nothing was stored',
        );
      let data: unknown;
      try {
        data = JSON.parse(bytes.toString('utf8'));
      } catch {
        throw bad('the body is not valid JSON');
      }
      const list = Array.isArray(data)
        ? data
        : data && typeof data === 'object' && Array.isArray((data as { samples?: unknown }).samples)
          ? (data as { samples: unknown[] }).samples
          : null;
      if (!list)
        throw new AppError(
          400,
          'validation',
          'Invalid request',
          'the body must be an array of samples or an object {samples: [...]}',
          [{ path: 'body', message: 'expected an array of samples' }],
        );
      if (list.length > METRIC_LIMITS.samplesPerRequest) throw tooManySamples(METRIC_LIMITS.samplesPerRequest);
      const now = clock.now();
      const oldest = now - config.retentionMs;
      const good: Sample[] = [];
      const goodIndex: number[] = [];
      const reasons: { index: number; reason: string }[] = [];
      list.forEach((raw, index) => {
        const r = checkSample(raw, now, oldest);
        if ('reason' in r) reasons.push({ index, reason: r.reason });
        else {
          good.push(r);
          goodIndex.push(index);
        }
      });
      const refused = await record('api', good);
      for (const i of refused)
        reasons.push({
          index: goodIndex[i]!,
          reason: `would start a new series beyond the limit of ${config.maxSeries} series (TOCSIN_METRICS_MAX_SERIES): drop a high-cardinality label`,
        });
      reasons.sort((a, b) => a.index - b.index);
      const accepted = good.length - refused.length;
      totals.accepted += accepted;
      totals.rejected += reasons.length;
      return { accepted, rejected: reasons.slice(0, MAX_REJECTIONS), rejectedCount: reasons.length };
    },

    async listSeries(q: {
      name?: string;
      limit: number;
      cursor?: string;
    }): Promise<{ items: MetricSeries[]; next: string | null }> {
      const rows = await listSeries(store.db, { name: q.name, limit: q.limit + 1, after: q.cursor });
      const more = rows.length > q.limit;
      const items = rows.slice(0, q.limit).map(toSeries);
      return { items, next: more ? items[items.length - 1]!.id : null };
    },

    async points(id: string, q: { from?: string; to?: string; limit: number }): Promise<MetricPoints> {
      const row = await getSeries(store.db, id);
      if (!row) throw notFound('the series');
      const now = clock.now();
      const to = q.to ? Date.parse(q.to) : now;
      const from = q.from ? Date.parse(q.from) : to - 3_600_000;
      if (from > to)
        throw new AppError(400, 'validation', 'Invalid request', 'from must not be after to', [
          { path: 'query.from', message: 'after to' },
        ]);
      const rows = await pointsBetween(store.db, id, from, to, q.limit + 1);
      return {
        series: toSeries(row),
        points: rows.slice(0, q.limit).map((p) => ({ time: iso(Number(p.time)), value: Number(p.value) })),
        truncated: rows.length > q.limit,
      };
    },

    /** Scrape targets and their health. */
    targets: (): ScrapeTarget[] => [...targets.values()].map((t) => ({ ...t })),

    /** Records the outcome of one scrape of `name` (the scraper calls it). */
    scraped(
      name: string,
      outcome: { up: 0 | 1; at: number; durationMs: number; error: string | null; samples: number },
    ): void {
      const t = targets.get(name);
      if (!t) return;
      Object.assign(t, {
        up: outcome.up,
        lastScrape: iso(outcome.at),
        lastDurationMs: outcome.durationMs,
        lastError: outcome.error,
        samples: outcome.samples,
      });
    },

    /** Deletes points older than the retention period, in batches, then series left without points. */
    async prune(now = clock.now()): Promise<{ points: number; series: number }> {
      const before = now - config.retentionMs;
      let points = 0;
      for (;;) {
        const n = await prunePoints(store.db, before, PRUNE_BATCH);
        points += n;
        if (n < PRUNE_BATCH) break;
      }
      return { points, series: await pruneSeries(store.db, before) };
    },

    stats: () => ({ ...totals, detectors: detectors.stats() }),

    limits: { bodyLimitBytes: config.bodyLimitBytes },
  };
}

export type MetricsService = ReturnType<typeof createMetricsService>;
