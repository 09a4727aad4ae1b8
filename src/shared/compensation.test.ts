/** The pure parts of compensation: yuan strings to fen exactly, the status machine, tiers by amount and role, goodwill by tier. */
import { describe, expect, it } from 'vitest';
import {
  bucketWidth,
  CLAIM_STATUSES,
  CLAIM_TRANSITIONS,
  canMove,
  DEFAULT_COMPENSATION_POLICY as P,
  goodwillFor,
  roleCap,
  tierFor,
  yuanToMinor,
} from './compensation.js';

describe('compensation rules', () => {
  it('reads yuan with at most two places exactly, and nothing else', () => {
    expect(yuanToMinor('1234.56')).toBe(123456);
    expect(yuanToMinor('0.1')).toBe(10);
    expect(yuanToMinor('5000')).toBe(500000);
    expect(yuanToMinor('9999999999999.99')).toBe(999999999999999);
    for (const bad of ['-1', '1.005', '1e3', '', '１２', '1,000.00', 'NaN']) expect(yuanToMinor(bad), bad).toBeNull();
  });

  it('has one status machine: paid is final, approval only after acceptance', () => {
    expect(Object.keys(CLAIM_TRANSITIONS).sort()).toEqual([...CLAIM_STATUSES].sort());
    expect(CLAIM_TRANSITIONS.paid).toEqual([]);
    expect(canMove('accepted', 'approved')).toBe(true);
    expect(canMove('offered', 'approved')).toBe(false);
    expect(canMove('approved', 'offered')).toBe(true); // an edit after approval: approval again
    expect(canMove('declined', 'paid')).toBe(false);
    for (const from of CLAIM_STATUSES) expect(canMove(from, 'paid')).toBe(from === 'approved');
  });

  it('picks the tier by amount, at each cap inclusive', () => {
    expect(tierFor(P, 0).key).toBe('lead');
    expect(tierFor(P, 500_000).key).toBe('lead');
    expect(tierFor(P, 500_001).key).toBe('compliance');
    expect(tierFor(P, 10_000_000).key).toBe('compliance');
    expect(tierFor(P, 10_000_001)).toMatchObject({ key: 'second_approver', approvers: 2 });
  });

  it('caps what a role may approve by its tiers', () => {
    expect(roleCap(P, 'incident_commander')).toBe(500_000);
    expect(roleCap(P, 'compliance')).toBeNull();
    expect(roleCap(P, 'customer_service')).toBeUndefined();
  });

  it('chooses the goodwill gesture by customer tier, else the default', () => {
    expect(goodwillFor(P, 'VIP')).toEqual({ kind: 'service_upgrade', amountMinor: 0 });
    expect(goodwillFor(P, 'standard')).toEqual({ kind: 'fee_waiver', amountMinor: 0 });
    expect(goodwillFor(P, null)).toEqual({ kind: 'fee_waiver', amountMinor: 0 });
  });

  it('buckets a distribution by round amounts, the largest amount inside the last bucket', () => {
    // 1,234.56 yuan in ten buckets: 200-yuan buckets (0-200, ..., 1,200-1,400).
    expect(bucketWidth(123_456)).toBe(20_000);
    expect(bucketWidth(100_000)).toBe(20_000);
    expect(bucketWidth(99_999)).toBe(10_000);
    expect(bucketWidth(50_000, 5)).toBe(20_000);
    expect(bucketWidth(0)).toBe(1);
    for (const max of [1, 9, 10, 49, 50, 51, 999, 1000, 123_456_789]) {
      const w = bucketWidth(max);
      expect(Math.floor(max / w), String(max)).toBeLessThan(10);
      expect(String(w)).toMatch(/^[125]0*$/);
    }
  });
});
