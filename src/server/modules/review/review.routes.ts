/** HTTP routes of post-incident reviews: the list, an incident's review, editing, its action items, the workflow. */
import { z } from 'zod';
import {
  Review,
  ReviewActionItemCreate,
  ReviewLangQuery,
  ReviewList,
  ReviewListQuery,
  ReviewUpdate,
} from '../../../shared/review-schemas.js';
import { IncidentKey } from '../../../shared/incident-schemas.js';
import { disposition } from '../../http/disposition.js';
import { defineRoute, type AnyRoute } from '../../http/route.js';
import type { ReviewService } from './review.service.js';

const tags = ['reviews'];
const KeyParams = z.strictObject({ key: IncidentKey });
const base = '/api/v1/incidents/:key/review';
const one = { status: 200, schema: Review };

export function reviewRoutes(deps: { reviews: ReviewService }): AnyRoute[] {
  const reviews = deps.reviews;
  const step = (
    path: string,
    summary: string,
    access: 'review.write' | 'review.manage',
    run: (p: Parameters<ReviewService['submit']>[0], key: string) => Promise<Review>,
  ) =>
    defineRoute({
      method: 'POST',
      url: `${base}/${path}`,
      summary,
      tags,
      access,
      params: KeyParams,
      response: one,
      handler: ({ principal, params }) => run(principal, params.key),
    });
  const file = (format: 'pdf' | 'docx') =>
    defineRoute({
      method: 'GET',
      url: `${base}/review.${format}`,
      summary: `The review as ${format.toUpperCase()} ("DRAFT" until closed), ?lang=zh-CN|en; a download is audited`,
      tags,
      access: 'review.read',
      params: KeyParams,
      query: ReviewLangQuery,
      response: { status: 200, contentType: 'application/octet-stream' },
      handler: async ({ principal, params, query, reply }) => {
        const f = await reviews.export(principal, params.key, format, query.lang);
        reply.header('content-type', f.type).header('content-disposition', disposition(f.name));
        return f.content;
      },
    });
  return [
    file('pdf'),
    file('docx'),
    defineRoute({
      method: 'GET',
      url: '/api/v1/reviews',
      summary: 'Post-incident reviews, soonest due first: ?state= (draft, in_review, closed, or open), overdue=true',
      tags,
      access: 'review.read',
      query: ReviewListQuery,
      response: { status: 200, schema: ReviewList },
      handler: ({ principal, query }) => reviews.list(principal, query),
    }),
    defineRoute({
      method: 'GET',
      url: base,
      summary:
        "The incident's review: facts filled from the data (milestones, durations, timeline, regulators, tasks, actions, customers, compensation), the written sections, factors with five whys, action items",
      tags,
      access: 'review.read',
      params: KeyParams,
      response: one,
      handler: ({ principal, params }) => reviews.get(principal, params.key),
    }),
    defineRoute({
      method: 'POST',
      url: base,
      summary: 'Open a review by hand for a resolved incident that has none (grade IV, a drill); 409 when it has one',
      tags,
      access: 'review.manage',
      params: KeyParams,
      response: { status: 201, schema: Review },
      handler: async ({ principal, params, reply }) => {
        reply.code(201);
        return reviews.open(principal, params.key);
      },
    }),
    defineRoute({
      method: 'PUT',
      url: base,
      summary:
        'Edit the written sections (those given) and the contributing factors; a new revision (409 once closed or on a stale revision)',
      tags,
      access: 'review.write',
      params: KeyParams,
      body: ReviewUpdate,
      response: one,
      handler: ({ principal, params, body }) => reviews.update(principal, params.key, body),
    }),
    defineRoute({
      method: 'POST',
      url: `${base}/action-items`,
      summary: 'Add an action item to the review (owner, due date, priority, what it treats)',
      tags,
      access: 'review.write',
      params: KeyParams,
      body: ReviewActionItemCreate,
      response: { status: 201, schema: Review },
      handler: async ({ principal, params, body, reply }) => {
        reply.code(201);
        return reviews.addActionItem(principal, params.key, body);
      },
    }),
    step('submit', 'Send the draft to review', 'review.write', (p, k) => reviews.submit(p, k)),
    step(
      'close',
      'Close the review in review: 409 naming the action items not done, cancelled or accepted as a risk',
      'review.manage',
      (p, k) => reviews.close(p, k),
    ),
  ] as AnyRoute[];
}
