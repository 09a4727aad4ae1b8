/**
 * Post-incident reviews (复盘, issue 16, docs/reviews.md): opened when an incident is resolved, facts filled
 * from the data, blameless sections and five whys, action items tracked to closure.
 */
export { reviewRoutes } from './review.routes.js';
export { createReviewService, type ReviewService } from './review.service.js';
export { PUBLIC_STATEMENT_KINDS } from './review-filled.js';
