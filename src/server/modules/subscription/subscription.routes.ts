/** Staff API of status-site subscriptions: counts and the masked list, webhook subscribers, deleting a subscriber. */
import { z } from 'zod';
import {
  SubscriberItem,
  SubscriberOverview,
  SubscriberQuery,
  WebhookCreate,
  WebhookUpdate,
} from '../../../shared/subscription-schemas.js';
import { defineRoute, type AnyRoute } from '../../http/route.js';
import type { SubscriptionAdmin } from './subscription-admin.service.js';

const tags = ['status'];
const IdParams = z.strictObject({ id: z.string().min(1).max(64) });

export function subscriptionRoutes(deps: { subscriptionAdmin: SubscriptionAdmin }): AnyRoute[] {
  const admin = deps.subscriptionAdmin;
  return [
    defineRoute({
      method: 'GET',
      url: '/api/v1/status/subscribers',
      summary: 'Subscribers of the status site: counts by state, language, kind and service, and a masked list',
      tags,
      access: 'subscriber.read',
      query: SubscriberQuery,
      response: { status: 200, schema: SubscriberOverview },
      handler: ({ principal, query }) => admin.overview(principal, query),
    }),
    defineRoute({
      method: 'POST',
      url: '/api/v1/status/subscribers/webhooks',
      summary: 'Add a webhook subscriber (a signed JSON POST on every publication)',
      tags,
      access: 'subscriber.manage',
      body: WebhookCreate,
      response: { status: 201, schema: SubscriberItem },
      handler: ({ principal, body }) => admin.createWebhook(principal, body),
    }),
    defineRoute({
      method: 'PATCH',
      url: '/api/v1/status/subscribers/webhooks/:id',
      summary: 'Change a webhook subscriber (name, URL, secret, language, services)',
      tags,
      access: 'subscriber.manage',
      params: IdParams,
      body: WebhookUpdate,
      response: { status: 200, schema: SubscriberItem },
      handler: ({ principal, params, body }) => admin.updateWebhook(principal, params.id, body),
    }),
    defineRoute({
      method: 'DELETE',
      url: '/api/v1/status/subscribers/:id',
      summary: 'Delete a subscriber (email or webhook)',
      tags,
      access: 'subscriber.manage',
      params: IdParams,
      response: { status: 204 },
      handler: ({ principal, params }) => admin.remove(principal, params.id),
    }),
  ];
}
