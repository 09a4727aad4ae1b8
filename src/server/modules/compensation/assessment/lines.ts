/** The JSON lines of an assessment, as `tocsin compensation assess` prints them (docs/compensation.md). */
import type { ItemSummary } from './item-methods.js';
import type { OutageSummary } from './outage-price-diff.js';
import type { CustomerAssessment } from './policy.js';
import { yuan } from './numbers.js';

export type MethodName = 'outage-price-diff' | 'fraud-loss' | 'delayed-funds' | 'fee-refund' | 'fixed';

/** `{"customer", "orders" (outage-price-diff) or "items", "loss", "compensation", "basis"}`. */
export function customerLine(c: CustomerAssessment, method: MethodName): string {
  // Written out (the same keys and order as JSON.stringify of the object): a million lines a run.
  const count = method === 'outage-price-diff' ? '"orders"' : '"items"';
  return `{"customer":${JSON.stringify(c.customer)},${count}:${c.items},"loss":"${c.loss}","compensation":"${c.compensation}","basis":"${c.basis}"}`;
}

/** The summary line; read once the customers' generator is done. */
export function summaryLine(s: OutageSummary | ItemSummary): string {
  const common = {
    customers: s.customers,
    total_compensation: yuan(s.totalCompensationFen),
    total_loss: yuan(s.totalLossFen),
    goodwill_customers: s.goodwillCustomers,
    skipped: s.skipped,
  };
  if ('affectedOrders' in s)
    return JSON.stringify({
      ...common,
      orders_read: s.ordersRead,
      affected_orders: s.affectedOrders,
      skipped_orders: s.skippedOrders,
      unpriced_orders: s.unpricedOrders,
      price_rows: s.priceRows,
      skipped_prices: s.skippedPrices,
    });
  return JSON.stringify({ ...common, rows_read: s.rowsRead });
}
