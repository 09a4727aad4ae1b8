/**
 * Scrapers: each configured target is fetched at its interval (guarded outbound HTTP), its exposition
 * text parsed and stored like posted samples, with `job` (the target's name), `instance` (host:port)
 * and the target's labels added — they win over scraped labels of the same name, as in Prometheus.
 * Each scrape also records `up` (1 or 0), `scrape_duration_seconds` and `scrape_samples_scraped`;
 * a failed scrape is `up` 0 with its reason on the target, and never stops the loop.
 */
import type { ScrapeTargetConfig } from '../../platform/metrics-file.js';
import type { Clock } from '../../platform/ids.js';
import type { Logger } from '../../platform/logger.js';
import { METRIC_LIMITS } from '../../../shared/metrics-schemas.js';
import { formatOf, parseExposition } from './exposition.js';
import type { MetricsService } from './metrics.service.js';
import type { OutboundGuard } from '../../platform/outbound-guard.js';
import { DEFAULT_SCRAPE_GUARD, guardedGet } from './outbound.js';
import { checkSeries, type Sample } from './samples.js';

/** Response bodies larger than this are refused. */
export const SCRAPE_MAX_BYTES = 10 * 1024 * 1024;
const ACCEPT = 'application/openmetrics-text;version=1.0.0;q=0.9,text/plain;version=0.0.4;q=0.5,*/*;q=0.1';

export interface ScrapeOutcome {
  up: 0 | 1;
  samples: number;
  /** Samples dropped: bad names or labels, NaN or infinite values. */
  dropped: number;
  error: string | null;
}

function targetLabels(t: ScrapeTargetConfig): Record<string, string> {
  return { job: t.name, instance: new URL(t.url).host, ...t.labels };
}

/** Scrapes `target` once and stores what it gave (or `up` 0). */
export async function scrapeOnce(
  target: ScrapeTargetConfig,
  metrics: MetricsService,
  clock: Clock,
  guard: OutboundGuard = DEFAULT_SCRAPE_GUARD,
): Promise<ScrapeOutcome> {
  const started = clock.now();
  const fixed = targetLabels(target);
  let outcome: ScrapeOutcome;
  let samples: Sample[] = [];
  try {
    const res = await guardedGet(target.url, {
      timeoutMs: target.timeout,
      maxBytes: SCRAPE_MAX_BYTES,
      accept: ACCEPT,
      guard,
    });
    const parsed = parseExposition(res.body, {
      format: formatOf(res.contentType),
      maxSamples: METRIC_LIMITS.samplesPerRequest,
    });
    let dropped = parsed.errorCount;
    for (const s of parsed.samples) {
      const labels = { ...s.labels, ...fixed };
      if (!Number.isFinite(s.value) || checkSeries(s.name, labels)) {
        dropped++;
        continue;
      }
      samples.push({ name: s.name, labels, value: s.value, time: s.time ?? started });
    }
    const error = parsed.truncated
      ? `more than ${METRIC_LIMITS.samplesPerRequest} samples: the rest were not read`
      : null;
    outcome = { up: 1, samples: samples.length, dropped, error };
  } catch (err) {
    samples = [];
    outcome = { up: 0, samples: 0, dropped: 0, error: (err as Error).message.slice(0, 300) };
  }
  const durationMs = Math.max(0, clock.now() - started);
  const health = (name: string, value: number): Sample => ({ name, labels: fixed, value, time: started });
  samples.push(
    health('up', outcome.up),
    health('scrape_duration_seconds', durationMs / 1000),
    health('scrape_samples_scraped', outcome.samples),
  );
  metrics.scraped(target.name, {
    up: outcome.up,
    at: started,
    durationMs,
    error: outcome.error,
    samples: outcome.samples,
  });
  await metrics.record(target.name, samples);
  return outcome;
}

export interface Scrapers {
  stop(): Promise<void>;
}

/** Starts a loop per target (first scrape at once, then every interval, never two at a time per target). */
export function startScrapers(deps: {
  targets: ScrapeTargetConfig[];
  metrics: MetricsService;
  clock: Clock;
  logger?: Logger;
  guard?: OutboundGuard;
}): Scrapers {
  const { targets, metrics, clock, logger, guard } = deps;
  let stopped = false;
  const timers = new Set<NodeJS.Timeout>();
  const running = new Set<Promise<void>>();
  const lastUp = new Map<string, number>();

  function schedule(t: ScrapeTargetConfig, delay: number): void {
    if (stopped) return;
    const timer = setTimeout(() => {
      timers.delete(timer);
      const p = (async () => {
        const began = clock.now();
        try {
          const o = await scrapeOnce(t, metrics, clock, guard);
          // Logged when a target goes down or comes back, not on every scrape. URLs and reasons carry no PII.
          if (lastUp.get(t.name) !== o.up)
            logger?.[o.up ? 'info' : 'warn'](
              { target: t.name, up: o.up, error: o.error },
              o.up ? 'scrape target up' : 'scrape target down',
            );
          lastUp.set(t.name, o.up);
        } catch (err) {
          logger?.error({ target: t.name, err: (err as Error).message }, 'scrape could not be stored');
        }
        schedule(t, Math.max(0, t.interval - (clock.now() - began)));
      })();
      running.add(p);
      void p.finally(() => running.delete(p));
    }, delay);
    timer.unref?.();
    timers.add(timer);
  }

  // Spread the first scrapes a little so many targets do not all fire in the same millisecond.
  for (const [i, t] of targets.entries()) schedule(t, Math.min(i * 50, t.interval));
  return {
    async stop() {
      stopped = true;
      for (const t of timers) clearTimeout(t);
      timers.clear();
      await Promise.allSettled([...running]);
    },
  };
}

/** Prunes metric points past the retention period now and then (every 10 minutes by default). */
export function startMetricsPruning(
  metrics: MetricsService,
  opts: { everyMs?: number; logger?: Logger } = {},
): { stop(): void } {
  const timer = setInterval(
    () => {
      metrics
        .prune()
        .catch((err: Error) => opts.logger?.error({ err: err.message }, 'metric retention pruning failed'));
    },
    opts.everyMs ?? 10 * 60_000,
  );
  timer.unref?.();
  return { stop: () => clearInterval(timer) };
}
