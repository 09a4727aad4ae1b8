/**
 * bench:reports — issue 16, "Speed": one JSON line per case. Cases are chosen with BENCH_CASES (a comma
 * list; default: every case), each a function returning its line:
 *   vuln_import  a Nessus file of BENCH_VULN_MB MB (default 500) imported on SQLite (bench/vuln-import.ts)
 *   metrics      one KPI snapshot of a year over BENCH_KPI_INCIDENTS incidents (default 100,000) and
 *                BENCH_KPI_TIMELINE timeline entries (default 1,000,000), one line per store (bench/kpi-metrics.ts)
 *
 *   npm run bench:reports
 *   BENCH_CASES=vuln_import BENCH_VULN_MB=50 npm run bench:reports
 *   BENCH_CASES=metrics BENCH_KPI_INCIDENTS=2000 BENCH_KPI_TIMELINE=20000 npm run bench:reports
 */
import { benchMetrics } from './kpi-metrics.js';
import { benchVulnImport } from './vuln-import.js';

type Line = Record<string, unknown>;
const CASES: Record<string, () => Promise<Line | Line[]>> = {
  vuln_import: benchVulnImport,
  metrics: benchMetrics,
};

const wanted = (process.env.BENCH_CASES ?? Object.keys(CASES).join(','))
  .split(',')
  .map((c) => c.trim())
  .filter(Boolean);
for (const name of wanted) {
  const run = CASES[name];
  if (!run) throw new Error(`unknown case ${name}: one of ${Object.keys(CASES).join(', ')}`);
  const out = await run();
  for (const line of Array.isArray(out) ? out : [out]) process.stdout.write(`${JSON.stringify(line)}\n`);
}
