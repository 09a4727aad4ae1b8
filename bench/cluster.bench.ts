/**
 * bench:cluster — the at-scale mode on this machine (issue 10): PostgreSQL and NATS JetStream on
 * loopback (TOCSIN_TEST_DATABASE_URL, TOCSIN_TEST_NATS_URL; defaults the machine's), `tocsin serve
 * --role web|worker` as plain processes, the bundled rules. One JSON line per case on stdout.
 *
 * scale: one web process takes BENCH_EVENTS (default 200,000) trading-login events (1 in 20 a failure)
 *   through POST /api/v1/events while no worker runs, so they wait in the stream; then 1 (and, in a
 *   fresh installation, 2) worker processes start, each with one engine thread. events_per_s = events
 *   left in the stream when the last worker was ready / seconds until stage one had evaluated them all.
 *   `ratio` (2 processes) = its events_per_s / the 1-process figure of the same run. `cores_busy`: the
 *   cores the workers, NATS, PostgreSQL and the web process kept busy meanwhile (from /proc): what one
 *   process leaves of the machine is all a second can add. BENCH_PIN_WORKERS=1 binds worker i to core i
 *   (taskset), so each process has one core of its own and the ratio shows what a process adds when
 *   it brings its core (NATS, PostgreSQL and the web process still run on either).
 * failover: test/helpers/cluster-failover.ts with BENCH_GROUPS (default 200) groups, BENCH_RATE
 *   (default 2,000) events/s for BENCH_FAILOVER_S (default 30) s, one of two workers SIGKILLed at a
 *   third of the way.
 * ingest_to_alert: one web and two worker processes with only bench/ingest-to-alert.ts's marker rule
 *   (one event in 1,000); a worker thread offers 10,000 events/s (100 every 10 ms) to the web process's
 *   POST /api/v1/events for BENCH_INGEST_WARMUP_S (default 6) s (warm-up, not counted) + BENCH_INGEST_S
 *   (default 20) s; latency = from sending a marker's batch to its alert (alert.raised/updated) on an admin's SSE stream of the web
 *   process (so: web publish to JetStream, stage one on a worker, the alert raised in PostgreSQL, the
 *   live update through the NATS live stream). `markers` = markers sent after the warm-up, `alerts` =
 *   those whose alert arrived; `stages_ms` splits the latency (bench/ingest-to-alert.ts); `alert_intake`
 *   = the workers' `tocsin_alert_intake_seconds` over the run (batches, mean, share within 10/25/50 ms; the
 *   first read starts the workers' process metrics, as a Prometheus scrape in production would);
 *   `round_trip_ms` = one round trip to PostgreSQL (`select 1`) and to NATS (PING/PONG), [p50, p99, max], for
 *   5 s with the cluster idle before the load and during the measured seconds (bench/round-trips.ts): what
 *   each of the waits a marker's way is made of costs on this machine, measured in the same run;
 *   `cpu_ms_per_1000_events` = CPU time (from /proc) the web and each worker process used per 1,000
 *   events accepted, a figure other work on the machine hardly moves; stderr has the worst latency per
 *   second. BENCH_INGEST_RATE (default 10,000) offers less, to see the latency of a lightly loaded path;
 *   BENCH_INGEST_WORKERS (default 2) sets the worker processes; BENCH_INGEST_RULES=bundled loads the
 *   bundled rules (correlations among them) beside the marker rule.
 * BENCH_CASES=scale,failover,ingest_to_alert (the default) picks cases; BENCH_SCALE_PROCESSES=1 runs the scale case for one count only;
 * BENCH_WORKER_NODE_ARGS are node's arguments for the worker processes (e.g. --cpu-prof --cpu-prof-dir=DIR),
 * BENCH_WEB_NODE_ARGS for the web process (ingest_to_alert).
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { bundledPath } from '../src/server/platform/bundled.js';
import {
  createCluster,
  clusterSession,
  clusterToken,
  sendEvents,
  until,
  type Cluster,
} from '../test/helpers/cluster.js';
import { runFailover } from '../test/helpers/cluster-failover.js';
import { parseExposition } from '../test/helpers/prometheus.js';
import { cpuMeter, cpuSeconds, pidsNamed } from './cpu-usage.js';
import { markerRulesDir, measureIngestToAlert, pct, stagePercentiles } from './ingest-to-alert.js';
import { type RoundTripSamples, startRoundTrips } from './round-trips.js';

const PG = process.env.TOCSIN_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const NATS = process.env.TOCSIN_TEST_NATS_URL ?? 'nats://127.0.0.1:4222';
const EVENTS = Number(process.env.BENCH_EVENTS ?? 200_000);
const CASES = (process.env.BENCH_CASES ?? 'scale,failover,ingest_to_alert').split(',');
const INGEST_S = Number(process.env.BENCH_INGEST_S ?? 20);
/**
 * Seconds of load before ingest_to_alert measures (BENCH_INGEST_WARMUP_S, default 6): three freshly started
 * processes compile their hot paths and open their connections under the load, and with 2 s the worst
 * latency of the first measured seconds was still the warm-up's backlog draining (83-612 ms, 2026-12-07).
 */
const INGEST_WARMUP_S = Number(process.env.BENCH_INGEST_WARMUP_S ?? 6);
/** Seconds of round trips measured with the cluster up and idle, before ingest_to_alert's load (bench/round-trips.ts). */
const IDLE_ROUND_TRIPS_S = 5;
/** Events/s offered in ingest_to_alert (a multiple of 100; below 10,000 to see the latency of a lightly loaded path). */
const INGEST_RATE = Number(process.env.BENCH_INGEST_RATE ?? 10_000);
/** ingest_to_alert with the bundled rules beside the marker rule (BENCH_INGEST_RULES=bundled; default: the marker rule only). */
const INGEST_BUNDLED = process.env.BENCH_INGEST_RULES === 'bundled';
/** Worker processes in ingest_to_alert (BENCH_INGEST_WORKERS, default 2). */
const INGEST_WORKERS = Number(process.env.BENCH_INGEST_WORKERS ?? 2);
const SEED = Number(process.env.BENCH_SEED ?? 20260105);

/** Node's arguments for a kind of process from the environment, e.g. BENCH_WORKER_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof". */
const nodeArgs = (name: string) => (process.env[name] ?? '').split(' ').filter(Boolean);
const log = (msg: string) => process.stderr.write(`[bench:cluster] ${msg}\n`);
const out = (o: Record<string, unknown>) => console.log(JSON.stringify({ bench: 'cluster', ...o }));

function loginEvents(run: string, from: number, n: number, at: number): object[] {
  const events: object[] = [];
  for (let i = from; i < from + n; i++) {
    const fail = i % 20 === 0;
    events.push({
      id: `${run}-${i}`,
      '@timestamp': new Date(at + i).toISOString(),
      logsource: { product: 'tocsin', service: 'trading_login' },
      event: 'login',
      outcome: fail ? 'failure' : 'success',
      ...(fail ? { reason: 'wrong_password' } : {}),
      user: `acct${i % 50_000}`,
      src_ip: `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`,
      channel: i % 3 === 0 ? 'pc' : 'app',
      device: `dev-${i % 7919}`,
    });
  }
  return events;
}

/** Pending messages of the stage-one consumer (0 before any worker made it: then all of the stream). */
async function pending(cluster: Cluster): Promise<{ pending: number; messages: number }> {
  const n = await cluster.nats();
  const stream = `${cluster.prefix}_events`;
  const messages = (await n.jsm.streams.info(stream)).state.messages;
  const info = await n.jsm.consumers.info(stream, 'stage1').catch(() => null);
  return { pending: info ? info.num_pending + info.num_ack_pending : messages, messages };
}

const PIN = process.env.BENCH_PIN_WORKERS === '1';

/** Binds every thread of a process to one core (util-linux taskset; threads it starts later inherit it). */
function pinTo(pid: number, core: number): void {
  execFileSync('taskset', ['-a', '-cp', String(core), String(pid)], { stdio: 'ignore' });
}

async function scale(workers: number): Promise<number> {
  const cluster = await createCluster({ pgUrl: PG, natsUrl: NATS });
  try {
    const web = await cluster.start('web', 'web-1');
    const token = await clusterToken(web.url, ['events']);
    const run = Math.random().toString(36).slice(2, 8);
    const at = Date.now() - EVENTS;
    const BATCH = 5_000;
    let sent = 0;
    const started = Date.now();
    // Four requests in flight, as several senders would.
    const lanes = Array.from({ length: 4 }, async () => {
      for (;;) {
        const from = sent;
        if (from >= EVENTS) return;
        sent += BATCH;
        await sendEvents(web.url, token, loginEvents(run, from, Math.min(BATCH, EVENTS - from), at));
      }
    });
    await Promise.all(lanes);
    log(`${EVENTS} events stored in the stream in ${((Date.now() - started) / 1000).toFixed(1)} s (web ingest)`);
    const procs: Promise<import('../test/helpers/cluster.js').ClusterProcess>[] = [];
    for (let i = 0; i < workers; i++)
      procs.push(
        cluster.start(
          'worker',
          `worker-${i + 1}`,
          { TOCSIN_DETECTION_THREAD: 'worker' },
          nodeArgs('BENCH_WORKER_NODE_ARGS'),
        ),
      );
    await Promise.all(procs);
    await until(
      async () => {
        for (const p of await Promise.all(procs)) if ((await fetch(`${p.url}/readyz`)).status !== 200) return false;
        return true;
      },
      'workers ready',
      120_000,
    );
    const workerPids = (await Promise.all(procs)).map((p) => p.child.pid!);
    // BENCH_PIN_WORKERS=1: worker i (all its threads) on core i only, so each process has one core of its own.
    if (PIN) for (const [i, pid] of workerPids.entries()) pinTo(pid, i % os.cpus().length);
    const meter = cpuMeter({
      workers: workerPids,
      nats: pidsNamed('nats-server'),
      postgres: pidsNamed('postgres'),
      web: [web.child.pid!],
    });
    const t0 = Date.now();
    const p0 = await pending(cluster);
    await until(async () => (await pending(cluster)).pending === 0, 'stage one to drain the stream', 600_000, 20);
    const seconds = (Date.now() - t0) / 1000;
    const cores = meter.cores();
    const events = Math.round((p0.pending / Math.max(1, p0.messages)) * EVENTS);
    const rate = Math.round(events / seconds);
    out({
      case: 'scale',
      processes: workers,
      engine_threads_per_process: 1,
      pinned: PIN,
      events,
      seconds: Number(seconds.toFixed(2)),
      events_per_s: rate,
      // Cores each kind of process kept busy while the stream drained (this machine has os.cpus().length).
      cores_busy: cores,
      machine_cores: os.cpus().length,
    });
    // A graceful stop, so a worker run with --cpu-prof writes its profile (a SIGKILL would not).
    await Promise.all((await Promise.all(procs)).map((p) => p.stop()));
    return rate;
  } finally {
    await cluster.stop();
  }
}

/** One web and two worker processes with only the marker rule; the load to the web process, the alerts read from its stream. */
/** The workers' `tocsin_alert_intake_seconds` summed: batches, seconds, and batches at or under each bucket's bound. */
async function intakeOf(urls: string[]): Promise<{ count: number; sum: number; le: Map<string, number> }> {
  const total = { count: 0, sum: 0, le: new Map<string, number>() };
  for (const url of urls)
    for (const x of parseExposition(await (await fetch(`${url}/metrics`)).text())) {
      if (x.name === 'tocsin_alert_intake_seconds_count') total.count += x.value;
      else if (x.name === 'tocsin_alert_intake_seconds_sum') total.sum += x.value;
      else if (x.name === 'tocsin_alert_intake_seconds_bucket')
        total.le.set(x.labels.le!, (total.le.get(x.labels.le!) ?? 0) + x.value);
    }
  return total;
}

/**
 * Alert intake between two readings (the workers' histogram): batches raised, their mean, and the share done
 * within 10, 25 and 50 ms — how much of `live` is the intake transaction, how much the way to the stream.
 */
function intakeBetween(a: Awaited<ReturnType<typeof intakeOf>>, b: Awaited<ReturnType<typeof intakeOf>>) {
  const n = b.count - a.count;
  const within = (le: string) => (n ? Number((((b.le.get(le) ?? 0) - (a.le.get(le) ?? 0)) / n).toFixed(3)) : null);
  return {
    batches: n,
    mean_ms: n ? Number((((b.sum - a.sum) / n) * 1000).toFixed(2)) : null,
    within_ms: { 10: within('0.01'), 25: within('0.025'), 50: within('0.05') },
  };
}

/** [p50, p99, max] of each kind of round trip, ms. */
function roundTripFigures(s: RoundTripSamples | undefined) {
  const f = (xs: number[] = []) => [pct(xs, 50), pct(xs, 99), pct(xs, 100)];
  return { pg: f(s?.pg), nats: f(s?.nats) };
}

async function ingestToAlert(): Promise<void> {
  const rulesDir = markerRulesDir();
  // BENCH_INGEST_RULES=bundled: the bundled rules (correlations among them) beside the marker rule.
  const bundled = INGEST_BUNDLED ? bundledPath('rules', 'tocsin') : null;
  if (INGEST_BUNDLED && !bundled)
    throw new Error('BENCH_INGEST_RULES=bundled: the bundled rules (rules/tocsin) are missing');
  const dirs = bundled ? [rulesDir, bundled] : [rulesDir];
  const cluster = await createCluster({
    pgUrl: PG,
    natsUrl: NATS,
    env: { TOCSIN_RULES_DIRS: dirs.join(path.delimiter) },
  });
  try {
    const web = await cluster.start('web', 'web-1', {}, nodeArgs('BENCH_WEB_NODE_ARGS'));
    const workers = await Promise.all(
      Array.from({ length: INGEST_WORKERS }, (_, i) =>
        cluster.start('worker', `worker-${i + 1}`, {}, nodeArgs('BENCH_WORKER_NODE_ARGS')),
      ),
    );
    await until(
      async () => {
        for (const p of workers) if ((await fetch(`${p.url}/readyz`)).status !== 200) return false;
        return true;
      },
      'workers ready',
      120_000,
    );
    const token = await clusterToken(web.url, ['events']);
    const { cookie } = await clusterSession(web.url);
    const procs = [web, ...workers];
    // The floor: single round trips to PostgreSQL and NATS, first with the cluster idle, then under the load.
    const roundTrips = startRoundTrips(PG, NATS);
    await roundTrips.ready;
    roundTrips.phase('idle');
    await new Promise((r) => setTimeout(r, IDLE_ROUND_TRIPS_S * 1000));
    roundTrips.phase(null);
    const cpu0 = procs.map((p) => cpuSeconds(p.child.pid!));
    const intake0 = await intakeOf(workers.map((p) => p.url));
    log(`ingest_to_alert: offering ${INGEST_RATE} events/s for ${INGEST_WARMUP_S} s (warm-up) + ${INGEST_S} s`);
    const loaded = [
      setTimeout(() => roundTrips.phase('loaded'), INGEST_WARMUP_S * 1000),
      setTimeout(() => roundTrips.phase(null), (INGEST_WARMUP_S + INGEST_S) * 1000),
    ];
    const r = await measureIngestToAlert({
      url: web.url,
      token,
      stream: { url: `${web.url}/api/v1/stream`, headers: { cookie } },
      seconds: INGEST_S,
      warmupS: INGEST_WARMUP_S,
      seed: SEED,
      perBatch: INGEST_RATE / 100,
    }).finally(() => loaded.forEach(clearTimeout));
    const rtt = await roundTrips.stop();
    log(`ingest_to_alert: worst latency per second from the start of the warm-up (ms): ${r.worstPerSecond.join(' ')}`);
    const res = r.load;
    const intake = intakeBetween(intake0, await intakeOf(workers.map((p) => p.url)));
    // CPU per 1,000 events (insensitive to other work on the machine, unlike the latency): web, each worker.
    const perK = (i: number) => {
      const used = (cpuSeconds(procs[i]!.child.pid!) - cpu0[i]!) * 1000;
      return Number.isFinite(used) ? Number(((used / Math.max(1, res.acceptedAll)) * 1000).toFixed(1)) : null;
    };
    out({
      case: 'ingest_to_alert',
      processes: { web: 1, worker: INGEST_WORKERS },
      rules: INGEST_BUNDLED ? 'marker+bundled' : 'marker',
      offered_per_s: Math.round(res.offered / INGEST_S),
      delivered_per_s: Math.round(res.accepted / (res.elapsedMs / 1000)),
      markers: r.expected,
      alerts: r.latencies.length,
      p50_ms: pct(r.latencies, 50),
      p99_ms: pct(r.latencies, 99),
      max_ms: pct(r.latencies, 100),
      cpu_ms_per_1000_events: { web: perK(0), workers: workers.map((_, i) => perK(i + 1)) },
      // [p50, p99] of each part: ingest (sent to 202), detect (202 to the alert written), live (to the stream)
      stages_ms: stagePercentiles(r.stages),
      // The workers' alert intake (their /metrics): batches of matches raised, mean, share within 10/25/50 ms.
      alert_intake: intake,
      // One round trip to PostgreSQL and to NATS, [p50, p99, max] ms, with the cluster idle and under this load.
      round_trip_ms: { idle: roundTripFigures(rtt.idle), loaded: roundTripFigures(rtt.loaded) },
      http_p99_ms: pct(res.httpMs, 99),
      skipped_events: res.skipped,
      http_errors: res.httpErrors,
      target_p99_ms: 50,
    });
    // A graceful stop, so processes started with --cpu-prof write their profiles.
    await Promise.all(cluster.processes.map((p) => p.stop()));
  } finally {
    await cluster.stop();
    fs.rmSync(rulesDir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  if (CASES.includes('scale')) {
    const only = process.env.BENCH_SCALE_PROCESSES;
    const one = only === '2' ? 0 : await scale(1);
    const two = only === '1' ? 0 : await scale(2);
    if (one && two)
      out({ case: 'scale_ratio', processes: 2, pinned: PIN, ratio: Number((two / one).toFixed(2)), target: 1.3 });
  }
  if (CASES.includes('failover')) {
    const cluster = await createCluster({ pgUrl: PG, natsUrl: NATS });
    try {
      const web = await cluster.start('web', 'web-1');
      const w1 = await cluster.start('worker', 'worker-1');
      const w2 = await cluster.start('worker', 'worker-2');
      const durationS = Number(process.env.BENCH_FAILOVER_S ?? 30);
      const r = await runFailover(
        cluster,
        { web, workers: [w1, w2] },
        {
          groups: Number(process.env.BENCH_GROUPS ?? 200),
          rate: Number(process.env.BENCH_RATE ?? 2000),
          durationS,
          killAtS: Math.round(durationS / 3),
          log,
        },
      );
      out({ case: 'failover', ...r });
    } finally {
      await cluster.stop();
    }
  }
  if (CASES.includes('ingest_to_alert')) await ingestToAlert();
}

main().catch((err) => {
  process.stderr.write(`bench:cluster failed: ${(err as Error).stack ?? err}\n`);
  process.exit(1);
});
