/** HTTP routes of impact scoping: activity extracts, affected-customer sets of incidents. */
import { z } from 'zod';
import {
  ActivityImportQuery,
  ActivityImportResult,
  AffectedMemberPage,
  AffectedSet,
  AffectedSetCreate,
  AffectedSetDiff,
  AffectedSetList,
  AffectedSetQuery,
  AffectedSetUpdate,
  DiffQuery,
  MemberQuery,
} from '../../../shared/scoping-schemas.js';
import { defineRoute, type AnyRoute } from '../../http/route.js';
import type { ActivityService } from './activity.service.js';
import type { AffectedSetService } from './affected-set.service.js';

const tags = ['scoping'];
const KeyParams = z.strictObject({
  key: z.string().regex(/^INC-\d{4}-\d{4,}$/, 'an incident key such as INC-2026-0001'),
});
const IdParams = z.strictObject({ id: z.string().min(1).max(64) });
const header = (v: string | string[] | undefined) => (Array.isArray(v) ? v.join(',') : v);

export function scopingRoutes(deps: {
  activity: ActivityService;
  sets: AffectedSetService;
  bodyLimitBytes: number;
}): AnyRoute[] {
  const { activity, sets } = deps;
  return [
    defineRoute({
      method: 'POST',
      url: '/api/v1/activity/imports',
      summary:
        'Import an account-activity extract: CSV with a header row (time, account, customer, ip, device, action, outcome) or NDJSON with those keys; bad lines are reported',
      tags,
      access: 'scoping.manage',
      query: ActivityImportQuery,
      raw: { bodyLimit: deps.bodyLimitBytes, content: { 'text/csv': undefined, 'application/x-ndjson': undefined } },
      response: { status: 201, schema: ActivityImportResult },
      handler: ({ principal, req, query }) =>
        activity.importBody(
          principal,
          query.file,
          Buffer.isBuffer(req.body) ? req.body : undefined,
          header(req.headers['content-type']),
        ),
    }),
    defineRoute({
      method: 'GET',
      url: '/api/v1/incidents/:key/affected-sets',
      summary: "An incident's affected-customer sets",
      tags,
      access: 'scoping.read',
      params: KeyParams,
      response: { status: 200, schema: AffectedSetList },
      handler: ({ principal, params }) => sets.list(principal, params.key),
    }),
    defineRoute({
      method: 'POST',
      url: '/api/v1/incidents/:key/affected-sets',
      summary: 'Create an affected-customer set from a definition (evaluated: version 1)',
      tags,
      access: 'scoping.manage',
      params: KeyParams,
      body: AffectedSetCreate,
      response: { status: 201, schema: AffectedSet },
      handler: ({ principal, params, body }) => sets.create(principal, params.key, body),
    }),
    defineRoute({
      method: 'GET',
      url: '/api/v1/affected-sets/:id',
      summary: 'An affected-customer set with its versions (?version= shows an older definition)',
      tags,
      access: 'scoping.read',
      params: IdParams,
      query: AffectedSetQuery,
      response: { status: 200, schema: AffectedSet },
      handler: ({ principal, params, query }) => sets.get(principal, params.id, query.version),
    }),
    defineRoute({
      method: 'PUT',
      url: '/api/v1/affected-sets/:id',
      summary: 'A new definition (and name, primary): evaluated into a new version',
      tags,
      access: 'scoping.manage',
      params: IdParams,
      body: AffectedSetUpdate,
      response: { status: 200, schema: AffectedSet },
      handler: ({ principal, params, body }) => sets.update(principal, params.id, body),
    }),
    defineRoute({
      method: 'POST',
      url: '/api/v1/affected-sets/:id/refresh',
      summary: 'Evaluate the same definition again: a new version when the members changed',
      tags,
      access: 'scoping.manage',
      params: IdParams,
      response: { status: 200, schema: AffectedSet },
      handler: ({ principal, params }) => sets.refresh(principal, params.id),
    }),
    defineRoute({
      method: 'GET',
      url: '/api/v1/affected-sets/:id/members',
      summary: 'Members of a version with their reasons (customer data masked), a page at a time',
      tags,
      access: 'scoping.read',
      params: IdParams,
      query: MemberQuery,
      response: { status: 200, schema: AffectedMemberPage },
      handler: ({ principal, params, query }) => sets.members(principal, params.id, query),
    }),
    defineRoute({
      method: 'GET',
      url: '/api/v1/affected-sets/:id/diff',
      summary: 'Members added and removed between two versions, with their reasons',
      tags,
      access: 'scoping.read',
      params: IdParams,
      query: DiffQuery,
      response: { status: 200, schema: AffectedSetDiff },
      handler: ({ principal, params, query }) => sets.diff(principal, params.id, query.from, query.to),
    }),
  ] as AnyRoute[];
}
