/**
 * `tocsin compensation assess` as a compliance officer or a script runs it (spawned, no store, no
 * server): one JSON line per customer and a summary on stdout, each bad row on stderr as FILE:LINE:
 * reason; a bad option is one line and exit 1.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { buildOnce, lines, tempDir, tocsin } from './harness.js';

const dir = tempDir('tocsin-cli-comp-');
beforeAll(buildOnce, 180_000);
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

test('assess --method outage-price-diff prints each customer and the summary; bad rows on stderr with their line', async () => {
  const orders = path.join(dir, 'orders.csv');
  const prices = path.join(dir, 'prices.csv');
  fs.writeFileSync(
    prices,
    'security,time,price\n600000.SH,2026-03-02T09:59:58+08:00,10.00\n600000.SH,2026-03-02T10:30:00+08:00,10.50\n',
  );
  fs.writeFileSync(
    orders,
    `order_id,customer,account,security,side,quantity,price,time,status
O1,C2,A2,600000.SH,buy,1000,,2026-03-02T10:05:00+08:00,rejected
O2,C1,A1,600000.SH,sell,100,10.20,2026-03-02T10:06:00+08:00,failed
O3,C3,A3,600000.SH,buy,100,,2026-03-02T10:07:00,rejected
`,
  );
  // TOCSIN_DATA_DIR points at a folder that does not exist: the command must not open (create) a store.
  const noStore = path.join(dir, 'no-store');
  const r = await tocsin(
    [
      'compensation',
      'assess',
      '--method',
      'outage-price-diff',
      '--orders',
      orders,
      '--prices',
      prices,
      '--outage-start',
      '2026-03-02T10:00:00+08:00',
      '--outage-end',
      '2026-03-02T10:30:00+08:00',
      '--cap',
      '400',
      '--min',
      '1',
      '--goodwill',
      '20',
    ],
    { TOCSIN_DATA_DIR: noStore },
  );
  expect(r.code).toBe(0);
  expect(lines(r.stdout).map((l) => JSON.parse(l))).toEqual([
    { customer: 'C1', orders: 1, loss: '0.00', compensation: '20.00', basis: 'goodwill' },
    { customer: 'C2', orders: 1, loss: '500.00', compensation: '400.00', basis: 'price_diff' },
    {
      customers: 2,
      total_compensation: '420.00',
      total_loss: '500.00',
      goodwill_customers: 1,
      skipped: 1,
      orders_read: 3,
      affected_orders: 2,
      skipped_orders: 1,
      unpriced_orders: 0,
      price_rows: 2,
      skipped_prices: 0,
    },
  ]);
  expect(r.stderr).toBe(`${orders}:4: time without offset (ISO-8601 with Z or ±HH:MM)\n`);
  expect(fs.existsSync(noStore)).toBe(false);

  const bad = await tocsin(
    [
      'compensation',
      'assess',
      '--method',
      'outage-price-diff',
      '--orders',
      orders,
      '--prices',
      prices,
      '--outage-start',
      '2026-03-02T10:00:00',
      '--outage-end',
      '2026-03-02T10:30:00+08:00',
    ],
    {},
  );
  expect(bad).toMatchObject({ code: 1, stdout: '' });
  expect(lines(bad.stderr)).toEqual(['tocsin: --outage-start: time without offset (ISO-8601 with Z or ±HH:MM)']);
}, 60_000);
