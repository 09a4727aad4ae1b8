/**
 * The methods that add up amounts per customer from one CSV row per item (docs/compensation.md):
 * - `fraud-loss`   unauthorized transfers and trades in a taken-over account, net of what was recovered:
 *                  columns `customer, amount, recovered` (+ optional `account, reference, time`);
 *                  loss of a row = amount - recovered (recovered empty = 0, never above amount).
 * - `delayed-funds` interest on funds that could not be withdrawn or used: `customer, amount` and either
 *                  `days` or `from, to` (dates YYYY-MM-DD, days = to - from); loss of a row =
 *                  amount x rate% x days / day-count basis (365 by default, or 360).
 * - `fee-refund`   fees charged for what the incident spoilt: `customer, fee`; loss = the fees.
 * - `fixed`        the customers of a list (`customer`), each offered the same amount once.
 * Amounts are yuan with up to 4 decimals; sums are exact, rounded half-up to the fen per customer.
 * fraud-loss, delayed-funds and fee-refund go through the policy (cap, min, goodwill); fixed does not.
 */
import { numberProblem, parseInstant, parseScaled, roundHalfUpToFen, yuan } from './numbers.js';
import {
  type AssessmentTotals,
  type Basis,
  type CompensationPolicy,
  type CustomerAssessment,
  decide,
} from './policy.js';
import { CustomerTotals } from './totals.js';

export type ItemMethodName = 'fraud-loss' | 'delayed-funds' | 'fee-refund' | 'fixed';

/** Decimal places of amounts in these methods' files. */
export const AMOUNT_DECIMALS = 4;
/** Decimal places of `--rate` (percent a year). */
export const RATE_DECIMALS = 6;

export interface ItemParams {
  policy: CompensationPolicy;
  /** delayed-funds: annual rate in percent, at RATE_DECIMALS (1.5 % = 1_500_000). */
  rate?: number;
  /** delayed-funds: days in the year of the day count (365 or 360). */
  dayBasis?: 365 | 360;
  /** fixed: the amount per customer, in fen. */
  amountFen?: bigint;
}

interface MethodDef {
  columns: readonly string[];
  optional: readonly string[];
  basis: Basis;
  /** Loss units per fen. */
  divisor: (p: ItemParams) => number;
  /** A row's loss in units, or why it is skipped. */
  units: (v: readonly string[], p: ItemParams) => number | bigint | string;
}

const amount = (s: string, what: string, allowZero: boolean): number | string => {
  const v = parseScaled(s, AMOUNT_DECIMALS);
  if (v < 0) return numberProblem(v, what, AMOUNT_DECIMALS);
  if (v === 0 && !allowZero) return `${what} must be positive`;
  return v;
};

const checkTime = (s: string): string | null => {
  if (s === '') return null;
  const t = parseInstant(s);
  if (t === Number.NEGATIVE_INFINITY) return 'time without offset (ISO-8601 with Z or ±HH:MM)';
  return Number.isNaN(t) ? 'time is not an ISO-8601 time' : null;
};

/** Days since 1970-01-01 of a YYYY-MM-DD date, or NaN. */
function dayOf(s: string): number {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(s)) return Number.NaN;
  const t = parseInstant(`${s}T00:00Z`);
  return Number.isNaN(t) ? Number.NaN : t / 86_400_000_000;
}

export const METHODS: Record<ItemMethodName, MethodDef> = {
  'fraud-loss': {
    columns: ['customer', 'amount', 'recovered', 'account', 'reference', 'time'],
    optional: ['recovered', 'account', 'reference', 'time'],
    basis: 'fraud_loss',
    divisor: () => 10 ** (AMOUNT_DECIMALS - 2),
    units: (v) => {
      const a = amount(v[1]!, 'amount', false);
      if (typeof a === 'string') return a;
      const r = v[2] === '' ? 0 : amount(v[2]!, 'recovered', true);
      if (typeof r === 'string') return r;
      if (r > a) return 'recovered is more than the amount';
      return checkTime(v[5]!) ?? a - r;
    },
  },
  'delayed-funds': {
    columns: ['customer', 'amount', 'days', 'from', 'to', 'account'],
    optional: ['days', 'from', 'to', 'account'],
    basis: 'delayed_funds',
    // amount (10^-4 yuan) x rate (10^-6 %, so 10^-8 of one) x days / basis
    divisor: (p) => 10 ** (AMOUNT_DECIMALS + RATE_DECIMALS + 2 - 2) * (p.dayBasis ?? 365),
    units: (v, p) => {
      const a = amount(v[1]!, 'amount', false);
      if (typeof a === 'string') return a;
      let days: number;
      if (v[2] !== '') {
        days = parseScaled(v[2]!, 0);
        if (days < 0) return numberProblem(days, 'days', 0);
      } else {
        if (v[3] === '' || v[4] === '') return 'days, or from and to, are required';
        const from = dayOf(v[3]!);
        const to = dayOf(v[4]!);
        if (Number.isNaN(from)) return 'from is not a date (YYYY-MM-DD)';
        if (Number.isNaN(to)) return 'to is not a date (YYYY-MM-DD)';
        days = to - from;
      }
      if (days <= 0) return 'the delay must be at least one day';
      return BigInt(a) * BigInt(p.rate ?? 0) * BigInt(days);
    },
  },
  'fee-refund': {
    columns: ['customer', 'fee', 'account', 'reference'],
    optional: ['account', 'reference'],
    basis: 'fee_refund',
    divisor: () => 10 ** (AMOUNT_DECIMALS - 2),
    units: (v) => amount(v[1]!, 'fee', true),
  },
  fixed: {
    columns: ['customer'],
    optional: [],
    basis: 'fixed',
    divisor: () => 1,
    units: () => 0,
  },
};

export interface ItemSummary extends AssessmentTotals {
  rowsRead: number;
  skipped: number;
}

/** One run of an item method: rows in (`row`), customers out (`results`). */
export class ItemAssessment {
  private readonly totals = new CustomerTotals();
  private readonly def: MethodDef;
  private rowsRead = 0;
  private skipped = 0;

  constructor(
    readonly method: ItemMethodName,
    private readonly params: ItemParams,
    private readonly onProblem: (line: number, reason: string) => void,
  ) {
    this.def = METHODS[method];
  }

  get columns(): readonly string[] {
    return this.def.columns;
  }

  get optional(): readonly string[] {
    return this.def.optional;
  }

  /** A row, values in the order of `columns` ('' for an absent optional column). */
  row(values: readonly string[], line: number): void {
    this.rowsRead++;
    const units = values[0] === '' ? 'customer is empty' : this.def.units(values, this.params);
    if (typeof units === 'string') {
      this.skipped++;
      this.onProblem(line, units);
      return;
    }
    this.totals.add(this.totals.indexOf(values[0]!), units);
  }

  /** A row found bad before its values could be read (the CSV layer's report). */
  badRow(line: number, reason: string): void {
    this.rowsRead++;
    this.skipped++;
    this.onProblem(line, reason);
  }

  /** The customers, sorted by id; `summary` is complete once the generator is done. */
  results(): { customers: Generator<CustomerAssessment>; summary: ItemSummary } {
    const summary: ItemSummary = {
      customers: 0,
      goodwillCustomers: 0,
      totalLossFen: 0n,
      totalCompensationFen: 0n,
      rowsRead: this.rowsRead,
      skipped: this.skipped,
    };
    return { customers: this.decideAll(summary), summary };
  }

  private *decideAll(sum: ItemSummary): Generator<CustomerAssessment> {
    const divisor = this.def.divisor(this.params);
    const { order, ids } = this.totals.sorted();
    for (const i of order) {
      const c = this.totals.customer(i, ids);
      const rounded = roundHalfUpToFen(c.units, divisor);
      const lossFen = typeof rounded === 'bigint' ? rounded : BigInt(rounded);
      const d =
        this.method === 'fixed'
          ? { compensationFen: this.params.amountFen ?? 0n, basis: 'fixed' as const }
          : decide(lossFen, this.params.policy, this.def.basis);
      sum.customers++;
      if (d.basis === 'goodwill') sum.goodwillCustomers++;
      sum.totalLossFen += lossFen;
      sum.totalCompensationFen += d.compensationFen;
      yield {
        customer: c.id,
        items: c.items,
        lossFen,
        compensationFen: d.compensationFen,
        loss: yuan(lossFen),
        compensation: yuan(d.compensationFen),
        basis: d.basis,
      };
    }
  }
}
