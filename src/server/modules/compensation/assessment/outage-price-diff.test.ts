/**
 * outage-price-diff: the worked example of docs/compensation.md asserted exactly, the boundaries of the
 * outage, P0/P1 lookups, rounding once per customer, cap/min/goodwill, large sums, and every kind of
 * bad row with its line number (CSV) or position (typed rows).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import iconv from 'iconv-lite';
import { afterAll, describe, expect, it } from 'vitest';
import { customerLine, summaryLine } from './lines.js';
import { assessOutagePriceDiffCsv, type CsvProblem } from './outage-csv.js';
import { assessOutagePriceDiff, type OrderRow, outageWindow } from './outage-price-diff.js';
import { type CompensationPolicy, NO_POLICY } from './policy.js';

const START = '2026-03-02T10:00:00+08:00';
const END = '2026-03-02T10:30:00+08:00';

// The worked example of docs/compensation.md (keep both the same).
const PRICES = `security,time,price
600000.SH,2026-03-02T09:59:58+08:00,10.00
600000.SH,2026-03-02T10:12:00+08:00,10.05
600000.SH,2026-03-02T10:30:00+08:00,10.50
000001.SZ,2026-03-02T09:59:00+08:00,12.000
000001.SZ,2026-03-02T10:31:10+08:00,11.995
`;
const ORDERS = `order_id,customer,account,security,side,quantity,price,time,status
O1,C001,A001,600000.SH,buy,1000,,2026-03-02T10:05:00+08:00,rejected
O2,C001,A001,000001.SZ,sell,300,12.003,2026-03-02T10:10:00+08:00,failed
O3,C002,A002,600000.SH,buy,100,10.60,2026-03-02T10:00:00+08:00,rejected
O4,C002,A002,600000.SH,buy,100,,2026-03-02T10:30:00+08:00,rejected
O5,C003,A003,600000.SH,buy,200,,2026-03-02T10:20:00+08:00,filled
O6,C004,A004,000001.SZ,buy,1,11.990,2026-03-02T10:29:59.999+08:00,rejected
O7,C003,A003,600000.SH,sell,50,,2026-03-02T10:12:00+08:00,rejected
O8,C005,A005,000001.SZ,buy,1,11.991,2026-03-02T10:15:00+08:00,rejected
O9,C005,A005,000001.SZ,buy,1,11.991,2026-03-02T10:16:00+08:00,failed
`;
const DOC_POLICY: CompensationPolicy = { capFen: 50_000n, minFen: 100n, goodwillFen: 2_000n };

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tocsin-comp-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
const file = (name: string, text: string | Buffer) => {
  const f = path.join(dir, name);
  fs.writeFileSync(f, text);
  return f;
};

async function runCsv(orders: string | Buffer, prices: string | Buffer, policy = NO_POLICY, encoding?: 'gbk') {
  const problems: CsvProblem[] = [];
  const window = outageWindow(START, END) as { startUs: number; endUs: number };
  const r = await assessOutagePriceDiffCsv({
    orders: file('orders.csv', orders),
    prices: file('prices.csv', prices),
    encoding,
    ...window,
    policy,
    onProblem: (p) => problems.push(p),
  });
  const lines = [...r.customers].map((c) => JSON.parse(customerLine(c, 'outage-price-diff')));
  return {
    lines,
    summary: JSON.parse(summaryLine(r.summary)),
    problems: problems.map((p) => `${path.basename(p.file)}:${p.line}: ${p.reason}`),
  };
}

describe('outage-price-diff, the worked example', () => {
  it('gives each customer with an affected order their exact loss, capped, or the goodwill amount', async () => {
    const r = await runCsv(ORDERS, PRICES, DOC_POLICY);
    expect(r.problems).toEqual([]);
    expect(r.lines).toEqual([
      // O1 market buy: P0 = 10.00 (09:59:58), P1 = 10.50 (at 10:30:00) -> 500.00; O2 limit sell: (12.003 - 11.995) x 300 = 2.40
      { customer: 'C001', orders: 2, loss: '502.40', compensation: '500.00', basis: 'price_diff' },
      // O3 at 10:00:00 (start included), limit 10.60 above P1 -> 0; O4 at 10:30:00 (end excluded) not counted
      { customer: 'C002', orders: 1, loss: '0.00', compensation: '20.00', basis: 'goodwill' },
      // O5 filled: not affected; O7 market sell at 10:12:00: P0 = the trade at 10:12:00 (10.05) < P1 -> 0
      { customer: 'C003', orders: 1, loss: '0.00', compensation: '20.00', basis: 'goodwill' },
      // O6: (11.995 - 11.990) x 1 = 0.005 -> 0.01 half-up, below min 1.00
      { customer: 'C004', orders: 1, loss: '0.01', compensation: '20.00', basis: 'goodwill' },
      // O8 + O9: 0.004 + 0.004 = 0.008 -> 0.01 (rounded once per customer, not 0.00 + 0.00)
      { customer: 'C005', orders: 2, loss: '0.01', compensation: '20.00', basis: 'goodwill' },
    ]);
    expect(r.summary).toEqual({
      customers: 5,
      total_compensation: '580.00',
      total_loss: '502.42',
      goodwill_customers: 4,
      skipped: 0,
      orders_read: 9,
      affected_orders: 7,
      skipped_orders: 0,
      unpriced_orders: 0,
      price_rows: 5,
      skipped_prices: 0,
    });
  });

  it('without a policy pays the loss itself, zero included', async () => {
    const r = await runCsv(ORDERS, PRICES);
    expect(r.lines.map((l) => [l.customer, l.compensation, l.basis])).toEqual([
      ['C001', '502.40', 'price_diff'],
      ['C002', '0.00', 'goodwill'],
      ['C003', '0.00', 'goodwill'],
      ['C004', '0.01', 'price_diff'],
      ['C005', '0.01', 'price_diff'],
    ]);
  });

  it('reads the same from typed rows (the store side) as from the files', async () => {
    const rows = ORDERS.trim()
      .split('\n')
      .slice(1)
      .map((l): OrderRow => {
        const [orderId, customer, account, security, side, quantity, price, time, status] = l.split(',') as string[];
        return {
          orderId,
          customer: customer!,
          account,
          security: security!,
          side: side!,
          quantity: quantity!,
          price: price || null,
          time: time!,
          status: status!,
        };
      });
    const prices = PRICES.trim()
      .split('\n')
      .slice(1)
      .map((l) => {
        const [security, time, price] = l.split(',') as [string, string, string];
        return { security, time, price };
      });
    const r = await assessOutagePriceDiff({ orders: rows, prices, start: START, end: END, policy: DOC_POLICY });
    expect(r.customers.map((c) => [c.customer, c.items, c.lossFen, c.compensationFen, c.basis])).toEqual([
      ['C001', 2, 50_240n, 50_000n, 'price_diff'],
      ['C002', 1, 0n, 2_000n, 'goodwill'],
      ['C003', 1, 0n, 2_000n, 'goodwill'],
      ['C004', 1, 1n, 2_000n, 'goodwill'],
      ['C005', 2, 1n, 2_000n, 'goodwill'],
    ]);
    expect(r.summary.totalCompensationFen).toBe(58_000n);
    expect(r.problems).toEqual([]);
  });
});

describe('outage-price-diff, prices and sums', () => {
  it('takes the last of equal-time trades at or before, and the first at or after, whatever the file order', async () => {
    const prices = `security,time,price
X,2026-03-02T10:40:00+08:00,9.00
X,2026-03-02T10:30:00+08:00,11.00
X,2026-03-02T10:30:00+08:00,12.00
X,2026-03-02T09:00:00+08:00,10.00
X,2026-03-02T09:00:00+08:00,10.10
`;
    const orders = `order_id,customer,account,security,side,quantity,price,time,status
1,C1,A1,X,buy,10,,2026-03-02T10:01:00+08:00,rejected
`;
    // P0 = 10.10 (the later of the two 09:00 trades), P1 = 11.00 (the first of the two at 10:30) -> 0.90 x 10
    expect((await runCsv(orders, prices)).lines[0]).toMatchObject({ loss: '9.00' });
  });

  it('adds large sums without losing a fen (past 2^53 units)', async () => {
    const n = 2000;
    const orders = [`order_id,customer,account,security,side,quantity,price,time,status`];
    // (P1 - P0) = 999999.999999, quantity 999999.9999: 999,999,999,899.9999... per order, in units of 10^-10 yuan far past 2^53
    for (let i = 0; i < n; i++) orders.push(`${i},BIG,A,X,buy,999999.9999,0.000001,2026-03-02T10:01:00+08:00,rejected`);
    const prices = 'security,time,price\nX,2026-03-02T10:30:00+08:00,1000000\n';
    const r = await runCsv(`${orders.join('\n')}\n`, prices);
    // per order 999999.999999 x 999999.9999 = 999999999899.0000000001 yuan exactly; x 2000 = 1999999999798000.0000002
    const exact = 999_999_999_999n * 9_999_999_999n * 2000n; // units of 10^-10 yuan
    const fen = exact / 100_000_000n + ((exact % 100_000_000n) * 2n >= 100_000_000n ? 1n : 0n);
    expect(r.lines[0]).toMatchObject({
      customer: 'BIG',
      orders: n,
      loss: `${fen / 100n}.${String(fen % 100n).padStart(2, '0')}`,
    });
    expect(r.lines[0].loss).toBe('1999999999798000.00');
  });
});

describe('outage-price-diff, bad input', () => {
  it('reports each bad row with its line number and reason, skips it and counts it', async () => {
    const prices = `security,time,price
600000.SH,2026-03-02T09:59:58+08:00,10.00
600000.SH,2026-03-02T10:30:00+08:00,10.50
600001.SH,2026-03-02T10:00:00,10.00
600002.SH,2026-03-02T10:00:00+08:00,-1
600003.SH,2026-03-02T10:00:00+08:00
600004.SH,2026-03-02T10:40:00+08:00,8.00
`;
    const orders = `order_id,customer,account,security,side,quantity,price,time,status
O1,C1,A1,600000.SH,buy,100,,2026-03-02T10:05:00+08:00,rejected
O2,C1,A1,600000.SH,buy,100,,2026-03-02T10:05:00+08:00
O3,C1,A1,999999.SH,buy,100,,2026-03-02T10:05:00+08:00,rejected
O4,C1,A1,600000.SH,buy,100,,2026-03-02T10:05:00,rejected
O5,C1,A1,600000.SH,buy,-100,,2026-03-02T10:05:00+08:00,rejected
O6,C1,A1,600000.SH,buy,0,,2026-03-02T10:05:00+08:00,rejected
O7,C1,A1,600000.SH,buy,100,-10.5,2026-03-02T10:05:00+08:00,rejected
O8,C1,A1,600000.SH,hold,100,,2026-03-02T10:05:00+08:00,rejected
O9,C1,A1,600000.SH,buy,100,,2026-03-02T10:05:00+08:00,lost
O10,C1,A1,600000.SH,buy,1e3,,2026-03-02T10:05:00+08:00,rejected

O11,,A1,600000.SH,buy,100,,2026-03-02T10:05:00+08:00,rejected
O12,C2,A2,600004.SH,buy,100,,2026-03-02T10:05:00+08:00,rejected
O13,C2,A2,600000.SH,buy,100,,2026-03-02T09:00:00+08:00,rejected
O14,C1,A1,600000.SH,buy,100,,2026-03-02T10:05:00+08:00,rejected,extra
O15,C1,A1,600000.SH,buy,100,abc,2026-03-02T10:05:00+08:00,rejected
`;
    const r = await runCsv(orders, prices);
    expect(r.problems).toEqual([
      'prices.csv:4: time without offset (ISO-8601 with Z or ±HH:MM)',
      'prices.csv:5: price must not be negative',
      'prices.csv:6: missing columns (2 of 3)',
      'orders.csv:3: missing columns (8 of 9)',
      'orders.csv:4: unknown security 999999.SH (no price for it)',
      'orders.csv:5: time without offset (ISO-8601 with Z or ±HH:MM)',
      'orders.csv:6: quantity must not be negative',
      'orders.csv:7: quantity must be positive',
      'orders.csv:8: price must not be negative',
      'orders.csv:9: side must be buy or sell, not "hold"',
      'orders.csv:10: unknown status "lost" (new, pending, accepted, partially_filled, filled, cancelled, expired, rejected, failed)',
      'orders.csv:11: quantity is not a number',
      'orders.csv:13: customer is empty',
      "orders.csv:14: no trade of 600004.SH at or before the order's time for P0 (market order)",
      'orders.csv:16: more fields than the header (10 of 9)',
      'orders.csv:17: price is not a number',
    ]);
    // Only O1 was assessed; never a silent zero for the others.
    expect(r.lines).toEqual([{ customer: 'C1', orders: 1, loss: '50.00', compensation: '50.00', basis: 'price_diff' }]);
    expect(r.summary).toMatchObject({
      customers: 1,
      skipped: 16,
      skipped_orders: 12,
      unpriced_orders: 1,
      skipped_prices: 3,
      orders_read: 15,
    });
  });

  it('reports an affected order without a trade after the outage (P1)', async () => {
    const prices = 'security,time,price\nX,2026-03-02T09:00:00+08:00,10\n';
    const orders =
      'order_id,customer,account,security,side,quantity,price,time,status\n1,C1,A,X,sell,1,,2026-03-02T10:01:00+08:00,failed\n';
    const r = await runCsv(orders, prices);
    expect(r.problems).toEqual(['orders.csv:2: no trade of X at or after the outage end for P1']);
    expect(r.lines).toEqual([]);
  });

  it('refuses a file without the columns it needs, naming them', async () => {
    await expect(runCsv('customer,security,side\n', PRICES)).rejects.toThrow(
      /orders\.csv:1: the header has no column quantity, price, time, status/,
    );
  });

  it('counts the lines of a quoted field with a line break, so later rows keep their line numbers', async () => {
    const orders = `order_id,customer,account,security,side,quantity,price,time,status
O1,"C1
second line",A1,600000.SH,buy,1000,,2026-03-02T10:05:00+08:00,rejected
O2,C2,A2,600000.SH,buy,-1,,2026-03-02T10:05:00+08:00,rejected
`;
    const r = await runCsv(orders, PRICES);
    expect(r.problems).toEqual(['orders.csv:4: quantity must not be negative']);
    expect(r.lines.map((l) => l.customer)).toEqual(['C1\nsecond line']);
  });

  it('reads a BOM, CRLF, quoted fields, spaces, upper-case words and columns in another order; GBK when told', async () => {
    const orders = `\uFEFFStatus,Customer,Security,Side,Quantity,Price,Time\r
rejected,"客户,甲",600000.SH,BUY, 1000 ,,2026-03-02T10:05:00+08:00\r
REJECTED,"He said ""hi""",600000.SH,buy,1000,,2026-03-02T10:05:00+08:00\r
`;
    const r = await runCsv(orders, PRICES);
    expect(r.problems).toEqual([]);
    expect(r.lines.map((l) => [l.customer, l.loss])).toEqual([
      ['He said "hi"', '500.00'],
      ['客户,甲', '500.00'],
    ]);
    const gbk = await runCsv(iconv.encode(orders.slice(1), 'gbk'), PRICES, NO_POLICY, 'gbk');
    expect(gbk.lines.map((l) => l.customer)).toEqual(['He said "hi"', '客户,甲']);
  });
});
