/** HTTP routes for durable jobs (administrators: dead jobs and retrying them). */
import { z } from 'zod';
import { Job, JobQuery } from '../../../shared/job-schemas.js';
import { defineRoute, type AnyRoute } from '../../http/route.js';
import type { JobsService } from './jobs.service.js';

const tags = ['jobs'];

export function jobsRoutes(deps: { jobs: JobsService }): AnyRoute[] {
  const { jobs } = deps;
  return [
    defineRoute({
      method: 'GET',
      url: '/api/v1/jobs',
      summary: 'Durable jobs, newest change first (`state=dead`: what failed on every attempt)',
      tags,
      access: 'job.read',
      query: JobQuery,
      response: { status: 200, schema: z.object({ items: z.array(Job), next: z.string().nullable() }) },
      handler: ({ principal, query }) =>
        jobs.list(principal, { state: query.state, kind: query.kind }, query.cursor, query.limit),
    }),
    defineRoute({
      method: 'POST',
      url: '/api/v1/jobs/:id/retry',
      summary: 'Queue a dead job again from its first attempt',
      tags,
      access: 'job.manage',
      params: z.strictObject({ id: z.string().min(1).max(64) }),
      response: { status: 204 },
      handler: ({ principal, params }) => jobs.retry(principal, params.id),
    }),
  ];
}
