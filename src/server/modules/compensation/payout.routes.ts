/** HTTP routes of payout batches: create (idempotent by id), list, one with its items, the bank file or ledger, mark paid, the bank's return file. */
import { z } from 'zod';
import { Pagination } from '../../../shared/api-schemas.js';
import {
  Batch,
  BatchCreate,
  BatchDetail,
  BatchFileQuery,
  BatchItemsQuery,
  BatchPage,
  BatchPaidBody,
  ReturnQuery,
  ReturnResult,
} from '../../../shared/compensation-payout-schemas.js';
import { disposition } from '../../http/disposition.js';
import { defineRoute, type AnyRoute } from '../../http/route.js';
import type { Compensation } from './compensation.module.js';
import { RETURN_MAX_BYTES } from './payout-return.js';

const tags = ['compensation'];
const KeyParams = z.strictObject({
  key: z.string().regex(/^INC-\d{4}-\d{4,}$/, 'an incident key such as INC-2026-0001'),
});
const BatchParams = KeyParams.extend({ id: z.string().min(1).max(64) });
const BASE = '/api/v1/incidents/:key/compensation/batches';

export function payoutRoutes(c: Compensation): AnyRoute[] {
  const { payouts, payoutFiles, returns } = c;
  return [
    defineRoute({
      method: 'POST',
      url: BASE,
      summary:
        'Create a payout batch of approved claims (201); the same id again answers the batch it made (200), never a second one',
      tags,
      access: 'compensation.pay',
      params: KeyParams,
      body: BatchCreate,
      response: { status: 201, schema: Batch },
      handler: async ({ principal, params, body, reply }) => {
        const { batch, created } = await payouts.create(principal, params.key, body);
        return created ? batch : reply.code(200).send(batch);
      },
    }),
    defineRoute({
      method: 'GET',
      url: BASE,
      summary: "An incident's payout batches with their totals, newest id first (keyset pages)",
      tags,
      access: 'compensation.read',
      params: KeyParams,
      query: Pagination,
      response: { status: 200, schema: BatchPage },
      handler: ({ principal, params, query }) => payouts.list(principal, params.key, query),
    }),
    defineRoute({
      method: 'GET',
      url: `${BASE}/:id`,
      summary: 'One payout batch with a page of its items (keyset by seq)',
      tags,
      access: 'compensation.read',
      params: BatchParams,
      query: BatchItemsQuery,
      response: { status: 200, schema: BatchDetail },
      handler: ({ principal, params, query }) => payouts.get(principal, params.key, params.id, query),
    }),
    defineRoute({
      method: 'GET',
      url: `${BASE}/:id/file`,
      summary:
        "The bank's batch file (CSV, UTF-8 or GBK; payees' names and bank accounts, an audited reveal; marks the batch exported), or ?format=ledger",
      tags,
      access: 'compensation.pay',
      params: BatchParams,
      query: BatchFileQuery,
      response: { status: 200, contentType: 'text/csv' },
      handler: async ({ principal, params, query, reply }) => {
        const f = await payoutFiles.file(principal, params.key, params.id, query);
        reply
          .header('content-type', f.type)
          .header('content-disposition', disposition(f.name))
          .header('cache-control', 'no-store');
        return reply.send(f.content);
      },
    }),
    defineRoute({
      method: 'POST',
      url: `${BASE}/:id/paid`,
      summary:
        "Mark every pending item paid with the bank's reference: their claims become paid (409 when nothing is left)",
      tags,
      access: 'compensation.pay',
      params: BatchParams,
      body: BatchPaidBody,
      response: { status: 200, schema: Batch },
      handler: ({ principal, params, body }) => payouts.markPaid(principal, params.key, params.id, body),
    }),
    defineRoute({
      method: 'POST',
      url: `${BASE}/:id/return`,
      summary:
        "Import the bank's return file (CSV body, UTF-8 or GBK): successes paid, failures freed for a later batch, bad lines reported",
      tags,
      access: 'compensation.pay',
      params: BatchParams,
      query: ReturnQuery,
      raw: { bodyLimit: RETURN_MAX_BYTES, content: { 'text/csv': undefined, 'application/octet-stream': undefined } },
      response: { status: 200, schema: ReturnResult },
      handler: ({ principal, params, query, req }) =>
        returns.importReturn(
          principal,
          params.key,
          params.id,
          Buffer.isBuffer(req.body) ? req.body : undefined,
          query.encoding,
        ),
    }),
  ];
}
