/** The security officer's access review (issue 17, docs/access-review.md): accounts, sign-in methods, tokens; JSON and CSV. */
export { accessReviewCsv, type CsvLang } from './access-review-csv.js';
export { accessReviewRoutes } from './access-review.routes.js';
export { createAccessReviewService } from './access-review.service.js';
