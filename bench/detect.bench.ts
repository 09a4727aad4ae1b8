/**
 * bench:detect — detection speed (issue 3, "Speed"). Prints one JSON line per case and thread count
 * on stdout; progress goes to stderr.
 *
 * Throughput cases (`one_rule`, `own_rules`, `sigma_process_creation`): the same NDJSON events are
 * run twice through what ingest does — ingest's `recordsOf` (UTF-8, depth, JSON.parse) and
 * normalisation to DetectionEvents — once only that (the baseline), once followed by the engine
 * (64 events at a time, as they are parsed: detect-worker.ts).
 * `throughput_ratio` = events_per_s / baseline_events_per_s at the same thread count. This thread
 * sends batches of 500 lines (bytes, transferred) to worker threads that each compiled the rules
 * themselves: `threads: 1` feeds one of them, `threads: 2` both (the same code path, so the two lines
 * differ only in parallelism). After an untimed warm-up on 10% of the batches, baseline and detection
 * alternate over ten slices of the events (so a slow spell of the VM costs both alike) — and for rules
 * without cross-event state (one_rule, sigma_process_creation) so do 1 and 2 threads, slice by slice, so
 * the 2-thread / 1-thread ratio is not a comparison of two different minutes of the VM —, BENCH_REPEAT
 * passes (default 1). A run's bytes are copied out for the transfer before its clock starts, and its
 * last batches for any worker go to an idle one (detect-worker.ts's Pool.run). Events are generated from
 * BENCH_SEED. `cores` is the process's CPU time over the run's wall time (engines, this thread, the GC's
 * helpers); `engine_busy` the engine threads' wall time on batches over it (2 = both always at work: the
 * rest is waiting for a batch, at a run's start and end).
 *   one_rule, sigma_process_creation: Sysmon EventID 1 in evtx_dump JSON (normalised with
 *     toDetectionEvent, as `tocsin detect` does), mostly ordinary programs, BENCH_PLANT_PCT (default 2)
 *     percent copied from ../shared/sigma/regression_data events that match; the bundled
 *     rules/mappings/windows-thor.yml. Each batch goes to whichever worker is free first (these rules
 *     keep no state across events, so any worker may take any batch). Before timing, the
 *     matches of the first BENCH_CHECK_EVENTS (5,000) events are compared with the unoptimised path's
 *     (prefilter off, batches parsed whole): `matches_equal_unoptimised` on the process_creation lines.
 *   own_rules: rules/tocsin (or BENCH_OWN_RULES_DIR); events in the log sources those rules name,
 *     copied from the rules' test events (positive ones BENCH_PLANT_PCT percent of all) or synthesized
 *     (see ownEvents), normalised with ingest's normalizeEvent. Two threads get the events partitioned
 *     so every correlation still sees all of its events: log sources tied together by a correlation
 *     go to the same worker, split by a hash of a field all their correlations group by when there is
 *     one (the `note` of the threads: 2 line lists the partition; its matches equal threads: 1's).
 * ingest_to_alert: a real server with one rule matching 1 in 1,000 events; a worker thread offers
 *   10,000 events/s (100 every 10 ms) to POST /api/v1/events for BENCH_INGEST_S (default 20) seconds;
 *   latency = from sending a marker event's batch to its alert (alert.raised/updated) on an admin's
 *   stream; the first 2 s (warm-up) are not counted (ingest-to-alert.ts, shared with bench:cluster).
 * memory: the process_creation rules plus correlation rules (SOAK_CORRELATIONS, all grouped by
 *   Computer, events partitioned on it) in two workers, flat out for BENCH_SOAK_S (default 60; 600 for
 *   the 10-minute run), the Sysmon events over and over with event time 1 ms apart so windows slide.
 *   RSS of the whole process every 250 ms; eight times, the RSS, each worker's heap after a full GC
 *   (`worker_heap_after_gc_mb`, flat when state is bounded), its correlation groups, the engines'
 *   estimate of their state, and the sample events shed and groups evicted to keep it in budget.
 * BENCH_CASES=one_rule,own_rules,... runs some cases only; BENCH_EVENTS sets the events per case
 * (100,000); BENCH_VERBOSE=1 prints ingest_to_alert's worst latency per second to stderr.
 */
import fs from 'node:fs';
import path from 'node:path';
import v8 from 'node:v8';
import vm from 'node:vm';
import { fileURLToPath } from 'node:url';
import { startTestServer } from '../test/helpers/server.js';
import type { EventSet } from '../packages/sigma/bench/event-set.js';
import { regressionProcessCreation, sysmonEvents } from '../packages/sigma/bench/sysmon-events.js';
import { fnv1a, inspectOwnRules, ownEvents } from './detect-data.js';
import { markerRulesDir, measureIngestToAlert, pct, stagePercentiles } from './ingest-to-alert.js';
import { ANY, makeProcessor, Pool, type Plan, type ProcInit, type RunTotals, zeroTotals } from './detect-worker.js';

const ROOT = path.resolve(fileURLToPath(new URL('..', import.meta.url)));
const SIGMA = process.env.BENCH_SIGMA_DIR ?? path.resolve(ROOT, '../shared/sigma');
const PROCESS_CREATION = path.join(SIGMA, 'rules/windows/process_creation');
const REGRESSION = path.join(SIGMA, 'regression_data/rules/windows/process_creation');
const OWN = process.env.BENCH_OWN_RULES_DIR ?? path.join(ROOT, 'rules/tocsin');
const MAPPING = path.join(ROOT, 'rules/mappings/windows-thor.yml');

const SEED = Number(process.env.BENCH_SEED ?? 20260105);
const EVENTS = Number(process.env.BENCH_EVENTS ?? 100_000);
const PLANT_PCT = Number(process.env.BENCH_PLANT_PCT ?? 2);
const SOAK_S = Number(process.env.BENCH_SOAK_S ?? 60);
const INGEST_S = Number(process.env.BENCH_INGEST_S ?? 20);
const INGEST_WARMUP_S = 2;
const BATCH = 500;
const WARM_BATCHES = 20;
/** Share of the batches run (untimed) before measuring, so every thread's code is optimised. */
const WARM_FRACTION = 0.1;
/** Passes over the events per measurement (figures are totals over all passes). */
const REPEAT = Math.max(1, Number(process.env.BENCH_REPEAT ?? 1));
/** Baseline and detection alternate over this many slices of the events. */
const SLICES = 10;
const TARGET_EVENTS_PER_S = 50_000;
const CASES = new Set(
  (process.env.BENCH_CASES ?? 'one_rule,own_rules,sigma_process_creation,ingest_to_alert,memory')
    .split(',')
    .map((s) => s.trim()),
);

const log = (msg: string) => process.stderr.write(`[bench:detect] ${msg}\n`);
const out = (o: Record<string, unknown>) => console.log(JSON.stringify({ bench: 'detect', ...o }));
const round = (x: number, d = 0) => Number(x.toFixed(d));
const mb = (bytes: number) => round(bytes / 1024 / 1024, 1);

// ------------------------------------------------------------------------------------ plans

/** Batches of BATCH consecutive lines, all on worker 0. */
function sequential(set: EventSet): Plan {
  const n = set.starts.length;
  const batches: Plan['batches'] = [];
  for (let i = 0; i < n; i += BATCH)
    batches.push({ start: set.starts[i]!, end: set.ends[Math.min(n, i + BATCH) - 1]! + 1, worker: 0 });
  return { buf: set.buf, batches };
}

/** The same batches, each taken by whichever worker is free first (`worker: ANY`). */
function shared(set: EventSet): Plan {
  const p = sequential(set);
  return { buf: p.buf, batches: p.batches.map((b) => ({ ...b, worker: ANY })) };
}

/**
 * Lines partitioned by their key (order kept within a worker), in batches of BATCH: `h:<value>` by a
 * stable hash of the value, `g:<group>` a whole group on one worker (largest groups first, each to
 * the worker with the fewest lines so far).
 */
function byKey(set: EventSet, workers: number): Plan {
  const keys = set.keys!;
  const load = new Array<number>(workers).fill(0);
  const groupSize = new Map<string, number>();
  for (const k of keys) {
    if (k.startsWith('g:')) groupSize.set(k, (groupSize.get(k) ?? 0) + 1);
    else load[fnv1a(k) % workers]!++;
  }
  const groupWorker = new Map<string, number>();
  for (const [g, n] of [...groupSize].sort((a, b) => b[1] - a[1])) {
    const w = load.indexOf(Math.min(...load));
    groupWorker.set(g, w);
    load[w]! += n;
  }
  const parts: Buffer[][] = Array.from({ length: workers }, () => []);
  for (let i = 0; i < keys.length; i++) {
    const k = keys[i]!;
    parts[groupWorker.get(k) ?? fnv1a(k) % workers]!.push(set.buf.subarray(set.starts[i]!, set.ends[i]! + 1));
  }
  const bufs: Buffer[] = [];
  const batches: Plan['batches'] = [];
  let at = 0;
  parts.forEach((lines, w) => {
    for (let i = 0; i < lines.length; i += BATCH) {
      const chunk = Buffer.concat(lines.slice(i, i + BATCH));
      bufs.push(chunk);
      batches.push({ start: at, end: at + chunk.length, worker: w });
      at += chunk.length;
    }
  });
  return { buf: Buffer.concat(bufs), batches };
}

/** The plan cut into `n` consecutive slices, each holding a share of every worker's batches. */
function slices(p: Plan, n: number): Plan[] {
  const per = new Map<number, Plan['batches']>();
  for (const b of p.batches) {
    if (!per.has(b.worker)) per.set(b.worker, []);
    per.get(b.worker)!.push(b);
  }
  return Array.from({ length: n }, (_, k) => ({
    buf: p.buf,
    batches: [...per.values()].flatMap((bs) =>
      bs.slice(Math.floor((k * bs.length) / n), Math.floor(((k + 1) * bs.length) / n)),
    ),
  })).filter((x) => x.batches.length);
}

/** The first `fraction` of each worker's batches (at least WARM_BATCHES in all). */
function warmPart(p: Plan, fraction: number): Plan {
  const per = new Map<number, number>();
  for (const b of p.batches) per.set(b.worker, (per.get(b.worker) ?? 0) + 1);
  const want = new Map(
    [...per].map(([w, n]) => [w, Math.min(n, Math.max(Math.ceil(n * fraction), Math.ceil(WARM_BATCHES / per.size)))]),
  );
  return {
    buf: p.buf,
    batches: p.batches.filter((b) => want.set(b.worker, want.get(b.worker)! - 1).get(b.worker)! >= 0),
  };
}
const perS = (t: RunTotals) => t.events / (t.ms / 1000);

// ------------------------------------------------------------------------------------ throughput

interface ThroughputCase {
  name: string;
  init: ProcInit;
  set: EventSet;
  partition: 'shared' | 'key';
  extra?: Record<string, unknown>;
  note2?: string;
}

function line(
  c: ThroughputCase,
  threads: number,
  ready: { rules: number; compileErrors: number; compileMs: number },
  base: RunTotals,
  det: RunTotals,
  note?: string,
): void {
  const eps = perS(det);
  const beps = perS(base);
  out({
    case: c.name,
    threads,
    rules: ready.rules,
    events: det.events,
    events_per_s: round(eps),
    baseline_events_per_s: round(beps),
    throughput_ratio: round(eps / beps, 3),
    cores: round(det.cpuMs / det.ms, 2),
    engine_busy: round(det.busyMs / det.ms, 2),
    baseline_cores: round(base.cpuMs / base.ms, 2),
    matches: det.matches,
    matched_events: det.matchedEvents,
    planted_events: c.set.planted,
    rejected: det.rejected,
    compile_errors: ready.compileErrors,
    compile_ms: round(ready.compileMs),
    ...(c.name === 'sigma_process_creation' ? { target_events_per_s: TARGET_EVENTS_PER_S } : {}),
    ...c.extra,
    ...(note ? { note } : {}),
  });
}

async function throughput(c: ThroughputCase): Promise<void> {
  log(`${c.name}: compiling in 2 workers`);
  const pool = await Pool.start(2, c.init);
  try {
    const ready = pool.ready[0]!;
    const one = sequential(c.set);
    const two = c.partition === 'key' ? byKey(c.set, 2) : shared(c.set);
    log(
      `${c.name}: ${ready.rules} rules, ${c.set.starts.length} events (${mb(c.set.buf.length)} MB NDJSON); warming up`,
    );
    for (const detect of [false, true]) {
      await pool.run(warmPart(one, WARM_FRACTION), detect);
      await pool.run(warmPart(two, WARM_FRACTION), detect);
    }
    // Baseline and detection alternate slice by slice, so a slow spell of this (shared, noisy) VM
    // costs both alike; detection sees the slices in order, as one run. With rules that keep no state
    // across events ('shared'), the thread counts alternate too (slice k with one thread, then with
    // two): the 2-thread / 1-thread ratio then compares the same minutes of the machine, not two runs
    // a few seconds apart. Correlations need each run's events in order in one epoch, so with them
    // ('key') one thread count runs whole, then the other.
    const measure = async (plans: Plan[]): Promise<[RunTotals, RunTotals][]> => {
      const totals = plans.map((): [RunTotals, RunTotals] => [zeroTotals(), zeroTotals()]);
      const cut = plans.map((p) => slices(p, SLICES));
      for (let r = 0; r < REPEAT; r++) {
        // Every pass starts from empty correlation state: what the warm-up, the other thread count or
        // the last pass left would otherwise be judged on this pass's first event, on whichever worker
        // held it (absence correlations such as market_data_feed_heartbeats_missing fire then).
        await pool.flush();
        const shifts = plans.map(() => pool.newEpoch());
        for (let k = 0; k < SLICES; k++)
          for (const [i, slice] of cut.entries()) {
            if (!slice[k]) continue;
            for (const [into, detect] of [
              [totals[i]![0], false],
              [totals[i]![1], true],
            ] as const) {
              const t = await pool.run(slice[k]!, detect, { shiftMs: shifts[i] });
              into.events += t.events;
              into.matches += t.matches;
              into.matchedEvents += t.matchedEvents;
              into.rejected += t.rejected;
              into.ms += t.ms;
              into.cpuMs += t.cpuMs;
              into.busyMs += t.busyMs;
              into.batches += t.batches;
            }
          }
      }
      // Per run, as printed: events and matches of one pass.
      for (const pair of totals)
        for (const t of pair)
          for (const k of ['events', 'matches', 'matchedEvents', 'rejected', 'batches'] as const) t[k] /= REPEAT;
      return totals;
    };
    if (c.partition === 'shared') {
      log(`${c.name}: threads 1 and 2 (${c.partition}), alternating slice by slice`);
      const [t1, t2] = await measure([one, two]);
      line(c, 1, ready, ...t1!);
      line(c, 2, ready, ...t2!, c.note2);
    } else {
      log(`${c.name}: threads 1`);
      line(c, 1, ready, ...(await measure([one]))[0]!);
      log(`${c.name}: threads 2 (${c.partition})`);
      line(c, 2, ready, ...(await measure([two]))[0]!, c.note2);
    }
  } finally {
    await pool.close();
  }
}

const ONE_RULE = `title: Bench - whoami run
id: 6a0d3c1e-5b0a-4a53-9d5e-0c9b7f3e2a11
status: test
logsource:
  product: windows
  category: process_creation
detection:
  selection:
    Image|endswith: '\\whoami.exe'
  condition: selection
level: medium
`;

/** Events checked against the unoptimised path (BENCH_CHECK_EVENTS). */
const CHECK_EVENTS = Number(process.env.BENCH_CHECK_EVENTS ?? 5_000);

/**
 * The Sysmon events of one_rule, sigma_process_creation and memory, how the process_creation case
 * compiles its rules, and whether the fast path's matches on the first CHECK_EVENTS events equal
 * the unoptimised path's (no prefilter, batches parsed whole): the same rules on the same events.
 */
async function sysmonSet(): Promise<{ set: EventSet; init: ProcInit | null; check: Record<string, unknown> }> {
  if (!fs.existsSync(PROCESS_CREATION)) {
    log(`${PROCESS_CREATION} is absent: Sysmon events are all synthetic`);
    return { set: sysmonEvents({ n: EVENTS, seed: SEED, matching: [], plantedPct: 0 }), init: null, check: {} };
  }
  const init: ProcInit = { kind: 'evtx', ruleDirs: [PROCESS_CREATION], inline: [], mappingFile: MAPPING };
  log('compiling windows/process_creation here (to pick regression events that match)');
  let found: string[] | null = null;
  const proc = makeProcessor(init, { onMatch: (i, rule) => found?.push(`${i}:${rule}`) });
  const regression = await regressionProcessCreation(REGRESSION);
  const matching = regression.filter((ev) => proc.run(Buffer.from(JSON.stringify(ev)), true).matchedEvents > 0);
  log(
    `${matching.length} of ${regression.length} regression events match; generating ${EVENTS} events (${PLANT_PCT}% of them copies)`,
  );
  const set = sysmonEvents({ n: EVENTS, seed: SEED, matching, plantedPct: PLANT_PCT });
  const n = Math.min(CHECK_EVENTS, set.starts.length);
  if (n === 0) return { set, init, check: {} };
  log(`checking the matches of the first ${n} events against the unoptimised path`);
  const plain: string[] = [];
  const reference = makeProcessor(init, {
    prefilter: false,
    chunk: Infinity,
    onMatch: (i, rule) => plain.push(`${i}:${rule}`),
  });
  const fast: string[] = [];
  for (let i = 0; i < n; i += BATCH) {
    const batch = set.buf.subarray(set.starts[i]!, set.ends[Math.min(n, i + BATCH) - 1]! + 1);
    found = [];
    proc.run(batch, true);
    fast.push(...found.map((m) => `${i}+${m}`));
    const before = plain.length;
    reference.run(batch, true);
    for (let k = before; k < plain.length; k++) plain[k] = `${i}+${plain[k]}`;
  }
  found = null;
  const equal = fast.length === plain.length && fast.every((m, k) => m === plain[k]);
  if (!equal) log(`MATCHES DIFFER from the unoptimised path: ${fast.length} against ${plain.length}`);
  return { set, init, check: { checked_events: n, checked_matches: plain.length, matches_equal_unoptimised: equal } };
}

async function ownRulesCase(): Promise<void> {
  const files = fs.existsSync(OWN)
    ? fs.readdirSync(OWN, { recursive: true }).filter((f) => /\.ya?ml$/i.test(String(f)))
    : [];
  if (!files.length) {
    for (const threads of [1, 2])
      out({
        case: 'own_rules',
        threads,
        rules: 0,
        events: 0,
        events_per_s: null,
        baseline_events_per_s: null,
        throughput_ratio: null,
        note: `no rule files in ${path.relative(ROOT, OWN) || OWN} yet`,
      });
    return;
  }
  const info = await inspectOwnRules(OWN);
  const set = ownEvents(info, { n: EVENTS, seed: SEED + 1, plantedPct: PLANT_PCT });
  const pinned = [...info.groups.values()].filter((g) => g.split === null);
  const hashed = [...info.groups.values()].filter((g) => g.split !== null && g.split !== '*');
  const note2 = [
    'partitioned so correlations see all their events: log sources tied by a correlation stay together',
    ...hashed.map((g) => `${g.sources.join('+')} hashed on ${g.split} (${g.why})`),
    ...pinned.map((g) => `${g.sources.join('+')} on one worker (${g.why})`),
  ].join('; ');
  log(
    `own_rules: ${info.detectionRules} rules and ${info.correlations} correlations in ${info.files} files, ${info.logsources.length} log sources; ${info.testEvents.length} test events`,
  );
  await throughput({
    name: 'own_rules',
    init: { kind: 'ingest', ruleDirs: [OWN], inline: [], mappingFile: MAPPING },
    set,
    partition: 'key',
    extra: { correlations: info.correlations, logsources: info.logsources.length, test_events: info.testEvents.length },
    note2,
  });
}

// ------------------------------------------------------------------------------------ ingest_to_alert

async function signIn(url: string, email: string, password: string): Promise<string> {
  const res = await fetch(`${url}/api/v1/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password }),
  });
  if (res.status !== 200) throw new Error(`sign-in answered ${res.status}`);
  await res.arrayBuffer();
  return res.headers.getSetCookie()[0]!.split(';')[0]!;
}

async function ingestToAlert(): Promise<void> {
  const rulesDir = markerRulesDir();
  log('ingest_to_alert: starting a server');
  // The server's default: the rule engine on a worker thread (BENCH_DETECTION_THREAD=main for the event loop).
  const thread = process.env.BENCH_DETECTION_THREAD ?? 'worker';
  const srv = await startTestServer({ env: { TOCSIN_RULES_DIRS: rulesDir, TOCSIN_DETECTION_THREAD: thread } });
  try {
    const s = srv.running.services;
    const admin = (await s.users.list(undefined, 10)).items[0]!;
    const token = (
      await s.tokens.create({ id: null, label: 'bench' }, admin.id, { name: 'bench-detect', scopes: ['events'] })
    ).token;
    const cookie = await signIn(srv.url, srv.adminEmail, srv.adminPassword);
    log(`ingest_to_alert: offering 10,000 events/s for ${INGEST_WARMUP_S} s (warm-up) + ${INGEST_S} s`);
    const r = await measureIngestToAlert({
      url: srv.url,
      token,
      stream: { url: `${srv.url}/api/v1/stream`, headers: { cookie } },
      seconds: INGEST_S,
      warmupS: INGEST_WARMUP_S,
      seed: SEED,
    });
    await s.detection.idle();
    const res = r.load;
    const lat = r.latencies;
    if (process.env.BENCH_VERBOSE)
      log(
        `ingest_to_alert: worst latency per second from the start of the warm-up (ms): ${r.worstPerSecond.join(' ')}`,
      );
    out({
      case: 'ingest_to_alert',
      store: 'sqlite',
      detection_thread: thread,
      rules: 1,
      events: res.sent,
      seconds: round(res.elapsedMs / 1000, 1),
      warmup_s: INGEST_WARMUP_S,
      offered_per_s: round(res.offered / INGEST_S),
      achieved_per_s: round(res.accepted / (res.elapsedMs / 1000)),
      alerts: lat.length,
      expected_alerts: r.expected,
      p50_ms: pct(lat, 50),
      p99_ms: pct(lat, 99),
      max_ms: pct(lat, 100),
      http_p50_ms: pct(res.httpMs, 50),
      http_p99_ms: pct(res.httpMs, 99),
      stages_ms: stagePercentiles(r.stages),
      skipped_events: res.skipped,
      http_errors: res.httpErrors,
      max_requests_in_flight: res.maxInflight,
      detection_dropped: s.detection.stats.dropped,
      target_p99_ms: 50,
    });
  } finally {
    await srv.stop();
    fs.rmSync(rulesDir, { recursive: true, force: true });
  }
}

// ------------------------------------------------------------------------------------ memory

/** Correlations over process creation, all grouped by Computer (so partitioning by Computer is exact). */
const SOAK_CORRELATIONS = `title: Bench soak - any program started
name: bench_soak_any_process
status: test
logsource: { product: windows, category: process_creation }
detection:
  selection:
    Image|endswith: '.exe'
  condition: selection
level: informational
---
title: Bench soak - shell started
name: bench_soak_shell
status: test
logsource: { product: windows, category: process_creation }
detection:
  selection:
    Image|endswith: ['\\cmd.exe', '\\powershell.exe', '\\git.exe']
  condition: selection
level: informational
---
title: Bench soak - process storm on a host
name: bench_soak_storm
correlation:
  type: event_count
  rules: [bench_soak_any_process]
  group-by: [Computer]
  timespan: 1m
  condition: { gte: 1000000 }
level: low
---
title: Bench soak - many programs per user on a host
name: bench_soak_programs
correlation:
  type: value_count
  rules: [bench_soak_any_process]
  group-by: [Computer, User]
  timespan: 2m
  condition: { field: Image, gte: 40 }
level: low
---
title: Bench soak - shell and another program on a host
name: bench_soak_shell_then
correlation:
  type: temporal_ordered
  rules: [bench_soak_shell, bench_soak_any_process]
  group-by: [Computer]
  timespan: 1m
level: low
---
title: Bench soak - unusual session numbers
name: bench_soak_sessions
correlation:
  type: value_avg
  rules: [bench_soak_any_process]
  group-by: [Computer]
  timespan: 2m
  condition: { field: TerminalSessionId, gt: 100 }
level: low
`;

async function memory(plan: Plan): Promise<void> {
  const hasSigma = fs.existsSync(PROCESS_CREATION);
  const init: ProcInit = {
    kind: 'evtx',
    ruleDirs: hasSigma ? [PROCESS_CREATION] : [],
    inline: [{ file: 'bench-soak-correlations.yml', text: SOAK_CORRELATIONS }],
    mappingFile: MAPPING,
    rewriteTime: true,
  };
  log(`memory: compiling in 2 workers; then ${SOAK_S} s flat out`);
  const pool = await Pool.start(2, init);
  try {
    // This thread's garbage (the rules it compiled to pick events, other cases' buffers) is not the engines' state.
    v8.setFlagsFromString('--expose-gc');
    (vm.runInNewContext('gc') as () => void)();
    const startRss = process.memoryUsage.rss();
    let peak = startRss;
    const t0 = performance.now();
    const deadline = t0 + SOAK_S * 1000;
    const rssTimer = setInterval(() => (peak = Math.max(peak, process.memoryUsage.rss())), 250);
    // Every eighth of the run: RSS, and each worker's heap after a full GC and its correlation groups.
    const samples: {
      s: number;
      rss: number;
      heap: number;
      groups: number;
      stateMb: number;
      shed: number;
      evicted: number;
    }[] = [];
    const sample = async () => {
      const st = await pool.state();
      const rss = process.memoryUsage.rss();
      const sum = (f: (x: (typeof st)[number]) => number) => st.reduce((a, x) => a + f(x), 0);
      samples.push({
        s: round((performance.now() - t0) / 1000),
        rss: mb(rss),
        heap: mb(sum((x) => x.heapAfterGc)),
        groups: sum((x) => x.groups),
        stateMb: mb(sum((x) => x.stateBytes)),
        shed: sum((x) => x.shed),
        evicted: sum((x) => x.evicted),
      });
      const x = samples.at(-1)!;
      log(
        `memory: ${x.s} s, rss ${x.rss} MB, worker heaps after GC ${x.heap} MB, ${x.groups} correlation groups (~${x.stateMb} MB by the engines' estimate; so far ${x.shed} sample events shed, ${x.evicted} groups evicted)`,
      );
    };
    let sampling = Promise.resolve();
    const sampleTimer = setInterval(() => (sampling = sampling.then(sample).catch(() => {})), (SOAK_S * 1000) / 8);
    let totals: RunTotals | null = null;
    let error: string | null = null;
    try {
      totals = await pool.run(plan, true, { untilMs: deadline });
    } catch (err) {
      error = (err as Error).message;
    }
    clearInterval(sampleTimer);
    clearInterval(rssTimer);
    await sampling;
    const endRss = process.memoryUsage.rss();
    if (!error) await sample();
    if (!totals) totals = { ...zeroTotals(), ms: performance.now() - t0 };
    out({
      case: 'memory',
      threads: 2,
      rules: pool.ready[0]!.rules,
      seconds: round(totals.ms / 1000, 1),
      events: totals.events,
      events_per_s: round(perS(totals)),
      matches: totals.matches,
      correlation_groups: samples.at(-1)?.groups ?? null,
      start_rss_mb: mb(startRss),
      peak_rss_mb: mb(Math.max(peak, endRss)),
      end_rss_mb: mb(endRss),
      worker_heap_after_gc_mb: samples.map((x) => x.heap),
      rss_mb_over_time: samples.map((x) => x.rss),
      correlation_groups_over_time: samples.map((x) => x.groups),
      correlation_state_mb_over_time: samples.map((x) => x.stateMb),
      shed_events: samples.at(-1)?.shed ?? null,
      evicted_groups: samples.at(-1)?.evicted ?? null,
      sample_s: samples.map((x) => x.s),
      ...(hasSigma ? {} : { note: `${PROCESS_CREATION} is absent: correlation rules only` }),
      ...(error ? { error } : {}),
    });
  } finally {
    await pool.close();
  }
}

// ------------------------------------------------------------------------------------ main

const started = performance.now();
const wantsSysmon = CASES.has('one_rule') || CASES.has('sigma_process_creation') || CASES.has('memory');
let sysmon = wantsSysmon ? await sysmonSet() : null;

if (CASES.has('one_rule') && sysmon) {
  await throughput({
    name: 'one_rule',
    init: {
      kind: 'evtx',
      ruleDirs: [],
      inline: [{ file: 'bench-one-rule.yml', text: ONE_RULE }],
      mappingFile: MAPPING,
    },
    set: sysmon.set,
    partition: 'shared',
  });
}
if (CASES.has('own_rules')) await ownRulesCase();
if (CASES.has('sigma_process_creation') && sysmon) {
  if (!sysmon.init) {
    for (const threads of [1, 2])
      out({
        case: 'sigma_process_creation',
        threads,
        rules: 0,
        events: 0,
        events_per_s: null,
        baseline_events_per_s: null,
        throughput_ratio: null,
        note: `${SIGMA} is absent: skipped`,
      });
  } else
    await throughput({
      name: 'sigma_process_creation',
      init: sysmon.init,
      set: sysmon.set,
      partition: 'shared',
      extra: sysmon.check,
    });
}
if (CASES.has('ingest_to_alert')) await ingestToAlert();
if (CASES.has('memory') && sysmon) {
  const plan = byKey(sysmon.set, 2);
  // The memory case comes last: the events it replays are in `plan`; let the others go.
  sysmon = null;
  await memory(plan);
}
log(`done in ${round((performance.now() - started) / 1000)} s`);
