/**
 * `outage-price-diff` from CSV files, as `tocsin compensation assess` and the benchmark run it: the
 * prices file into the index, then the orders file streamed through the engine. Columns:
 * orders `order_id, customer, account, security, side, quantity, price, time, status`
 * (order_id and account may be absent); prices `security, time, price`.
 */
import { type CsvEncoding, readCsv } from './csv.js';
import {
  OutagePriceDiff,
  type OutageParams,
  type OutageSummary,
  PriceLoader,
  type Problem,
} from './outage-price-diff.js';
import type { CustomerAssessment } from './policy.js';

export const ORDER_COLUMNS = [
  'order_id',
  'customer',
  'account',
  'security',
  'side',
  'quantity',
  'price',
  'time',
  'status',
] as const;
export const PRICE_COLUMNS = ['security', 'time', 'price'] as const;

export interface CsvProblem extends Problem {
  /** The file's name as given. */
  file: string;
}

export interface OutageCsvInput extends OutageParams {
  orders: string;
  prices: string;
  encoding?: CsvEncoding;
  /** Each bad row, as it is met (prices first, then orders). */
  onProblem: (p: CsvProblem) => void;
}

/** Phases' durations in seconds, for the benchmark. */
export interface OutageTimings {
  prices_s: number;
  orders_s: number;
}

export async function assessOutagePriceDiffCsv(
  input: OutageCsvInput,
): Promise<{ customers: Generator<CustomerAssessment>; summary: OutageSummary; timings: OutageTimings }> {
  const t0 = performance.now();
  const loader = new PriceLoader((p) => input.onProblem({ ...p, file: input.prices }));
  let badPrices = 0;
  await readCsv(input.prices, {
    name: input.prices,
    encoding: input.encoding,
    columns: PRICE_COLUMNS,
    onRow: (v, line) => loader.price(v[0]!, v[1]!, v[2]!, line),
    onBad: (line, reason) => {
      badPrices++;
      input.onProblem({ source: 'prices', line, reason, file: input.prices });
    },
  });
  const index = loader.build();
  const t1 = performance.now();
  let badRows = 0;
  const engine = new OutagePriceDiff(index, input, (p) => input.onProblem({ ...p, file: input.orders }));
  await readCsv(input.orders, {
    name: input.orders,
    encoding: input.encoding,
    columns: ORDER_COLUMNS,
    optional: ['order_id', 'account'],
    onRow: (v, line) => engine.order(v[1]!, v[3]!, v[4]!, v[5]!, v[6]!, v[7]!, v[8]!, line),
    onBytes: (b, at, line) => engine.orderBytes(b, at, line),
    onBad: (line, reason) => {
      badRows++;
      input.onProblem({ source: 'orders', line, reason, file: input.orders });
    },
  });
  const t2 = performance.now();
  const { customers, summary } = engine.results();
  summary.ordersRead += badRows;
  summary.skippedOrders += badRows;
  summary.priceRows = loader.rows + badPrices;
  summary.skippedPrices = loader.skipped + badPrices;
  summary.skipped += badRows + summary.skippedPrices;
  return { customers, summary, timings: { prices_s: (t1 - t0) / 1000, orders_s: (t2 - t1) / 1000 } };
}
