/**
 * Tocsin's own Prometheus metrics (`GET /metrics`): one prom-client Registry per process (not the
 * library's global one) with the default process metrics, and the counters, gauges and histograms
 * the parts of Tocsin feed. compose.ts makes it (`services.telemetry`); a part counts through the
 * methods here, or hands a function read at each scrape (`watch*`), which keeps hot paths free of it.
 * Labels never carry personal data: sources, job states, consumer names and the role only.
 */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

type Role = 'all' | 'web' | 'worker';
const JOB_STATES = ['queued', 'running', 'dead'] as const;
type JobCounts = Partial<Record<(typeof JOB_STATES)[number], number>>;

export interface Telemetry {
  readonly registry: Registry;
  /** Events accepted from `source` (after deduplication), handed to detection. */
  countIngested(source: string, n: number): void;
  /** One batch through a rule engine: how long it took (seconds). */
  observeEngine(seconds: number): void;
  /** One batch of matches raised as alerts: from the call to its commit and live update (seconds). */
  observeAlertIntake(seconds: number): void;
  /** Events through detection and matches it produced, counted by whoever runs an engine outside the local pipeline. */
  countDetection(events: number, matches: number): void;
  /** A job attempt that failed (a thrown handler, or a run cut short). */
  countJobFailed(): void;
  /** Messages a consumer has yet to process (stream pending), by consumer name. */
  setLag(consumer: string, n: number): void;
  /** Read at scrape: the local detection pipeline's totals since start. */
  watchDetection(stats: () => { events: number; matches: number }): void;
  /** Read at scrape: jobs per state in the store (one cheap query). */
  watchJobs(counts: () => Promise<JobCounts>): void;
  /** Read at scrape: live streams (SSE) open now. */
  watchSseClients(count: () => number): void;
  /** Read at scrape: correlation partitions this worker owns, and the feeds they have yet to read in all. */
  watchPartitions(state: () => { owned: number; pending: number }): void;
  /** The exposition text (Prometheus text format 0.0.4). */
  scrape(): Promise<{ contentType: string; body: string }>;
}

export function createTelemetry(opts: { role: Role; version: string; nats: boolean }): Telemetry {
  const registry = new Registry();
  // The process metrics (CPU, memory, event-loop lag, GC) start with the first scrape: a process
  // nobody scrapes (a test, a CLI command) runs no monitors for them.
  let defaults = false;
  const registers = [registry];

  let detectionStats: (() => { events: number; matches: number }) | null = null;
  let jobCounts: (() => Promise<JobCounts>) | null = null;
  let sseClients: (() => number) | null = null;
  let partitions: (() => { owned: number; pending: number }) | null = null;
  /** What the local pipeline's totals were at the last scrape (counters only go up by the difference). */
  const seen = { events: 0, matches: 0 };

  const ingested = new Counter({
    name: 'tocsin_events_ingested_total',
    help: 'Events accepted for detection, by ingest source',
    labelNames: ['source'] as const,
    registers,
  });
  const detectionEvents = new Counter({
    name: 'tocsin_detection_events_total',
    help: 'Events evaluated by the rule engine',
    registers,
    collect() {
      if (!detectionStats) return;
      const now = detectionStats().events;
      if (now > seen.events) this.inc(now - seen.events);
      seen.events = now;
    },
  });
  const detectionMatches = new Counter({
    name: 'tocsin_detection_matches_total',
    help: 'Rule matches produced by detection',
    registers,
    collect() {
      if (!detectionStats) return;
      const now = detectionStats().matches;
      if (now > seen.matches) this.inc(now - seen.matches);
      seen.matches = now;
    },
  });
  const engineSeconds = new Histogram({
    name: 'tocsin_rule_engine_seconds',
    help: 'Rule-engine time per batch of events',
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers,
  });
  const intakeSeconds = new Histogram({
    name: 'tocsin_alert_intake_seconds',
    help: 'Time to raise a batch of rule matches as alerts: deduplication, grouping and the store transaction to its commit',
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers,
  });
  new Gauge({
    name: 'tocsin_jobs',
    help: 'Durable jobs in the store by state (queued, running, dead), read at scrape',
    labelNames: ['state'] as const,
    registers,
    async collect() {
      if (!jobCounts) return;
      const counts = await jobCounts();
      for (const state of JOB_STATES) this.set({ state }, counts[state] ?? 0);
    },
  });
  const jobsFailed = new Counter({
    name: 'tocsin_jobs_failed_total',
    help: 'Failed job attempts in this process (retried later, or dead after the last)',
    registers,
  });
  new Gauge({
    name: 'tocsin_sse_clients',
    help: 'Live streams (server-sent events) open on this process',
    registers,
    collect() {
      this.set(sseClients ? sseClients() : 0);
    },
  });
  new Gauge({
    name: 'tocsin_correlation_partitions_owned',
    help: 'Correlation partitions this worker owns now (over all workers they add up to TOCSIN_CORRELATION_PARTITIONS)',
    registers,
    collect() {
      this.set(partitions ? partitions().owned : 0);
    },
  });
  new Gauge({
    name: 'tocsin_correlation_lag_total',
    help: 'Correlation feed messages the partitions this worker owns have yet to read, in all',
    registers,
    collect() {
      this.set(partitions ? partitions().pending : 0);
    },
  });
  const lag = new Gauge({
    name: 'tocsin_consumer_lag',
    help: 'Messages a consumer has yet to process, by consumer',
    labelNames: ['consumer'] as const,
    registers,
  });
  new Gauge({
    name: 'tocsin_role_info',
    help: 'The role of this process (all, web or worker), its version and whether it runs with NATS; always 1',
    labelNames: ['role', 'version', 'nats'] as const,
    registers,
  }).set({ role: opts.role, version: opts.version, nats: String(opts.nats) }, 1);

  return {
    registry,
    countIngested: (source, n) => ingested.inc({ source }, n),
    observeEngine: (seconds) => engineSeconds.observe(seconds),
    observeAlertIntake: (seconds) => intakeSeconds.observe(seconds),
    countDetection(events, matches) {
      detectionEvents.inc(events);
      if (matches) detectionMatches.inc(matches);
    },
    countJobFailed: () => jobsFailed.inc(),
    setLag: (consumer, n) => lag.set({ consumer }, n),
    watchDetection(stats) {
      detectionStats = stats;
      const now = stats();
      seen.events = now.events;
      seen.matches = now.matches;
    },
    watchJobs(counts) {
      jobCounts = counts;
    },
    watchSseClients(count) {
      sseClients = count;
    },
    watchPartitions(state) {
      partitions = state;
    },
    async scrape() {
      if (!defaults) {
        defaults = true;
        collectDefaultMetrics({ register: registry });
      }
      return { contentType: registry.contentType, body: await registry.metrics() };
    },
  };
}
