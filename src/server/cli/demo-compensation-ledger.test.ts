import { describe, expect, it } from 'vitest';
import type { Claim, Ledger } from '../../shared/compensation-schemas.js';
import { ledgerDifferences, printLedger, yuan } from './demo-compensation-ledger.js';

const claim = (status: Claim['status'], amountMinor: number, extra: Partial<Claim> = {}) =>
  ({ status, amountMinor, currency: 'CNY', claimedMinor: null, goodwill: null, ...extra }) as Claim;
const line = (count: number, amountMinor: number) => ({ count, amountMinor });
const zero = line(0, 0);

/** The ledger the server gives for the claims below (docs/compensation-claims.md, "Ledger"). */
const ledger = (): Ledger => ({
  incidentKey: 'INC-2026-0001',
  currencies: [
    {
      currency: 'CNY',
      claims: 4,
      // approved 1,000.00 + countered at the counter-offer 600.00 (offer 500.00) + offered 20.00
      reserve: line(3, 162_000),
      proposed: zero,
      offered: line(1, 2_000),
      countered: line(1, 60_000),
      accepted: zero,
      approved: line(1, 100_000),
      paid: zero,
      declined: line(1, 0),
      inMediation: zero,
      declinedGoodwill: line(1, 5_000),
      inPayout: zero,
      payoutFailed: zero,
    },
  ],
});
const claims = [
  claim('approved', 100_000),
  claim('countered', 50_000, { claimedMinor: 60_000 }),
  claim('offered', 2_000),
  claim('declined', 0, { goodwill: { kind: 'fixed_amount', amountMinor: 5_000 } }),
];

describe('the compensation demo ledger check', () => {
  it('finds a ledger equal to the sums over the claims by status', () => {
    expect(ledgerDifferences(ledger(), claims)).toEqual([]);
  });

  it('names each line that differs', () => {
    const l = ledger();
    l.currencies[0]!.approved = line(1, 100_001);
    expect(ledgerDifferences(l, claims)).toEqual(['CNY approved: ledger 1 / 1,000.01, claims 1 / 1,000.00']);
    expect(ledgerDifferences(l, [...claims, claim('paid', 300)])).toEqual([
      'CNY claims: ledger 4, claims 5',
      'CNY approved: ledger 1 / 1,000.01, claims 1 / 1,000.00',
      'CNY paid: ledger 0 / 0.00, claims 1 / 3.00',
    ]);
  });

  it('prints yuan with separators and the lines with their labels last', () => {
    expect(yuan(25_886_500)).toBe('258,865.00');
    expect(yuan(5)).toBe('0.05');
    const out: string[] = [];
    printLedger((x) => out.push(x), ledger());
    expect(out[0]).toBe('ledger / 赔付台账 (CNY, 4 claims / 笔):');
    expect(out).toContain('     1        1,000.00  已批准 approved');
    expect(out.some((x) => x.includes('proposed'))).toBe(false);
  });
});
