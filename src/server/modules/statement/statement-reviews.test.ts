import { describe, expect, it } from 'vitest';
import { assignReviews, reviewsFor, wouldFill } from './statement-reviews.js';

describe('statement reviews', () => {
  it('uses the defaults, overridden per kind by configuration', () => {
    expect(reviewsFor('media_statement', null)).toEqual(['communications', 'compliance', 'legal']);
    expect(reviewsFor('qa_pack', null)).toEqual(['communications']);
    expect(reviewsFor('status_update', { status_update: ['communications', 'compliance'] })).toEqual([
      'communications',
      'compliance',
    ]);
  });

  it('places an admin where the others need them least, whatever the order approvals came in', () => {
    const admin = { userId: 'a', role: 'admin' };
    const comms = { userId: 'c', role: 'communications' };
    expect(assignReviews(['communications', 'compliance'], [admin, comms])).toEqual([1, 0]);
    expect(wouldFill(['communications', 'compliance'], [admin], comms)).toBe(true);
    expect(wouldFill(['communications'], [comms], admin)).toBe(false);
  });
});
