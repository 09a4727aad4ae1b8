/** HTTP routes of the access review (issue 17, docs/access-review.md): JSON for the console, CSV for the file. */
import { AccessReview, AccessReviewCsvQuery, AccessReviewQuery } from '../../../shared/access-review-schemas.js';
import { disposition } from '../../http/disposition.js';
import { defineRoute, type AnyRoute } from '../../http/route.js';
import { actorOf } from '../auth/index.js';
import { accessReviewCsv } from './access-review-csv.js';
import type { AccessReviewService } from './access-review.service.js';

const tags = ['users'];

export function accessReviewRoutes(deps: { accessReview: AccessReviewService }): AnyRoute[] {
  const { accessReview } = deps;
  return [
    defineRoute({
      method: 'GET',
      url: '/api/v1/access-review',
      summary:
        'The access review: every account (role, sign-in method, MFA, last sign-in, dormant after ?dormantDays=90, sessions) and API token (owner, scopes, dates); audited',
      tags,
      access: 'access_review.read',
      query: AccessReviewQuery,
      response: { status: 200, schema: AccessReview },
      handler: ({ principal, query }) => accessReview.read(actorOf(principal), query.dormantDays, 'json'),
    }),
    defineRoute({
      method: 'GET',
      url: '/api/v1/access-review.csv',
      summary:
        'The access review as CSV (UTF-8 with BOM; accounts, an empty line, tokens; ?lang=zh|en for the headers; formula-like cells defused); audited',
      tags,
      access: 'access_review.read',
      query: AccessReviewCsvQuery,
      response: { status: 200, contentType: 'text/csv' },
      handler: async ({ principal, query, reply }) => {
        const review = await accessReview.read(actorOf(principal), query.dormantDays, 'csv');
        return reply
          .header('content-type', 'text/csv; charset=utf-8')
          .header('content-disposition', disposition(`access-review-${review.generatedAt.slice(0, 10)}.csv`))
          .header('cache-control', 'no-store')
          .send(`\uFEFF${accessReviewCsv(review, query.lang)}`);
      },
    }),
  ];
}
