/** HTTP routes of action items: list with filters, read with history, create, edit, status changes. */
import { z } from 'zod';
import {
  ActionItemCreateBody,
  ActionItemDetail,
  ActionItemList,
  ActionItemListQuery,
  ActionItemTransition,
  ActionItemUpdate,
} from '../../../shared/action-item-schemas.js';
import { defineRoute, type AnyRoute } from '../../http/route.js';
import type { ActionItemService } from './action-item.service.js';

const tags = ['reviews'];
const IdParams = z.strictObject({ id: z.string().min(1).max(64) });
const one = { status: 200, schema: ActionItemDetail };

export function actionItemRoutes(deps: { actionItems: ActionItemService }): AnyRoute[] {
  const items = deps.actionItems;
  return [
    defineRoute({
      method: 'GET',
      url: '/api/v1/action-items',
      summary:
        'Action items, soonest due first: ?status= (or active), owner= (a user id or me), overdue=true, source=, sourceId=',
      tags,
      access: 'action_item.read',
      query: ActionItemListQuery,
      response: { status: 200, schema: ActionItemList },
      handler: ({ principal, query }) => items.list(principal, query),
    }),
    defineRoute({
      method: 'POST',
      url: '/api/v1/action-items',
      summary: "A free-standing action item, or one a drill or risk names (a review's are added through the review)",
      tags,
      access: 'action_item.write',
      body: ActionItemCreateBody,
      response: { status: 201, schema: ActionItemDetail },
      handler: async ({ principal, body, reply }) => {
        reply.code(201);
        return items.create(principal, body);
      },
    }),
    defineRoute({
      method: 'GET',
      url: '/api/v1/action-items/:id',
      summary: 'An action item with its history of changes, reminders and escalations',
      tags,
      access: 'action_item.read',
      params: IdParams,
      response: one,
      handler: ({ principal, params }) => items.get(principal, params.id),
    }),
    defineRoute({
      method: 'PATCH',
      url: '/api/v1/action-items/:id',
      summary: 'Edit title, description, owner, due date, priority or what it treats (409 on a stale version)',
      tags,
      access: 'action_item.write',
      params: IdParams,
      body: ActionItemUpdate,
      response: one,
      handler: ({ principal, params, body }) => items.update(principal, params.id, body),
    }),
    defineRoute({
      method: 'POST',
      url: '/api/v1/action-items/:id/transitions',
      summary:
        'Move it: open, in_progress, done, accepted_risk (with the reason; who accepts it is kept), cancelled (with the reason), or back to open',
      tags,
      access: 'action_item.write',
      params: IdParams,
      body: ActionItemTransition,
      response: one,
      handler: ({ principal, params, body }) => items.transition(principal, params.id, body),
    }),
  ] as AnyRoute[];
}
