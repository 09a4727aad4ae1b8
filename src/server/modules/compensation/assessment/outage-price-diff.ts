/**
 * `outage-price-diff` (docs/compensation.md): orders that could not be placed because of an outage.
 * An order is affected when its status is `rejected` or `failed` and its time is in [start, end).
 * P0 = its limit price, else the last trade of the security at or before the order's time; P1 = the
 * first trade of the security at or after the end of the outage. Loss = max(0, (P1 - P0) x quantity)
 * for a buy, max(0, (P0 - P1) x quantity) for a sell, summed exactly per customer (prices at 6
 * decimals x quantities at 4 = units of 10^-10 yuan) and rounded half-up to the fen once per customer.
 *
 * Rows arrive one at a time (`order`, `price` with strings as read, or typed rows); a bad row or an
 * affected order without P0 or P1 is reported through `onProblem` with its line and skipped.
 */
import {
  instantOrReason,
  NO_OFFSET,
  numberProblem,
  parseInstant,
  parseInstantBytes,
  parseScaled,
  parseScaledBytes,
} from './numbers.js';
import {
  type AssessmentTotals,
  type CompensationPolicy,
  type CustomerAssessment,
  decideAll,
  emptyTotals,
} from './policy.js';
import { PRICE_DECIMALS, type PriceIndex, PriceIndexBuilder, type SecurityPrices } from './price-index.js';
import { CustomerTotals } from './totals.js';

/** Decimal places of quantities: 4. */
export const QUANTITY_DECIMALS = 4;
/** Loss units (10^-10 yuan) per fen. */
export const OUTAGE_UNITS_PER_FEN = 10 ** (PRICE_DECIMALS + QUANTITY_DECIMALS - 2);

const MAX = Number.MAX_SAFE_INTEGER;

/** Statuses an order can have; `rejected` and `failed` are the ones an outage caused. */
export const ORDER_STATUSES = [
  'new',
  'pending',
  'accepted',
  'partially_filled',
  'filled',
  'cancelled',
  'expired',
  'rejected',
  'failed',
] as const;
const KNOWN_STATUS = new Set<string>(ORDER_STATUSES);
const STATUS_BYTES = ORDER_STATUSES.map((st) => Buffer.from(st, 'latin1'));

/** 1: rejected or failed, 0: another status, -1: not a status written in lower case. */
function statusOfBytes(b: Uint8Array, start: number, end: number): number {
  const len = end - start;
  for (let k = 0; k < STATUS_BYTES.length; k++) {
    const st = STATUS_BYTES[k]!;
    if (st.length !== len) continue;
    let i = 0;
    while (i < len && st[i] === b[start + i]) i++;
    if (i === len) return k >= 7 ? 1 : 0;
  }
  return -1;
}

/** A field as read: spaces around it dropped. */
export const trimField = (s: string): string => {
  const n = s.length;
  return n > 0 && (s.charCodeAt(0) <= 32 || s.charCodeAt(n - 1) <= 32) ? s.trim() : s;
};

/** An order as the orders CSV has it (strings as read; `price` empty or null for a market order). */
export interface OrderRow {
  orderId?: string;
  customer: string;
  account?: string;
  security: string;
  side: string;
  quantity: string;
  price: string | null;
  /** ISO-8601 with an offset. */
  time: string;
  status: string;
}

/** A trade as the prices CSV has it. */
export interface PriceRow {
  security: string;
  time: string;
  price: string;
}

export interface Problem {
  source: 'orders' | 'prices';
  /** The line of the file (the header is line 1), or the row's position for typed rows. */
  line: number;
  reason: string;
}

export interface OutageParams {
  /** Start of the outage (inclusive), µs since the epoch (`parseInstant`). */
  startUs: number;
  /** End of the outage (exclusive), µs since the epoch. */
  endUs: number;
  policy: CompensationPolicy;
}

export interface OutageSummary extends AssessmentTotals {
  ordersRead: number;
  affectedOrders: number;
  /** Order rows skipped as bad. */
  skippedOrders: number;
  /** Affected orders skipped because P0 or P1 could not be found. */
  unpricedOrders: number;
  priceRows: number;
  skippedPrices: number;
  /** All rows reported and skipped. */
  skipped: number;
}

/** Reads the prices (rows as strings), reporting bad ones; `build()` gives the index. */
export class PriceLoader {
  private readonly builder = new PriceIndexBuilder();
  rows = 0;
  skipped = 0;

  constructor(private readonly onProblem: (p: Problem) => void) {}

  price(security: string, time: string, price: string, line: number): void {
    this.rows++;
    const reason = this.check(security, time, price);
    if (reason !== null) {
      this.skipped++;
      this.onProblem({ source: 'prices', line, reason });
    }
  }

  private check(security: string, time: string, price: string): string | null {
    if (security === '') return 'security is empty';
    const t = parseInstant(time);
    if (t === NO_OFFSET) return 'time without offset (ISO-8601 with Z or ±HH:MM)';
    if (Number.isNaN(t)) return 'time is not an ISO-8601 time';
    const p = parseScaled(price, PRICE_DECIMALS);
    if (p < 0) return numberProblem(p, 'price', PRICE_DECIMALS);
    if (p === 0) return 'price must be positive';
    this.builder.add(security, t, p);
    return null;
  }

  build(): PriceIndex {
    return this.builder.build();
  }
}

export class OutagePriceDiff {
  private readonly totals = new CustomerTotals();
  private ordersRead = 0;
  private affectedOrders = 0;
  private skippedOrders = 0;
  private unpricedOrders = 0;
  /** P1 per security id, found once (NaN: not yet). */
  private readonly recovery: Float64Array;

  constructor(
    private readonly prices: PriceIndex,
    private readonly params: OutageParams,
    private readonly onProblem: (p: Problem) => void,
  ) {
    this.recovery = new Float64Array(prices.securities).fill(Number.NaN);
  }

  /** A typed order (`line`: its position, for problems). */
  orderRow(o: OrderRow, line: number): void {
    this.order(o.customer, o.security, o.side, o.quantity, o.price ?? '', o.time, o.status, line);
  }

  /** One order, columns as read (`price` '' for a market order). */
  order(
    customer: string,
    security: string,
    side: string,
    quantity: string,
    price: string,
    time: string,
    status: string,
    line: number,
  ): void {
    this.ordersRead++;
    const reason = this.assess(customer, security, side, quantity, price, time, status, line);
    if (reason !== null) {
      this.skippedOrders++;
      this.onProblem({ source: 'orders', line, reason });
    }
  }

  /**
   * One order as a CSV record's bytes (UTF-8): `at[2k]`, `at[2k + 1]` the start and end of the k-th
   * column of ORDER_COLUMNS. The usual record is checked and assessed from its bytes, without
   * strings but the customer's of an affected order; anything else goes through `order`, which
   * gives the reasons.
   */
  orderBytes(b: Buffer, at: Int32Array, line: number): undefined {
    const cs = at[2]!;
    const ce = at[3]!;
    const ss = at[6]!;
    const se = at[7]!;
    const sd = at[8]!;
    const sl = at[9]! - sd;
    let buy: boolean;
    if (sl === 3 && b[sd] === 98 && b[sd + 1] === 117 && b[sd + 2] === 121) buy = true;
    else if (sl === 4 && b[sd] === 115 && b[sd + 1] === 101 && b[sd + 2] === 108 && b[sd + 3] === 108) buy = false;
    else return this.fromBytes(b, at, line);
    const status = statusOfBytes(b, at[16]!, at[17]!);
    const q = parseScaledBytes(b, at[10]!, at[11]!, QUANTITY_DECIMALS);
    let p0 = -1;
    let badPrice = false;
    if (at[13]! > at[12]!) {
      p0 = parseScaledBytes(b, at[12]!, at[13]!, PRICE_DECIMALS);
      badPrice = p0 <= 0;
    }
    const t = parseInstantBytes(b, at[14]!, at[15]!);
    if (
      status < 0 ||
      q <= 0 ||
      badPrice ||
      !(t > NO_OFFSET) ||
      ce <= cs ||
      b[cs]! <= 32 ||
      b[ce - 1]! <= 32 ||
      se <= ss ||
      b[ss]! <= 32 ||
      b[se - 1]! <= 32
    )
      return this.fromBytes(b, at, line);
    const trades = this.prices.getBytes(b, ss, se);
    if (trades === undefined) return this.fromBytes(b, at, line);
    this.ordersRead++;
    if (status === 0 || t < this.params.startUs || t >= this.params.endUs) return;
    this.affected(b, cs, ce, trades, buy, q, p0, t, line);
  }

  private fromBytes(b: Buffer, at: Int32Array, line: number): undefined {
    const f = (k: number) => (at[2 * k]! < 0 ? '' : trimField(b.toString('utf8', at[2 * k]!, at[2 * k + 1]!)));
    this.order(f(1), f(3), f(4), f(5), f(6), f(7), f(8), line);
  }

  /** An affected order: its loss added to its customer, or reported when P0 or P1 is missing. */
  private affected(
    /** The customer's id: the UTF-8 bytes cb[cs, ce). */
    cb: Uint8Array,
    cs: number,
    ce: number,
    trades: SecurityPrices,
    buy: boolean,
    q: number,
    price: number,
    t: number,
    line: number,
  ): undefined {
    let p0 = price;
    if (p0 < 0) {
      p0 = trades.atOrBefore(t);
      if (p0 < 0)
        return this.unpriced(line, `no trade of ${trades.code} at or before the order's time for P0 (market order)`);
    }
    let p1 = this.recovery[trades.id]!;
    if (Number.isNaN(p1)) {
      p1 = trades.atOrAfter(this.params.endUs);
      this.recovery[trades.id] = p1;
    }
    if (p1 < 0) return this.unpriced(line, `no trade of ${trades.code} at or after the outage end for P1`);
    this.affectedOrders++;
    const diff = buy ? p1 - p0 : p0 - p1;
    const c = this.totals.indexOfBytes(cb, cs, ce);
    if (diff <= 0) this.totals.add(c, 0);
    else {
      // Exact while the product is a safe integer (a float product past 2^53 - 1 stays past it).
      const units = diff * q;
      this.totals.add(c, units <= MAX ? units : BigInt(diff) * BigInt(q));
    }
  }

  private unpriced(line: number, reason: string): undefined {
    this.unpricedOrders++;
    this.onProblem({ source: 'orders', line, reason });
  }

  /** Checks one order (assessing it when affected): null, or why it is a bad row. */
  private assess(
    customer: string,
    security: string,
    side: string,
    quantity: string,
    price: string,
    time: string,
    status: string,
    line: number,
  ): string | null {
    if (customer === '') return 'customer is empty';
    if (security === '') return 'security is empty';
    const buy = side === 'buy' || (side !== 'sell' && side.toLowerCase() === 'buy');
    if (!buy && side !== 'sell' && side.toLowerCase() !== 'sell') return `side must be buy or sell, not "${side}"`;
    let affected = status === 'rejected' || status === 'failed';
    if (!affected && !KNOWN_STATUS.has(status)) {
      const lower = status.toLowerCase();
      if (!KNOWN_STATUS.has(lower)) return `unknown status "${status}" (${ORDER_STATUSES.join(', ')})`;
      affected = lower === 'rejected' || lower === 'failed';
    }
    const q = parseScaled(quantity, QUANTITY_DECIMALS);
    if (q < 0) return numberProblem(q, 'quantity', QUANTITY_DECIMALS);
    if (q === 0) return 'quantity must be positive';
    let p0 = -1;
    if (price !== '') {
      p0 = parseScaled(price, PRICE_DECIMALS);
      if (p0 < 0) return numberProblem(p0, 'price', PRICE_DECIMALS);
      if (p0 === 0) return 'price must be positive (empty for a market order)';
    }
    const t = parseInstant(time);
    if (t === NO_OFFSET) return 'time without offset (ISO-8601 with Z or ±HH:MM)';
    if (Number.isNaN(t)) return 'time is not an ISO-8601 time';
    const trades = this.prices.get(security);
    if (trades === undefined) return `unknown security ${security} (no price for it)`;
    if (affected && t >= this.params.startUs && t < this.params.endUs) {
      const id = Buffer.from(customer, 'utf8');
      this.affected(id, 0, id.length, trades, buy, q, p0, t, line);
    }
    return null;
  }

  /**
   * The customers with at least one assessed order, sorted by id, with their loss and compensation;
   * `summary` is complete once the generator is done.
   */
  results(): { customers: Generator<CustomerAssessment>; summary: OutageSummary } {
    const summary: OutageSummary = {
      ...emptyTotals(),
      ordersRead: this.ordersRead,
      affectedOrders: this.affectedOrders,
      skippedOrders: this.skippedOrders,
      unpricedOrders: this.unpricedOrders,
      priceRows: 0,
      skippedPrices: 0,
      skipped: this.skippedOrders + this.unpricedOrders,
    };
    return {
      customers: decideAll(this.totals, OUTAGE_UNITS_PER_FEN, this.params.policy, 'price_diff', summary),
      summary,
    };
  }
}

/** The outage's bounds from ISO-8601 strings, or a reason naming the one at fault. */
export function outageWindow(start: string, end: string): { startUs: number; endUs: number } | string {
  const s = instantOrReason(start);
  if (typeof s === 'string') return `outage start: ${s}`;
  const e = instantOrReason(end);
  if (typeof e === 'string') return `outage end: ${e}`;
  if (e <= s) return 'the outage end must be after its start';
  return { startUs: s, endUs: e };
}

type Rows<T> = Iterable<T> | AsyncIterable<T>;

/**
 * The whole method over typed rows (the store's orders and trades): every customer with an assessed
 * order, sorted by id, the summary and the problems (each row's `line` is its 1-based position).
 */
export async function assessOutagePriceDiff(input: {
  orders: Rows<OrderRow>;
  prices: Rows<PriceRow>;
  start: string;
  end: string;
  policy: CompensationPolicy;
}): Promise<{ customers: CustomerAssessment[]; summary: OutageSummary; problems: Problem[] }> {
  const window = outageWindow(input.start, input.end);
  if (typeof window === 'string') throw new RangeError(window);
  const problems: Problem[] = [];
  const report = (p: Problem) => void problems.push(p);
  const loader = new PriceLoader(report);
  let n = 0;
  for await (const p of input.prices) loader.price(p.security, p.time, p.price, ++n);
  const engine = new OutagePriceDiff(loader.build(), { ...window, policy: input.policy }, report);
  n = 0;
  for await (const o of input.orders) engine.orderRow(o, ++n);
  const { customers, summary } = engine.results();
  const list = [...customers];
  summary.priceRows = loader.rows;
  summary.skippedPrices = loader.skipped;
  summary.skipped += loader.skipped;
  return { customers: list, summary, problems };
}
