/**
 * bench:compensation — issue 14, "Speed": `outage-price-diff` over 10 M orders of 1 M customers, timed
 * as `tocsin compensation assess` runs it: from the CSV files to the per-customer JSON lines (written
 * to /dev/null). JSON lines on stdout (progress on stderr):
 *   {"case":"assess","orders","customers","affected_customers","affected_orders","elapsed_s","per_s",
 *    "prices_s","orders_s","results_s","parse_share"}
 *   - max_rss_mb: the process's peak resident memory so far.
 *   - prices_s: reading the prices file and building the index; orders_s: reading, checking and
 *     assessing the orders; results_s: rounding, deciding, sorting and writing the customers' lines.
 *   {"case":"csv_parse_only","rows","scanner_s","csv_parse_s"}: the first 1 M rows of the orders file
 *     split into fields by the engine's scanner (field boundaries, as the engine reads orders) and by
 *     csv-parse (field strings), nothing else done with them: why the scanner; split_share: the
 *     scanner's time scaled to the whole file as a share of elapsed_s (the rest: reading numbers,
 *     times and securities from the fields, assessing, the results).
 * Target < 30 s, goal 10 s (target and goal for elapsed_s at the full size).
 *
 *   npm run bench:compensation      BENCH_ORDERS=1000000 BENCH_CUSTOMERS=100000 to scale it down
 * Data: compensation-data.ts, cached under .tmp/bench-compensation/.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'csv-parse';
import {
  assessOutagePriceDiffCsv,
  customerLine,
  NO_POLICY,
  outageWindow,
  readCsv,
  summaryLine,
} from '../src/server/modules/compensation/index.js';
import { benchFiles, OUTAGE } from './compensation-data.js';

const ROOT = path.resolve(fileURLToPath(new URL('..', import.meta.url)));
const num = (name: string, dflt: number) => {
  const v = process.env[name];
  if (v === undefined) return dflt;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw new Error(`${name} wants a positive whole number, not ${v}`);
  return n;
};
const ORDERS = num('BENCH_ORDERS', 10_000_000);
const CUSTOMERS = num('BENCH_CUSTOMERS', 1_000_000);
const log = (m: string) => process.stderr.write(`[bench:compensation] ${m}\n`);

const files = benchFiles(path.join(ROOT, '.tmp/bench-compensation'), ORDERS, CUSTOMERS, log);
const window = outageWindow(OUTAGE.start, OUTAGE.end);
if (typeof window === 'string') throw new Error(window);

log('assessing');
const out = fs.openSync('/dev/null', 'w');
let problems = 0;
const t0 = performance.now();
const { customers, summary, timings } = await assessOutagePriceDiffCsv({
  orders: files.orders,
  prices: files.prices,
  ...window,
  policy: { ...NO_POLICY, capFen: 1_000_000n },
  onProblem: () => void problems++,
});
const t1 = performance.now();
let buf = '';
for (const c of customers) {
  buf += `${customerLine(c, 'outage-price-diff')}\n`;
  if (buf.length > 1 << 16) {
    fs.writeSync(out, buf);
    buf = '';
  }
}
fs.writeSync(out, `${buf}${summaryLine(summary)}\n`);
const t2 = performance.now();
fs.closeSync(out);
const elapsed = (t2 - t0) / 1000;
console.log(
  JSON.stringify({
    case: 'assess',
    orders: ORDERS,
    customers: CUSTOMERS,
    affected_customers: summary.customers,
    affected_orders: summary.affectedOrders,
    skipped: problems,
    elapsed_s: +elapsed.toFixed(2),
    per_s: Math.round(ORDERS / elapsed),
    prices_s: +timings.prices_s.toFixed(2),
    orders_s: +timings.orders_s.toFixed(2),
    results_s: +((t2 - t1) / 1000).toFixed(2),
    max_rss_mb: Math.round(process.resourceUsage().maxRSS / 1024),
  }),
);

// Field splitting alone, scanner vs csv-parse, on the first 1 M rows of the orders file.
const SAMPLE = Math.min(ORDERS, 1_000_000);
const sample = path.join(path.dirname(files.orders), `sample-${SAMPLE}.csv`);
if (!fs.existsSync(sample)) {
  const fd = fs.openSync(files.orders, 'r');
  const head = Buffer.alloc(Math.min(fs.fstatSync(fd).size, (SAMPLE + 1) * 200));
  fs.readSync(fd, head, 0, head.length, 0);
  fs.closeSync(fd);
  let at = -1;
  for (let i = 0; i <= SAMPLE; i++) {
    const next = head.indexOf(10, at + 1);
    if (next < 0) break;
    at = next;
  }
  fs.writeFileSync(sample, head.subarray(0, at + 1));
}
const s0 = performance.now();
let rows = 0;
await readCsv(sample, {
  name: sample,
  columns: ['order_id', 'customer', 'account', 'security', 'side', 'quantity', 'price', 'time', 'status'],
  onRow: () => void rows++,
  onBytes: () => void rows++,
  onBad: () => {},
});
const s1 = performance.now();
for await (const _ of fs.createReadStream(sample).pipe(parse({ bom: true, from_line: 2 }))) void _;
const s2 = performance.now();
console.log(
  JSON.stringify({
    case: 'csv_parse_only',
    rows,
    scanner_s: +((s1 - s0) / 1000).toFixed(2),
    csv_parse_s: +((s2 - s1) / 1000).toFixed(2),
    // The scanner's time scaled to the whole orders file, as a share of the assessment's.
    split_share: +((((s1 - s0) / 1000) * (ORDERS / rows)) / elapsed).toFixed(2),
  }),
);
