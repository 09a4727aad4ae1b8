/**
 * bench:reports — issue 16, "Speed": one JSON line per case. Cases are chosen with BENCH_CASES (a comma
 * list; default: every case), each a function returning its line:
 *   vuln_import  a Nessus file of BENCH_VULN_MB MB (default 500) imported on SQLite (bench/vuln-import.ts)
 *
 *   npm run bench:reports
 *   BENCH_CASES=vuln_import BENCH_VULN_MB=50 npm run bench:reports
 */
import { benchVulnImport } from './vuln-import.js';

const CASES: Record<string, () => Promise<Record<string, unknown>>> = {
  vuln_import: benchVulnImport,
};

const wanted = (process.env.BENCH_CASES ?? Object.keys(CASES).join(','))
  .split(',')
  .map((c) => c.trim())
  .filter(Boolean);
for (const name of wanted) {
  const run = CASES[name];
  if (!run) throw new Error(`unknown case ${name}: one of ${Object.keys(CASES).join(', ')}`);
  process.stdout.write(`${JSON.stringify(await run())}\n`);
}
