/**
 * The firm's extracts for the compensation demo (issue 14), generated deterministically for an outage
 * window: an orders CSV of demo customers (demo-customers.ts) — orders rejected or failed inside the
 * window (buys and sells, limit and market), others filled or outside it, and a few bad lines — and a
 * prices CSV with each security's last trades before the outage and first trades from its end (the
 * vendor's feed was silent in between). The same window always gives the same files; the amounts do not
 * depend on the window at all (test/api/demo-compensation.test.ts works them out by hand).
 */

/** The assessment's policy options, as `tocsin compensation assess` takes them (yuan). */
export const DEMO_COMPENSATION_POLICY = { cap: '200000', min: '10', goodwill: '50' } as const;

interface Security {
  code: string;
  /** Trades before the outage: the earlier, then the last one (2 s before it started). */
  before: [string, string];
  /** Trades from the end: the first (exactly at the end), then a later one. */
  after: [string, string];
}

/** 贵州茅台, 宁德时代, 招商银行, 平安银行, 中国平安 — prices in yuan as the exchanges print them. */
const DEMO_SECURITIES: Security[] = [
  { code: '600519.SH', before: ['1698.50', '1700.00'], after: ['1746.00', '1744.20'] },
  { code: '300750.SZ', before: ['201.80', '201.30'], after: ['196.80', '197.10'] },
  { code: '600036.SH', before: ['35.38', '35.40'], after: ['35.95', '35.90'] },
  { code: '000001.SZ', before: ['11.22', '11.20'], after: ['11.05', '11.08'] },
  { code: '601318.SH', before: ['48.05', '48.10'], after: ['48.10', '48.12'] },
];

/**
 * When an order was placed: `in` at a fraction of the outage window (0 = its start, included; the end is
 * excluded), or seconds before the start or after the end.
 */
type When = { in: number } | { before: number } | { after: number };

interface DemoOrder {
  customer: string;
  security: string;
  side: 'buy' | 'sell';
  quantity: string;
  /** The limit price; empty for a market order. */
  price: string;
  when: When;
  status: string;
}

/** One order: customer, security, side, quantity, limit price ('' for market), when, status. */
const o = (
  customer: string,
  security: string,
  side: 'buy' | 'sell',
  quantity: string,
  price: string,
  when: When,
  status: string,
): DemoOrder => ({ customer, security, side, quantity, price, when, status });

/**
 * The orders, by customer. Who they are (demo-customers.ts): DH100010 and DH100020 VIP, DH100011 and
 * DH100033 with 刘洋 as account manager, DH100005 with 黄静; DH2000xx the ordinary customers.
 */
const DEMO_ORDERS: DemoOrder[] = [
  // A market buy of 5,000 shares rejected when the quotes froze: the largest loss, above the cap.
  o('DH100010', '600519.SH', 'buy', '5000', '', { in: 0.1 }, 'rejected'),
  o('DH100010', '600519.SH', 'buy', '200', '1695.00', { before: 600 }, 'filled'),
  // A limit buy that failed at the gateway; a filled sell earlier in the day.
  o('DH100011', '600519.SH', 'buy', '1000', '1701.50', { in: 0.2 }, 'failed'),
  o('DH100011', '000001.SZ', 'sell', '5000', '', { before: 900 }, 'filled'),
  // Two sells rejected: a market sell and a limit sell.
  o('DH100020', '300750.SZ', 'sell', '2000', '', { in: 0.3 }, 'rejected'),
  o('DH100020', '000001.SZ', 'sell', '10000', '11.18', { in: 0.35 }, 'REJECTED'),
  // The customer whose claim is negotiated: a market buy rejected.
  o('DH100005', '600036.SH', 'buy', '6000', '', { in: 0.4 }, 'rejected'),
  // Small losses: a limit buy and a market sell.
  o('DH100033', '600036.SH', 'buy', '500', '35.62', { in: 0.5 }, 'failed'),
  o('DH100042', '000001.SZ', 'sell', '3000', '', { in: 0.6 }, 'rejected'),
  // Rejected before the outage: not affected.
  o('DH100042', '600036.SH', 'buy', '100', '35.00', { before: 1200 }, 'rejected'),
  // No loss to show: a limit buy above the recovery price, a sell whose loss is below the minimum, a buy
  // when the price fell — each gets the goodwill amount.
  o('DH200001', '601318.SH', 'buy', '1000', '48.30', { in: 0.7 }, 'rejected'),
  o('DH200003', '000001.SZ', 'sell', '20', '11.30', { in: 0.75 }, 'rejected'),
  o('DH200010', '300750.SZ', 'buy', '100', '', { in: 0.8 }, 'failed'),
  // Filled during the outage (the backup route), and rejected after it ended: neither is affected.
  o('DH200020', '600036.SH', 'buy', '800', '35.50', { in: 0.5 }, 'filled'),
  o('DH100070', '600519.SH', 'buy', '100', '', { after: 120 }, 'rejected'),
];

/** Lines the orders report shows as skipped (the line numbers follow the orders above). */
const DEMO_BAD_ORDER_LINES = [
  (t: (w: When) => string) => `BAD-1,DH100060,A10000060,600036.SH,hold,100,,${t({ in: 0.5 })},rejected`,
  (t: (w: When) => string) =>
    `BAD-2,DH100061,A10000061,600036.SH,buy,100,,${t({ in: 0.5 }).replace(/[+-]\d\d:\d\d$/, '')},rejected`,
  (t: (w: When) => string) => `BAD-3,DH100062,A10000062,688999.SH,buy,100,,${t({ in: 0.5 })},rejected`,
  (t: (w: When) => string) => `BAD-4,DH100063,A10000063,600036.SH,sell,-300,,${t({ in: 0.5 })},failed`,
  (_t: (w: When) => string) => 'BAD-5,DH100064,A10000064,600036.SH,buy',
];

/** An instant as the firm's systems write it: Beijing time with its offset, to the millisecond. */
export function beijingTime(ms: number): string {
  return new Date(ms + 8 * 3_600_000).toISOString().replace('Z', '+08:00');
}

/** The account of a customer number, as demo-customers.ts numbers them (DH100010 -> A10000010). */
const accountOf = (customerNo: string) =>
  `${customerNo[2] === '1' ? 'A1' : 'B2'}${customerNo.slice(3).padStart(7, '0')}`;

/**
 * The orders and prices CSV files for the outage [start, end) (epoch ms, end after start). An order `in`
 * the window lands at start + fraction × length, rounded down to the millisecond (so before the end).
 */
export function demoCompensationFiles(start: number, end: number): { orders: string; prices: string } {
  if (!(end > start)) throw new Error('the outage must end after it starts');
  const at = (w: When): string => {
    if ('in' in w) return beijingTime(start + Math.floor(w.in * (end - start)));
    if ('before' in w) return beijingTime(start - w.before * 1000);
    return beijingTime(end + w.after * 1000);
  };
  const orders = ['order_id,customer,account,security,side,quantity,price,time,status'];
  DEMO_ORDERS.forEach((o, i) => {
    const id = `O${String(i + 1).padStart(3, '0')}`;
    orders.push(
      [id, o.customer, accountOf(o.customer), o.security, o.side, o.quantity, o.price, at(o.when), o.status].join(','),
    );
  });
  for (const bad of DEMO_BAD_ORDER_LINES) orders.push(bad(at));
  const prices = ['security,time,price'];
  for (const s of DEMO_SECURITIES) {
    prices.push(`${s.code},${beijingTime(start - 60_000)},${s.before[0]}`);
    prices.push(`${s.code},${beijingTime(start - 2_000)},${s.before[1]}`);
    prices.push(`${s.code},${beijingTime(end)},${s.after[0]}`);
    prices.push(`${s.code},${beijingTime(end + 30_000)},${s.after[1]}`);
  }
  return { orders: `${orders.join('\n')}\n`, prices: `${prices.join('\n')}\n` };
}
