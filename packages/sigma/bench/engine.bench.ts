/**
 * The engine's throughput: events a second through `engine.process` over a synthetic stream of Sysmon
 * process-creation events (evtx_dump JSON, flattened once before timing: what is timed is routing
 * through the log-source mapping, the prefilter, rule evaluation and correlations). One JSON line per
 * case on stdout, with the machine it ran on; progress on stderr.
 *
 * Cases (SIGMA_BENCH_CASES, comma-separated; default all):
 *   synthetic    N generated rules (SIGMA_BENCH_RULES, comma-separated counts, default 100,1000) in
 *                SigmaHQ's style: endswith / contains / contains|all / startswith / exact / re, on
 *                Image, CommandLine, ParentImage, OriginalFileName, User; `selection and not filter`
 *                and `1 of selection_*` conditions. A few use values the stream holds, so some match.
 *   correlation  the first count of synthetic rules plus 20 correlations (event_count, value_count,
 *                temporal) grouped by Computer or User over 5-minute windows.
 *   two_stage    (not by default) the correlation case split in two stages: `evaluate` per batch, the
 *                feeds through JSON, 4 correlators each fed its partition and told the batch's event time;
 *                stage one's and stage two's rates apart (CPU time), and whether the matches equal `process`'s.
 *   sigmahq      SigmaHQ's rules/windows/process_creation with its tests/thor.yml, 2% of the events
 *                copied from its regression data that match; needs the SigmaHQ repository
 *                (TOCSIN_SIGMA_DIR, default ../shared/sigma beside the project root), else a `skipped` line.
 * SIGMA_BENCH_EVENTS (default 100,000), SIGMA_BENCH_PASSES (timed passes, default 3, after one untimed
 * warm-up pass), SIGMA_BENCH_BATCH (events per process call, default 500), SIGMA_BENCH_SEED.
 * `events_per_s` is the median pass over wall time; `cpu_events_per_s` over this process's CPU time
 * (steadier on a busy machine).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  type CorrelationFeed,
  createCorrelator,
  createSigmaEngine,
  partitionOf,
  type DetectionEvent,
  parseMapping,
  parseMappingText,
  readRuleSources,
  type RuleSource,
  type SigmaEngine,
  toDetectionEvent,
} from '../src/index.js';
import { type Rng, rng } from './event-set.js';
import { regressionProcessCreation, sysmonEvents } from './sysmon-events.js';

const env = (name: string, fallback: string) => process.env[name] ?? fallback;
const CASES = new Set(env('SIGMA_BENCH_CASES', 'synthetic,correlation,sigmahq').split(','));
const RULE_COUNTS = env('SIGMA_BENCH_RULES', '100,1000').split(',').map(Number);
const EVENTS = Number(env('SIGMA_BENCH_EVENTS', '100000'));
const PASSES = Math.max(1, Number(env('SIGMA_BENCH_PASSES', '3')));
const BATCH = Math.max(1, Number(env('SIGMA_BENCH_BATCH', '500')));
const SEED = Number(env('SIGMA_BENCH_SEED', '20260105'));
const SIGMA = process.env.TOCSIN_SIGMA_DIR ?? fileURLToPath(new URL('../../../../shared/sigma', import.meta.url));

const MACHINE = {
  node: process.versions.node,
  cpu: os.cpus()[0]?.model ?? 'unknown',
  cores: os.availableParallelism(),
  platform: `${os.platform()} ${os.arch()}`,
};
const progress = (s: string) => process.stderr.write(`bench:sigma: ${s}\n`);

/** Sysmon EventID 1 as SigmaHQ's tests/thor.yml routes it (process_creation, service sysmon). */
const SYSMON_MAPPING = parseMapping({
  logsources: {
    process_creation_1: {
      category: 'process_creation',
      product: 'windows',
      conditions: { EventID: 1 },
      rewrite: { product: 'windows', service: 'sysmon' },
    },
    'windows-sysmon': {
      product: 'windows',
      service: 'sysmon',
      sources: ['WinEventLog:Microsoft-Windows-Sysmon/Operational'],
    },
  },
});

/** The stream: `EVENTS` generated events, parsed and flattened once. */
function eventsOf(matching: Record<string, unknown>[], plantedPct: number): DetectionEvent[] {
  const set = sysmonEvents({ n: EVENTS, seed: SEED, matching, plantedPct });
  const out: DetectionEvent[] = [];
  for (let i = 0; i < set.starts.length; i++) {
    const value: unknown = JSON.parse(set.buf.subarray(set.starts[i]!, set.ends[i]! + 1).toString('utf8'));
    const e = toDetectionEvent(value, `e${i}`, 'bench');
    if (e) out.push(e);
  }
  return out;
}

// ---------------------------------------------------------------- synthetic rules

const EXES = ['svchost', 'chrome', 'conhost', 'powershell', 'cmd', 'rundll32', 'regsvr32', 'mshta', 'wscript'];
/** Values the stream holds, so a few rules match. */
const REAL = {
  Image: ['\\svchost.exe', '\\conhost.exe', '\\hexin.exe', '\\TdxW.exe', '\\powershell.exe', '\\cmd.exe'],
  CommandLine: ['--type=renderer', 'rotate-logs.cmd', '-Embedding', 'SignaturesUpdateService', '/prefetch:'],
  ParentImage: ['\\services.exe', '\\explorer.exe', '\\Code.exe'],
};

const word = (r: Rng) => `${r.pick(['x', 'svc', 'up', 'tmp', 'inst', 'load'])}${r.hex(6).toLowerCase()}`;
const quote = (s: string) => `'${s.replace(/'/g, "''")}'`;

/** One detection rule in SigmaHQ's style, deterministic from `r`. */
function syntheticRule(r: Rng, i: number): string {
  const real = r.next() < 0.03;
  const lines: string[] = [];
  const kind = r.int(100);
  if (kind < 35) {
    const vals = real ? [r.pick(REAL.Image)] : [`\\${word(r)}.exe`, `\\${r.pick(EXES)}${r.int(99)}.exe`];
    lines.push('  selection:', '    Image|endswith:', ...vals.map((v) => `      - ${quote(v)}`));
  } else if (kind < 60) {
    const vals = real ? [r.pick(REAL.CommandLine)] : [` -${word(r)} `, `${word(r)}.dll,`, `/${word(r)}`];
    lines.push('  selection:', '    CommandLine|contains:', ...vals.map((v) => `      - ${quote(v)}`));
  } else if (kind < 70) {
    lines.push(
      '  selection:',
      `    Image|endswith: ${quote(`\\${r.pick(EXES)}.exe`)}`,
      '    CommandLine|contains|all:',
      `      - ${quote(` -${word(r)}`)}`,
      `      - ${quote(`${word(r)}`)}`,
    );
  } else if (kind < 78) {
    lines.push(
      '  selection_img:',
      `    OriginalFileName: ${quote(`${word(r)}.exe`)}`,
      '  selection_parent:',
      `    ParentImage|endswith: ${quote(real ? r.pick(REAL.ParentImage) : `\\${word(r)}.exe`)}`,
      `    CommandLine|startswith: ${quote(`"C:\\${word(r)}`)}`,
    );
  } else if (kind < 88) {
    lines.push(
      '  selection:',
      `    ParentImage|endswith: ${quote(real ? r.pick(REAL.ParentImage) : `\\${word(r)}.exe`)}`,
      `    Image|endswith: ${quote(`\\${r.pick(EXES)}.exe`)}`,
      '  filter:',
      `    User|contains: ${quote(r.pick(['AUTHORI', 'SYSTEM', 'CORP\\u0']))}`,
    );
  } else if (kind < 95) {
    lines.push('  selection:', `    CommandLine|re|i: ${quote(`\\s-${word(r)}\\s+[a-z0-9]{8,}`)}`);
  } else {
    lines.push('  selection:', `    Image: ${quote(`C:\\Windows\\System32\\${word(r)}.exe`)}`);
  }
  const names = lines.filter((l) => /^ {2}\w+:$/.test(l)).map((l) => l.trim().slice(0, -1));
  const condition = names.includes('filter')
    ? 'selection and not filter'
    : names.length > 1
      ? '1 of selection_*'
      : 'selection';
  return [
    `title: Synthetic rule ${i}`,
    `id: 00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
    'status: test',
    'logsource:',
    '  category: process_creation',
    '  product: windows',
    'detection:',
    ...lines,
    `  condition: ${condition}`,
    `level: ${r.pick(['low', 'medium', 'high'])}`,
  ].join('\n');
}

function syntheticRules(n: number): RuleSource[] {
  const r = rng(SEED + n);
  return Array.from({ length: n }, (_, i) => ({ file: `synthetic-${i}.yml`, text: syntheticRule(r, i) }));
}

/** 20 correlations over rules that match the stream, grouped by Computer or User, 5-minute windows. */
function correlationRules(): RuleSource[] {
  const base = [
    "title: svchost\nname: bench_svchost\nlogsource: {category: process_creation, product: windows}\ndetection:\n  sel: {Image|endswith: '\\svchost.exe'}\n  condition: sel",
    "title: renderer\nname: bench_renderer\nlogsource: {category: process_creation, product: windows}\ndetection:\n  sel: {CommandLine|contains: '--type=renderer'}\n  condition: sel",
  ];
  const corr: string[] = [];
  for (let i = 0; i < 20; i++) {
    const by = i % 2 ? 'Computer' : 'User';
    const body =
      i % 3 === 0
        ? `type: event_count\nrules: [bench_svchost]\ngroup-by: [${by}]\ntimespan: 5m\ncondition: {gte: ${50 + i}}`
        : i % 3 === 1
          ? `type: value_count\nrules: [bench_renderer]\ngroup-by: [${by}]\ntimespan: 5m\ncondition: {field: ParentImage, gte: ${2 + (i % 4)}}`
          : `type: temporal\nrules: [bench_svchost, bench_renderer]\ngroup-by: [${by}]\ntimespan: 5m`;
    corr.push(
      `title: correlation ${i}\nid: 00000000-0000-4000-9000-${String(i).padStart(12, '0')}\ncorrelation:\n${body.replace(/^/gm, '  ')}`,
    );
  }
  return [...base, ...corr].map((text, i) => ({ file: `correlation-${i}.yml`, text }));
}

// ---------------------------------------------------------------- measuring

function measure(name: string, rules: RuleSource[], compile: () => SigmaEngine, events: DetectionEvent[], extra = {}) {
  progress(`${name}: compiling ${rules.length} rule files`);
  let t = performance.now();
  const engine = compile();
  const compileMs = performance.now() - t;
  const pass = (e: SigmaEngine) => {
    let matches = 0;
    for (let i = 0; i < events.length; i += BATCH) matches += e.process(events.slice(i, i + BATCH)).length;
    return matches + e.flush().length;
  };
  progress(`${name}: ${events.length} events, 1 warm-up pass and ${PASSES} timed`);
  pass(engine);
  const rates: number[] = [];
  const cpuRates: number[] = [];
  let matches = 0;
  for (let p = 0; p < PASSES; p++) {
    const e = compile(); // fresh correlation state each pass
    t = performance.now();
    const c0 = process.cpuUsage();
    matches = pass(e);
    const c = process.cpuUsage(c0);
    rates.push(events.length / ((performance.now() - t) / 1000));
    cpuRates.push(events.length / ((c.user + c.system) / 1e6));
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;
  console.log(
    JSON.stringify({
      case: name,
      rules: engine.report.rules,
      correlations: engine.report.correlations,
      compile_errors: engine.report.errors.length,
      events: events.length,
      batch: BATCH,
      passes: PASSES,
      compile_ms: Math.round(compileMs),
      matches,
      events_per_s: Math.round(median(rates)),
      cpu_events_per_s: Math.round(median(cpuRates)),
      us_per_event: Number((1e6 / median(cpuRates)).toFixed(2)),
      ...extra,
      machine: MACHINE,
    }),
  );
}

/** The two stages over `events`: stage one's and stage two's CPU time apart, and the matches (sorted, comparable). */
function twoStages(rules: RuleSource[], events: DetectionEvent[], partitions: number) {
  const options = { rules, mapping: SYSMON_MAPPING };
  const stageOne = createSigmaEngine(options);
  const correlators = Array.from({ length: partitions }, () => createCorrelator(options));
  const cpu = () => {
    const c = process.cpuUsage();
    return (c.user + c.system) / 1e6;
  };
  let one = 0;
  let two = 0;
  let json = 0;
  let feeds = 0;
  const matches: string[] = [];
  const seen = (m: { ruleId: string; group?: unknown; events: { id: string }[]; time: number }) =>
    `${m.ruleId} ${JSON.stringify(m.group ?? null)} ${m.events.map((e) => e.id).join(',')} ${m.time}`;
  for (let i = 0; i < events.length; i += BATCH) {
    let t = cpu();
    const r = stageOne.evaluate(events.slice(i, i + BATCH));
    const t1 = cpu();
    one += t1 - t;
    const wire = JSON.stringify(r.feeds);
    json += cpu() - t1;
    t = cpu();
    const parts = correlators.map((): CorrelationFeed[] => []);
    for (const f of JSON.parse(wire) as CorrelationFeed[]) parts[partitionOf(f.key, partitions)]!.push(f);
    for (let p = 0; p < partitions; p++) {
      for (const m of correlators[p]!.feed(parts[p]!)) matches.push(seen(m));
      for (const m of correlators[p]!.advance(r.maxTime)) matches.push(seen(m));
    }
    two += cpu() - t;
    feeds += r.feeds.length;
    for (const m of r.matches) matches.push(seen(m));
  }
  for (const c of correlators) for (const m of c.flush()) matches.push(seen(m));
  return { one, two, json, feeds, matches: matches.sort() };
}

const needSynthetic = CASES.has('synthetic') || CASES.has('correlation') || CASES.has('two_stage');
const synthetic = needSynthetic ? eventsOf([], 0) : [];
if (CASES.has('synthetic'))
  for (const n of RULE_COUNTS) {
    const rules = syntheticRules(n);
    measure(`synthetic_${n}`, rules, () => createSigmaEngine({ rules, mapping: SYSMON_MAPPING }), synthetic);
  }
if (CASES.has('correlation')) {
  const rules = [...syntheticRules(RULE_COUNTS[0]!), ...correlationRules()];
  measure('correlation', rules, () => createSigmaEngine({ rules, mapping: SYSMON_MAPPING }), synthetic);
}
if (CASES.has('two_stage')) {
  const rules = [...syntheticRules(RULE_COUNTS[0]!), ...correlationRules()];
  progress(`two_stage: ${synthetic.length} events, ${PASSES} passes`);
  const reference = createSigmaEngine({ rules, mapping: SYSMON_MAPPING });
  const expected: string[] = [];
  for (let i = 0; i < synthetic.length; i += BATCH)
    for (const m of reference.process(synthetic.slice(i, i + BATCH)))
      expected.push(`${m.ruleId} ${JSON.stringify(m.group ?? null)} ${m.events.map((e) => e.id).join(',')} ${m.time}`);
  for (const m of reference.flush())
    expected.push(`${m.ruleId} ${JSON.stringify(m.group ?? null)} ${m.events.map((e) => e.id).join(',')} ${m.time}`);
  expected.sort();
  const runs = Array.from({ length: PASSES }, () => twoStages(rules, synthetic, 4));
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;
  const last = runs[runs.length - 1]!;
  console.log(
    JSON.stringify({
      case: 'two_stage',
      partitions: 4,
      events: synthetic.length,
      batch: BATCH,
      passes: PASSES,
      feeds: last.feeds,
      matches: last.matches.length,
      same_as_process: last.matches.length === expected.length && last.matches.every((m, i) => m === expected[i]),
      stage_one_cpu_events_per_s: Math.round(synthetic.length / median(runs.map((r) => r.one))),
      stage_two_cpu_feeds_per_s: Math.round(last.feeds / median(runs.map((r) => r.two))),
      json_stringify_cpu_feeds_per_s: Math.round(last.feeds / median(runs.map((r) => r.json))),
      machine: MACHINE,
    }),
  );
}
if (CASES.has('sigmahq')) {
  const dir = path.join(SIGMA, 'rules/windows/process_creation');
  const thor = path.join(SIGMA, 'tests/thor.yml');
  if (!fs.existsSync(dir) || !fs.existsSync(thor))
    console.log(
      JSON.stringify({ case: 'sigmahq', skipped: `no SigmaHQ repository at ${SIGMA} (set TOCSIN_SIGMA_DIR)` }),
    );
  else {
    const { sources } = readRuleSources([dir]);
    const mapping = parseMappingText(fs.readFileSync(thor, 'utf8'));
    const probe = createSigmaEngine({ rules: sources, mapping });
    const regression = (
      await regressionProcessCreation(path.join(SIGMA, 'regression_data/rules/windows/process_creation'))
    ).filter((v, i) => {
      const e = toDetectionEvent(v, `r${i}`, 'bench');
      return e !== undefined && probe.process([e]).length > 0;
    });
    measure('sigmahq', sources, () => createSigmaEngine({ rules: sources, mapping }), eventsOf(regression, 2), {
      planted_pct: 2,
    });
  }
}
