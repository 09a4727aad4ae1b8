/** The read-only TAXII 2.1 endpoints (taxii.ts): every answer is `application/taxii+json;version=2.1`. */
import type { FastifyReply } from 'fastify';
import { z } from 'zod';
import { defineRoute, type AnyRoute } from '../../http/route.js';
import { MAX_LIMIT, TAXII_MEDIA_TYPE, type Taxii } from './taxii.js';

const tags = ['taxii'];
const CollectionParams = z.strictObject({ id: z.string().min(1).max(64) });
const ObjectsQuery = z
  .object({
    added_after: z.string().max(64).optional(),
    limit: z.coerce.number().int().min(1).max(MAX_LIMIT).optional(),
    next: z.string().max(500).optional(),
  })
  .loose();
const response = { status: 200, contentType: TAXII_MEDIA_TYPE };
/**
 * The media type exactly as TAXII 2.1 writes it: sent as bytes, since Fastify rewrites a JSON media type
 * of a text or object body (quotes the version, adds a charset) and clients compare the string.
 */
const taxii = (reply: FastifyReply, body: unknown) =>
  reply.header('content-type', TAXII_MEDIA_TYPE).send(Buffer.from(JSON.stringify(body)));

export function taxiiRoutes(deps: { taxii: Taxii }): AnyRoute[] {
  const t = deps.taxii;
  return [
    defineRoute({
      method: 'GET',
      url: '/taxii2/',
      summary: 'TAXII 2.1 discovery',
      tags,
      access: 'ioc.read',
      response,
      handler: async ({ principal, reply }) => taxii(reply, t.discovery(principal)),
    }),
    defineRoute({
      method: 'GET',
      url: '/taxii2/api/',
      summary: 'TAXII 2.1 API root',
      tags,
      access: 'ioc.read',
      response,
      handler: async ({ principal, reply }) => taxii(reply, t.apiRoot(principal)),
    }),
    defineRoute({
      method: 'GET',
      url: '/taxii2/api/collections/',
      summary: 'TAXII 2.1 collections (one: the shareable indicators)',
      tags,
      access: 'ioc.read',
      response,
      handler: async ({ principal, reply }) => taxii(reply, t.collections(principal)),
    }),
    defineRoute({
      method: 'GET',
      url: '/taxii2/api/collections/:id/',
      summary: 'TAXII 2.1 collection',
      tags,
      access: 'ioc.read',
      params: CollectionParams,
      response,
      handler: async ({ principal, params, reply }) => taxii(reply, t.collection(principal, params.id)),
    }),
    defineRoute({
      method: 'GET',
      url: '/taxii2/api/collections/:id/objects/',
      summary: 'TAXII 2.1 objects: indicators of TLP:CLEAR and GREEN IOCs, not revoked (added_after, limit, next)',
      tags,
      access: 'ioc.read',
      params: CollectionParams,
      query: ObjectsQuery,
      response,
      handler: async ({ principal, params, query, reply }) => {
        const page = await t.objects(principal, params.id, query);
        if (page.first) reply.header('X-TAXII-Date-Added-First', page.first);
        if (page.last) reply.header('X-TAXII-Date-Added-Last', page.last);
        return taxii(reply, page.envelope);
      },
    }),
  ];
}
