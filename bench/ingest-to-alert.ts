/**
 * The ingest_to_alert measurement, shared by bench:detect (one embedded server, SQLite) and
 * bench:cluster (a web process and worker processes on PostgreSQL + NATS): one Sigma rule matching the
 * marker events (one in 1,000), a load generator on a worker thread (off the bench's event loop) that
 * offers `perBatch` events every `intervalMs` to POST /api/v1/events, open loop, and the latency from
 * sending a marker's batch to its alert (`alert.raised`/`alert.updated` naming the marker's account) on
 * an admin's SSE stream. Markers of the warm-up are not counted.
 */
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { isMainThread, type MessagePort, parentPort, workerData } from 'node:worker_threads';
import { startWorker } from '../src/server/platform/worker.js';
import { rng } from '../packages/sigma/bench/event-set.js';

const MARKER_RULE = `title: Bench - marker action on the trading web front end
id: 3f6c2b8e-9d41-4c7a-b0a5-5e2d8c1f7a90
status: test
description: bench ingest_to_alert — matches the marker events, one in 1,000
logsource:
  product: tocsin
  service: trading_web
detection:
  selection:
    action: bench_marker
  condition: selection
level: high
`;

/** A fresh folder holding only the marker rule (for TOCSIN_RULES_DIRS); remove it when done. */
export function markerRulesDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tocsin-bench-rules-'));
  fs.writeFileSync(path.join(dir, 'bench-marker.yml'), MARKER_RULE);
  return dir;
}

const round = (x: number, d = 0) => Number(x.toFixed(d));

/** The p-th percentile (nearest rank, 0..100) rounded to 0.01; null for no values. */
export function pct(xs: number[], p: number): number | null {
  if (!xs.length) return null;
  const s = [...xs].sort((a, b) => a - b);
  return round(s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!, 2);
}

// ------------------------------------------------------------------------ load generator

export interface LoadgenConfig {
  url: string;
  token: string;
  seconds: number;
  /** Seconds of load before `seconds` whose markers are flagged `warm` (server JIT, caches). */
  warmupS: number;
  perBatch: number;
  intervalMs: number;
  /** One event in this many is a marker the bench rule matches. */
  matchEvery: number;
  runId: string;
  seed: number;
  /** Batches in flight at most; a tick that finds this many waiting sends nothing (counted as skipped). */
  maxInflight: number;
}

export interface LoadgenResult {
  /** Absolute times (performance.timeOrigin + now), ms: the batch sent, its 202 received (null: none). */
  markers: { user: string; sentAt: number; ackedAt: number | null; warm: boolean }[];
  offered: number;
  sent: number;
  accepted: number;
  /** Events accepted, the warm-up's too (what the server processed in all). */
  acceptedAll: number;
  skipped: number;
  httpErrors: number;
  elapsedMs: number;
  httpMs: number[];
  maxInflight: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * The ordinary events' lines, made once before the load starts: each is `{"logsource":…,"@timestamp":"` +
 * the batch's time + the rest, so sending costs a concatenation per event, not a JSON encoding (the load
 * generator runs on the machine it measures: its own CPU is taken from the processes under test).
 */
function eventPool(seed: number, size: number): { head: string; rests: string[] } {
  const r = rng(seed);
  const actions = [
    'view_quote',
    'view_quote',
    'view_quote',
    'place_order',
    'cancel_order',
    'view_positions',
    'login',
    'logout',
  ];
  const rests = Array.from({ length: size }, () => {
    const rest = JSON.stringify({
      action: r.pick(actions),
      user: `A${10_000_000 + r.int(200_000)}`,
      src_ip: `117.136.${r.int(256)}.${1 + r.int(254)}`,
      channel: r.pick(['web', 'app']),
      latency_ms: r.int(300),
      symbol: `${r.pick(['60', '00', '30'])}${String(r.int(10000)).padStart(4, '0')}`,
    });
    return `",${rest.slice(1)}`;
  });
  return { head: '{"logsource":{"product":"tocsin","service":"trading_web"},"@timestamp":"', rests };
}

/** POSTs `body` on a kept-alive connection of `agent`; the status and the parsed answer. */
function post(
  agent: http.Agent,
  url: URL,
  token: string,
  body: string,
): Promise<{ status: number; json: { accepted?: number } }> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        agent,
        host: url.hostname,
        port: url.port,
        path: '/api/v1/events',
        method: 'POST',
        headers: {
          authorization: `Bearer ${token}`,
          'content-type': 'application/x-ndjson',
          'content-length': Buffer.byteLength(body),
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          try {
            resolve({ status: res.statusCode ?? 0, json: JSON.parse(Buffer.concat(chunks).toString('utf8')) });
          } catch (err) {
            reject(err);
          }
        });
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

/**
 * Offers `perBatch` events every `intervalMs` to POST /api/v1/events, open loop, for `warmupS` then
 * `seconds`; counts (offered, sent, accepted, HTTP times) cover `seconds` only. Plain node:http on
 * kept-alive connections, not fetch: fetch's web streams cost the generator about 0.25 of a core at
 * 100 requests a second, on the 2 cores the processes under test share.
 */
async function loadgen(cfg: LoadgenConfig): Promise<LoadgenResult> {
  const pool = eventPool(cfg.seed, 8192);
  const url = new URL(cfg.url);
  const agent = new http.Agent({ keepAlive: true, maxSockets: cfg.maxInflight });
  const abs = () => performance.timeOrigin + performance.now();
  const res: LoadgenResult = {
    markers: [],
    offered: 0,
    sent: 0,
    accepted: 0,
    acceptedAll: 0,
    skipped: 0,
    httpErrors: 0,
    elapsedMs: 0,
    httpMs: [],
    maxInflight: 0,
  };
  const pending = new Set<Promise<void>>();
  let inflight = 0;
  let seq = 0;
  const t0 = performance.now();
  const measureFrom = t0 + cfg.warmupS * 1000;
  const end = measureFrom + cfg.seconds * 1000;
  for (let k = 0; ; k++) {
    const target = t0 + k * cfg.intervalMs;
    if (target >= end) break;
    const wait = target - performance.now();
    if (wait > 0.5) await sleep(wait);
    const warm = target < measureFrom;
    if (!warm) res.offered += cfg.perBatch;
    if (inflight >= cfg.maxInflight) {
      if (!warm) res.skipped += cfg.perBatch;
      seq += cfg.perBatch;
      continue;
    }
    let body = '';
    const marks: string[] = [];
    const ts = new Date().toISOString();
    for (let i = 0; i < cfg.perBatch; i++, seq++) {
      if (i) body += '\n';
      if (seq % cfg.matchEvery === cfg.matchEvery - 1) {
        const user = `bm-${cfg.runId}-${seq}`;
        marks.push(user);
        body += `${pool.head}${ts}","action":"bench_marker","user":"${user}","channel":"web"}`;
      } else body += pool.head + ts + pool.rests[seq % pool.rests.length];
    }
    const sentAt = abs();
    const batchMarkers = marks.map((user) => ({ user, sentAt, ackedAt: null as number | null, warm }));
    res.markers.push(...batchMarkers);
    inflight++;
    res.maxInflight = Math.max(res.maxInflight, inflight);
    if (!warm) res.sent += cfg.perBatch;
    const p: Promise<void> = post(agent, url, cfg.token, body)
      .then(({ status, json }) => {
        const at = abs();
        if (status !== 202) res.httpErrors++;
        else {
          if (!warm) res.accepted += json.accepted ?? 0;
          res.acceptedAll += json.accepted ?? 0;
          for (const m of batchMarkers) m.ackedAt = at;
        }
        if (!warm) res.httpMs.push(at - sentAt);
      })
      .catch(() => {
        res.httpErrors++;
      })
      .finally(() => {
        inflight--;
        pending.delete(p);
      });
    pending.add(p);
  }
  while (pending.size) await Promise.all([...pending]);
  res.elapsedMs = performance.now() - measureFrom;
  agent.destroy();
  return res;
}

/** Runs the load generator in a worker thread (off the bench's event loop). */
export function runLoadgen(cfg: LoadgenConfig): Promise<LoadgenResult> {
  const w = startWorker(new URL(import.meta.url), { role: 'loadgen', cfg });
  return new Promise((resolve, reject) => {
    w.once('error', reject);
    w.once('message', (m: LoadgenResult) => {
      resolve(m);
      void w.terminate();
    });
  });
}

// ------------------------------------------------------------------------ the measurement

export interface IngestToAlertResult {
  load: LoadgenResult;
  /** Latency of each marker after the warm-up whose alert arrived, ms. */
  latencies: number[];
  /** Markers after the warm-up (alerts expected). */
  expected: number;
  /**
   * Where the latency of those markers went, ms each: `ingest` = batch sent to its 202; `detect` = 202 to
   * the alert's `updatedAt` (the server's clock as alert intake began: the wait in the event stream and
   * evaluation; negative when the 202 reached the sender after that); `live` = `updatedAt` to the alert
   * on the stream (the intake transaction, then the live update's way). The server runs on this
   * machine's clock.
   */
  stages: { ingest: number[]; detect: number[]; live: number[] };
  /** The worst latency per second of the run, from the start of the warm-up (ms). */
  worstPerSecond: number[];
}

/** An alert naming a marker account, as the stream reader saw it: when (absolute ms) and the server's updatedAt. */
interface Receipt {
  account: string;
  at: number;
  written: number;
}

/**
 * Reads `url` (an admin's /api/v1/stream) on a worker thread of its own, as a console on another
 * machine would: off the event loop of a server running in this process (bench:detect), so that
 * neither delays the other. Posts each alert's marker accounts as it arrives; `ready` once connected.
 */
function startStreamReader(url: string, headers: Record<string, string>) {
  const w = startWorker(new URL(import.meta.url), { role: 'stream', url, headers });
  const receipts: Receipt[] = [];
  const ready = new Promise<void>((resolve, reject) => {
    w.once('error', reject);
    w.on('message', (m: 'ready' | Receipt[]) => {
      if (m === 'ready') resolve();
      else for (const r of m) receipts.push(r);
    });
  });
  return { ready, receipts, close: () => void w.terminate() };
}

async function streamReader(url: string, headers: Record<string, string>, port: MessagePort): Promise<void> {
  const { openSse } = await import('../test/helpers/sse.js');
  const stream = await openSse(url, headers);
  port.postMessage('ready');
  for (;;) {
    await stream.next(() => true, 3_600_000);
    const out: Receipt[] = [];
    for (const m of stream.messages) {
      if (m.event !== 'alert.raised' && m.event !== 'alert.updated') continue;
      const alert = (m.data as { alert?: { updatedAt?: string; entities?: { accounts?: string[] } } }).alert;
      const written = Date.parse(alert?.updatedAt ?? '');
      for (const account of alert?.entities?.accounts ?? [])
        if (account.startsWith('bm-')) out.push({ account, at: performance.timeOrigin + m.receivedAt, written });
    }
    stream.messages.length = 0;
    if (out.length) port.postMessage(out);
  }
}

/**
 * Offers 10,000 events/s (100 every 10 ms; `perBatch`) to `url` for `warmupS` + `seconds`, then waits up to
 * `settleMs` for the alerts still on their way on `stream` (an admin's /api/v1/stream, read on a worker
 * thread: startStreamReader).
 */
export async function measureIngestToAlert(opts: {
  url: string;
  token: string;
  /** The stream to read the alerts from, and the headers that sign in to it (an admin's session cookie). */
  stream: { url: string; headers: Record<string, string> };
  seconds: number;
  warmupS: number;
  seed: number;
  /** Events per 10 ms (default 100: 10,000 events/s). */
  perBatch?: number;
  settleMs?: number;
}): Promise<IngestToAlertResult> {
  const reader = startStreamReader(opts.stream.url, opts.stream.headers);
  try {
    await reader.ready;
    return await measureWith(opts, reader.receipts);
  } finally {
    reader.close();
  }
}

async function measureWith(
  opts: Parameters<typeof measureIngestToAlert>[0],
  receipts: Receipt[],
): Promise<IngestToAlertResult> {
  const load = await runLoadgen({
    url: opts.url,
    token: opts.token,
    seconds: opts.seconds,
    warmupS: opts.warmupS,
    perBatch: opts.perBatch ?? 100,
    intervalMs: 10,
    matchEvery: 1000,
    runId: Date.now().toString(36),
    seed: opts.seed,
    maxInflight: 500,
  });
  /** Per marker account: the alert on the stream (absolute ms) and the server's updatedAt. */
  const received = new Map<string, { at: number; written: number }>();
  const collect = () => {
    for (const r of receipts) if (!received.has(r.account)) received.set(r.account, { at: r.at, written: r.written });
    receipts.length = 0;
  };
  const deadline = performance.now() + (opts.settleMs ?? 10_000);
  for (collect(); received.size < load.markers.length && performance.now() < deadline; collect()) await sleep(100);
  const measured = load.markers.filter((m) => !m.warm && received.has(m.user));
  const latencies = measured.map((m) => received.get(m.user)!.at - m.sentAt);
  const stages: IngestToAlertResult['stages'] = { ingest: [], detect: [], live: [] };
  for (const m of measured) {
    const r = received.get(m.user)!;
    if (m.ackedAt === null || !Number.isFinite(r.written)) continue;
    stages.ingest.push(m.ackedAt - m.sentAt);
    stages.detect.push(r.written - m.ackedAt);
    stages.live.push(r.at - r.written);
  }
  const worst: number[] = [];
  const first = load.markers[0]?.sentAt ?? 0;
  for (const m of load.markers) {
    const r = received.get(m.user);
    if (!r) continue;
    const s = Math.floor((m.sentAt - first) / 1000);
    worst[s] = Math.max(worst[s] ?? 0, r.at - m.sentAt);
  }
  return {
    load,
    latencies,
    expected: load.markers.filter((m) => !m.warm).length,
    stages,
    worstPerSecond: Array.from(worst, (x) => round(x ?? 0)),
  };
}

/** p50 and p99 of each stage, ms. */
export function stagePercentiles(
  stages: IngestToAlertResult['stages'],
): Record<string, [number | null, number | null]> {
  return Object.fromEntries(Object.entries(stages).map(([k, xs]) => [k, [pct(xs, 50), pct(xs, 99)]]));
}

// ---------------------------------------------------------------------------------- worker side

const data = workerData as {
  role?: string;
  cfg?: LoadgenConfig;
  url?: string;
  headers?: Record<string, string>;
} | null;
if (!isMainThread && data?.role === 'loadgen' && parentPort) {
  const port = parentPort;
  void loadgen(data.cfg!).then((r) => port.postMessage(r));
}
if (!isMainThread && data?.role === 'stream' && parentPort) void streamReader(data.url!, data.headers!, parentPort);
