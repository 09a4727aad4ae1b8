/**
 * From a customer's exact loss to what they are offered, the same for every method: the loss rounded
 * half-up to the fen once, at the customer level; a loss of zero or below `min` gets `goodwill` instead
 * (basis `goodwill`); otherwise the loss capped at `cap` (basis the method's).
 */
import { roundHalfUpToFen, yuan, yuanOfSafe } from './numbers.js';
import type { CustomerTotals } from './totals.js';

export type Basis = 'price_diff' | 'fraud_loss' | 'delayed_funds' | 'fee_refund' | 'fixed' | 'goodwill';

/** Amounts in fen. */
export interface CompensationPolicy {
  /** Highest compensation of a customer (null: no cap). */
  capFen: bigint | null;
  /** A loss below this (or zero) gets the goodwill amount instead. Default 0. */
  minFen: bigint;
  /** What a customer whose loss is zero or below `minFen` is offered. Default 0. */
  goodwillFen: bigint;
}

export const NO_POLICY: CompensationPolicy = { capFen: null, minFen: 0n, goodwillFen: 0n };

/** One customer's result. Amounts in fen (minor units) and as yuan strings with two places. */
export interface CustomerAssessment {
  customer: string;
  /** The items (orders, transfers, fees...) of the customer that were assessed. */
  items: number;
  lossFen: bigint;
  compensationFen: bigint;
  loss: string;
  compensation: string;
  basis: Basis;
}

export interface AssessmentTotals {
  customers: number;
  /** Customers offered the goodwill amount. */
  goodwillCustomers: number;
  totalLossFen: bigint;
  totalCompensationFen: bigint;
}

/** The decision for one customer whose loss is `lossFen`. */
export function decide(
  lossFen: bigint,
  policy: CompensationPolicy,
  basis: Basis,
): { compensationFen: bigint; basis: Basis } {
  if (lossFen === 0n || lossFen < policy.minFen) return { compensationFen: policy.goodwillFen, basis: 'goodwill' };
  return { compensationFen: policy.capFen !== null && lossFen > policy.capFen ? policy.capFen : lossFen, basis };
}

/**
 * Every customer of `totals` (units at `divisor` per fen), sorted by customer id, with their decision;
 * `totals` are added up into `sum` as they go.
 */
export function* decideAll(
  totals: CustomerTotals,
  divisor: number,
  policy: CompensationPolicy,
  basis: Basis,
  sum: AssessmentTotals,
): Generator<CustomerAssessment> {
  const { order, ids } = totals.sorted();
  for (const i of order) {
    const c = totals.customer(i, ids);
    const rounded = roundHalfUpToFen(c.units, divisor);
    const lossFen = typeof rounded === 'bigint' ? rounded : BigInt(rounded);
    const d = decide(lossFen, policy, basis);
    sum.customers++;
    if (d.basis === 'goodwill') sum.goodwillCustomers++;
    sum.totalLossFen += lossFen;
    sum.totalCompensationFen += d.compensationFen;
    yield {
      customer: c.id,
      items: c.items,
      lossFen,
      compensationFen: d.compensationFen,
      loss: typeof rounded === 'number' ? yuanOfSafe(rounded) : yuan(lossFen),
      compensation: yuan(d.compensationFen),
      basis: d.basis,
    };
  }
}

export const emptyTotals = (): AssessmentTotals => ({
  customers: 0,
  goodwillCustomers: 0,
  totalLossFen: 0n,
  totalCompensationFen: 0n,
});
