/** HTTP routes for customer complaints. */
import { Complaint, ComplaintCreate } from '../../../shared/ingest-schemas.js';
import { defineRoute, type AnyRoute } from '../../http/route.js';
import { actorOf } from '../auth/index.js';
import type { ComplaintService } from './complaint.service.js';

const tags = ['ingest'];

export function complaintRoutes(deps: { complaints: ComplaintService }): AnyRoute[] {
  const { complaints } = deps;
  return [
    defineRoute({
      method: 'POST',
      url: '/api/v1/complaints',
      tags,
      access: 'complaint.create',
      summary:
        'Record a customer complaint (call centre, app, web, email, social media, branch); detection sees it as an event',
      body: ComplaintCreate,
      response: { status: 201, schema: Complaint },
      handler: ({ principal, body }) => complaints.create(actorOf(principal), body),
    }),
  ] as AnyRoute[];
}
