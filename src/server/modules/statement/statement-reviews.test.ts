import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../platform/config.js';
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

  it('reads TOCSIN_STATEMENT_REVIEWS, and refuses a kind or review it does not know', () => {
    const config = loadConfig({ TOCSIN_STATEMENT_REVIEWS: '{"holding_statement":["communications","compliance"]}' });
    expect(reviewsFor('holding_statement', config.statementReviews)).toEqual(['communications', 'compliance']);
    expect(reviewsFor('media_statement', config.statementReviews)).toEqual(['communications', 'compliance', 'legal']);
    expect(loadConfig({}).statementReviews).toBeNull();
    expect(() => loadConfig({ TOCSIN_STATEMENT_REVIEWS: '{"press_release":["communications"]}' })).toThrow(
      /TOCSIN_STATEMENT_REVIEWS/,
    );
    expect(() => loadConfig({ TOCSIN_STATEMENT_REVIEWS: '{"qa_pack":["marketing"]}' })).toThrow(
      /TOCSIN_STATEMENT_REVIEWS/,
    );
    expect(() => loadConfig({ TOCSIN_STATEMENT_REVIEWS: 'communications' })).toThrow(/must be JSON/);
  });
});
