/** Review dates: calendar months after approval (UTC), kept within the month; flagged once passed. */
import { describe, expect, it } from 'vitest';
import type { Plan } from '../../../shared/plan-schemas.js';
import { addMonths, toSummary } from './plan.mapper.js';

const at = (iso: string) => Date.parse(iso);

describe('addMonths', () => {
  it.each([
    ['2026-01-15T08:00:00.000Z', 1, '2026-02-15T08:00:00.000Z'],
    ['2026-01-31T08:00:00.000Z', 1, '2026-02-28T08:00:00.000Z'],
    ['2028-01-31T08:00:00.000Z', 1, '2028-02-29T08:00:00.000Z'],
    ['2026-03-31T23:59:59.999Z', 12, '2027-03-31T23:59:59.999Z'],
    ['2026-12-03T02:00:00.000Z', 6, '2027-06-03T02:00:00.000Z'],
    ['2026-08-31T00:00:00.000Z', 6, '2027-02-28T00:00:00.000Z'],
    ['2026-05-10T00:00:00.000Z', 36, '2029-05-10T00:00:00.000Z'],
  ])('%s + %i months = %s', (from, months, to) => {
    expect(new Date(addMonths(at(from), months)).toISOString()).toBe(to);
  });
});

describe('toSummary', () => {
  const plan = { id: 'p', name_zh: '预案', name_en: 'Plan', created_at: 0, updated_at: 0 };
  const document = { review_period_months: 12 } as Plan;
  const approvedAt = at('2026-01-31T00:00:00.000Z');
  const summary = (now: number, active = true) =>
    toSummary({
      plan,
      latest: { version: 2, status: 'draft' },
      active: active ? { version: 1, approvedAt, document } : null,
      now,
    });

  it('is due from the review date on', () => {
    expect(summary(at('2027-01-30T23:59:59.999Z'))).toMatchObject({
      reviewDue: false,
      reviewDueAt: '2027-01-31T00:00:00.000Z',
    });
    expect(summary(at('2027-01-31T00:00:00.000Z')).reviewDue).toBe(true);
  });

  it('has no review date without an active version', () => {
    expect(summary(at('2030-01-01T00:00:00.000Z'), false)).toMatchObject({
      reviewDue: false,
      reviewDueAt: null,
      activeVersion: null,
      latestVersion: 2,
      status: 'draft',
    });
  });
});
