/**
 * Profiling driver for the engine (not part of `npm run bench`): compiles the SigmaHQ
 * windows/process_creation rules, generates the benchmark's Sysmon events, parses them once, then
 * times `engine.process` alone over them (PROFILE_PASSES passes). Run from packages/sigma with
 * `node --cpu-prof --import tsx bench/profile.ts` to profile the engine without the parse work.
 * The SigmaHQ repository is read from TOCSIN_SIGMA_DIR (default ../shared/sigma beside the project).
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  createSigmaEngine,
  type DetectionEvent,
  parseMappingText,
  readRuleSources,
  toDetectionEvent,
} from '../src/index.js';
import { regressionProcessCreation, sysmonEvents } from './sysmon-events.js';

const SIGMA =
  process.env.TOCSIN_SIGMA_DIR ??
  process.env.BENCH_SIGMA_DIR ??
  fileURLToPath(new URL('../../../../shared/sigma', import.meta.url));
const N = Number(process.env.BENCH_EVENTS ?? 30_000);
const PASSES = Number(process.env.PROFILE_PASSES ?? 5);
const { sources } = readRuleSources([path.join(SIGMA, 'rules/windows/process_creation')]);
const mapping = parseMappingText(fs.readFileSync(path.join(SIGMA, 'tests/thor.yml'), 'utf8'));
let t = performance.now();
const engine = createSigmaEngine({ rules: sources, mapping });
const compileMs = performance.now() - t;
const parse = (v: unknown, i: number) => toDetectionEvent(v, String(i), 'api')!;
const regression = (
  await regressionProcessCreation(path.join(SIGMA, 'regression_data/rules/windows/process_creation'))
).filter((v, i) => engine.process([parse(v, i)]).length > 0);
const set = sysmonEvents({
  n: N,
  seed: Number(process.env.BENCH_SEED ?? 20260105),
  matching: regression,
  plantedPct: 2,
});
const events: DetectionEvent[] = [];
for (let i = 0; i < set.starts.length; i++)
  events.push(parse(JSON.parse(set.buf.subarray(set.starts[i]!, set.ends[i]! + 1).toString('utf8')), i));
// Wall-clock rates, and rates over this process's CPU time (steadier on a shared, busy machine).
const rates: number[] = [];
const cpuRates: number[] = [];
let matches = 0;
for (let p = 0; p < PASSES; p++) {
  t = performance.now();
  const c0 = process.cpuUsage();
  matches = 0;
  for (let i = 0; i < events.length; i += 500) matches += engine.process(events.slice(i, i + 500)).length;
  const c = process.cpuUsage(c0);
  rates.push(events.length / ((performance.now() - t) / 1000));
  cpuRates.push(events.length / ((c.user + c.system) / 1e6));
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;
console.log(
  JSON.stringify({
    rules: engine.report.rules,
    events: events.length,
    compile_ms: Math.round(compileMs),
    matches,
    engine_events_per_s: rates.map(Math.round),
    median: Math.round(median(rates)),
    cpu_median: Math.round(median(cpuRates)),
    cpu_best: Math.round(Math.max(...cpuRates)),
    cpu_us_per_event: Number((1e6 / median(cpuRates)).toFixed(2)),
  }),
);
