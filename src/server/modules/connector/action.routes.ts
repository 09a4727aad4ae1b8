/** HTTP routes for containment action runs. */
import { z } from 'zod';
import { ActionRejectBody, ActionRequestBody, ActionRun } from '../../../shared/connector-schemas.js';
import { defineRoute, type AnyRoute } from '../../http/route.js';
import type { ActionService } from './action.service.js';

const IdParams = z.strictObject({ id: z.string().min(1).max(64) });
const KeyParams = z.strictObject({ key: z.string().min(1).max(32) });
const tags = ['actions'];

export function actionRoutes(deps: { actions: ActionService }): AnyRoute[] {
  const { actions } = deps;
  return [
    defineRoute({
      method: 'GET',
      url: '/api/v1/incidents/:key/actions',
      summary: "An incident's containment actions with their state",
      tags,
      access: 'action.read',
      params: KeyParams,
      response: { status: 200, schema: z.object({ items: z.array(ActionRun) }) },
      handler: async ({ principal, params }) => ({ items: await actions.listForIncident(principal, params.key) }),
    }),
    defineRoute({
      method: 'POST',
      url: '/api/v1/incidents/:key/actions',
      summary: 'Ask for a containment action on an incident (high-risk actions need a second person)',
      tags,
      access: 'action.request',
      params: KeyParams,
      body: ActionRequestBody,
      response: { status: 201, schema: ActionRun },
      handler: ({ principal, params, body }) => actions.requestForIncident(principal, params.key, body),
    }),
    defineRoute({
      method: 'GET',
      url: '/api/v1/actions/:id',
      summary: 'One action run: state, request and response (secrets redacted)',
      tags,
      access: 'action.read',
      params: IdParams,
      response: { status: 200, schema: ActionRun },
      handler: ({ principal, params }) => actions.get(principal, params.id),
    }),
    defineRoute({
      method: 'POST',
      url: '/api/v1/actions/:id/approve',
      summary: 'Approve an action awaiting approval (two-person rule: not by its requester)',
      tags,
      access: 'action.approve',
      params: IdParams,
      response: { status: 200, schema: ActionRun },
      handler: ({ principal, params }) => actions.approve(principal, params.id),
    }),
    defineRoute({
      method: 'POST',
      url: '/api/v1/actions/:id/reject',
      summary: 'Reject an action awaiting approval, with the reason',
      tags,
      access: 'action.approve',
      params: IdParams,
      body: ActionRejectBody,
      response: { status: 200, schema: ActionRun },
      handler: ({ principal, params, body }) => actions.reject(principal, params.id, body.reason),
    }),
    defineRoute({
      method: 'POST',
      url: '/api/v1/actions/:id/rollback',
      summary: 'Roll back a succeeded action that defines a rollback',
      tags,
      access: 'action.request',
      params: IdParams,
      response: { status: 202, schema: ActionRun },
      handler: ({ principal, params }) => actions.rollback(principal, params.id),
    }),
  ] as AnyRoute[];
}
