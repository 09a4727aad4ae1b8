/**
 * The data of bench:compensation: an orders CSV and a prices CSV of one trading morning
 * (2026-03-02, 09:30-11:30 +08:00) with a market-data outage from 10:00 to 10:30, generated from a
 * fixed seed, so every run with the same sizes writes the same files (kept under .tmp/ and reused).
 *
 * 1,000 securities trade every 15 s (+ 0-14 s) with a price walk of 2 decimals (ETFs: 3); N orders of
 * M customers (uniformly), 60 % limit orders, quantities of 100-1,000 shares; inside the outage 80 %
 * of the orders are rejected or failed, outside 2 %.
 */
import fs from 'node:fs';
import path from 'node:path';

export const OUTAGE = { start: '2026-03-02T10:00:00+08:00', end: '2026-03-02T10:30:00+08:00' };
const DAY_START = Date.parse('2026-03-02T09:30:00+08:00');
const MORNING_MS = 2 * 3600_000;
const SECURITIES = 1000;

/** mulberry32: a small deterministic generator of 32-bit numbers. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  };
}

const code = (s: number) => (s < 700 ? `${600000 + s}.SH` : `${(s - 700 + 1).toString().padStart(6, '0')}.SZ`);
const decimalsOf = (s: number) => (s % 10 === 9 ? 3 : 2);

/** 2026-03-02T10:01:02.345+08:00 from epoch ms (the +08:00 wall clock). */
function iso(ms: number): string {
  const d = new Date(ms + 8 * 3600_000);
  return `${d.toISOString().slice(0, 23)}+08:00`;
}

function writeLines(file: string, header: string, fill: (push: (line: string) => void) => void): void {
  const fd = fs.openSync(`${file}.part`, 'w');
  let buf: string[] = [header];
  const push = (line: string) => {
    buf.push(line);
    if (buf.length >= 50_000) {
      fs.writeSync(fd, `${buf.join('\n')}\n`);
      buf = [];
    }
  };
  fill(push);
  if (buf.length) fs.writeSync(fd, `${buf.join('\n')}\n`);
  fs.closeSync(fd);
  fs.renameSync(`${file}.part`, file);
}

/** The orders and prices files for these sizes, generated when missing. */
export function benchFiles(
  cacheDir: string,
  orders: number,
  customers: number,
  log: (m: string) => void,
): { orders: string; prices: string } {
  const dir = path.join(cacheDir, `v1-${orders}-${customers}`);
  fs.mkdirSync(dir, { recursive: true });
  const files = { orders: path.join(dir, 'orders.csv'), prices: path.join(dir, 'prices.csv') };
  // Prices: a walk per security in ten-thousandths, written at its decimals.
  const last = new Float64Array(SECURITIES);
  if (!fs.existsSync(files.prices)) {
    log('writing prices.csv');
    const r = rng(7);
    writeLines(files.prices, 'security,time,price', (push) => {
      for (let s = 0; s < SECURITIES; s++) {
        const dec = decimalsOf(s);
        const step = dec === 3 ? 10 : 100;
        let p = (5 + (r() % 9500) / 100) * 10_000; // 5.00-99.99 yuan
        p -= p % step;
        for (let t = DAY_START + (r() % 15_000); t < DAY_START + MORNING_MS + 600_000; t += 15_000 + (r() % 15_000)) {
          const move = ((r() % 21) - 10) * step;
          if (p + move > step) p += move;
          push(`${code(s)},${iso(t)},${(p / 10_000).toFixed(dec)}`);
        }
        last[s] = p;
      }
    });
  }
  if (!fs.existsSync(files.orders)) {
    log(`writing orders.csv (${orders} orders of ${customers} customers)`);
    const r = rng(42);
    const start = Date.parse(OUTAGE.start);
    const end = Date.parse(OUTAGE.end);
    writeLines(files.orders, 'order_id,customer,account,security,side,quantity,price,time,status', (push) => {
      for (let i = 0; i < orders; i++) {
        const c = r() % customers;
        const s = r() % SECURITIES;
        const t = DAY_START + (r() % MORNING_MS);
        const inOutage = t >= start && t < end;
        const roll = r() % 100;
        const status = inOutage
          ? roll < 60
            ? 'rejected'
            : roll < 80
              ? 'failed'
              : 'filled'
          : roll < 2
            ? 'rejected'
            : roll < 90
              ? 'filled'
              : 'cancelled';
        const limit = r() % 10 < 6;
        const dec = decimalsOf(s);
        const price = limit ? ((20 + (r() % 8000) / 100) * (dec === 3 ? 1 : 1)).toFixed(dec) : '';
        push(
          `O${i},C${String(c).padStart(7, '0')},A${String(c).padStart(7, '0')},${code(s)},${r() & 1 ? 'buy' : 'sell'},${100 * (1 + (r() % 10))},${price},${iso(t)},${status}`,
        );
      }
    });
  }
  return files;
}
