/** HTTP routes of paging: an incident's pages, paging and acknowledging, the acknowledge link, contact routes. */
import { z } from 'zod';
import { ContactRoutes, Page, PageList } from '../../../shared/page-schemas.js';
import { defineRoute, type AnyRoute } from '../../http/route.js';
import { ackPage } from './ack-page.js';
import type { PagingService } from './paging.js';

const tags = ['paging'];
const KeyParams = z.strictObject({ key: z.string().min(1).max(63) });
const IdParams = z.strictObject({ id: z.string().min(1).max(64) });
const PageCreate = z
  .strictObject({
    reason: z.string().trim().min(1).max(500),
    policyId: z.string().min(1).max(64).optional(),
    scheduleId: z.string().min(1).max(64).optional(),
    userIds: z.array(z.string().min(1).max(64)).min(1).max(50).optional(),
  })
  .refine((b) => b.policyId || b.scheduleId || b.userIds, 'name policyId, scheduleId or userIds');

export function pagingRoutes(deps: { paging: PagingService; publicUrl: string }): AnyRoute[] {
  const { paging } = deps;
  return [
    defineRoute({
      method: 'GET',
      url: '/api/v1/incidents/:key/pages',
      summary: "An incident's pages: recipients, deliveries, problems, acknowledgement",
      tags,
      access: 'page.read',
      params: KeyParams,
      response: { status: 200, schema: PageList },
      handler: ({ principal, params }) => paging.listForIncident(principal, params.key),
    }),
    defineRoute({
      method: 'POST',
      url: '/api/v1/incidents/:key/pages',
      summary: 'Page on-call staff for an incident (an escalation policy, a schedule or people)',
      tags,
      access: 'page.create',
      params: KeyParams,
      body: PageCreate,
      response: { status: 201, schema: Page },
      handler: ({ principal, params, body }) => paging.raise(principal, params.key, body),
    }),
    defineRoute({
      method: 'POST',
      url: '/api/v1/pages/:id/ack',
      summary: 'Acknowledge a page (stops its escalation)',
      tags,
      access: 'page.ack',
      params: IdParams,
      response: { status: 200, schema: Page },
      handler: ({ principal, params }) => paging.ack(principal, params.id),
    }),
    defineRoute({
      method: 'GET',
      url: '/ack/:token',
      summary: 'The signed one-time acknowledge link of a page message (an HTML page; 403 forged, 410 used or expired)',
      tags,
      access: 'public',
      params: z.strictObject({ token: z.string().min(1).max(1000) }),
      response: { status: 200, contentType: 'text/html' },
      handler: async ({ req, params, reply }) => {
        // A HEAD (link checkers, previews) must not use up the link: it answers without acknowledging.
        if (req.method === 'HEAD') return reply.code(200).type('text/html; charset=utf-8').send();
        const { status, html } = ackPage(await paging.ackByToken(params.token), deps.publicUrl);
        return reply
          .code(status)
          .header('cache-control', 'no-store')
          .header('referrer-policy', 'no-referrer')
          .type('text/html; charset=utf-8')
          .send(html);
      },
    }),
    defineRoute({
      method: 'GET',
      url: '/api/v1/users/:id/contacts',
      summary: "A person's contact routes for pages (their own, or any for an administrator)",
      tags,
      access: 'user.read',
      params: IdParams,
      response: { status: 200, schema: ContactRoutes },
      handler: ({ principal, params }) => paging.contacts(principal, params.id),
    }),
    defineRoute({
      method: 'PUT',
      url: '/api/v1/users/:id/contacts',
      summary:
        "Replace a person's contact routes, in the order they are tried (their own, or any for an administrator)",
      tags,
      access: 'contact.own',
      params: IdParams,
      body: ContactRoutes,
      response: { status: 200, schema: ContactRoutes },
      handler: ({ principal, params, body }) => paging.setContacts(principal, params.id, body),
    }),
  ];
}
