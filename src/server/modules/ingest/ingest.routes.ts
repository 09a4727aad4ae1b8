/** HTTP routes for event ingest. */
import { EventBatch, EventObject, IngestQuery, IngestResult } from '../../../shared/ingest-schemas.js';
import { defineRoute, type AnyRoute } from '../../http/route.js';
import type { IngestService } from './ingest.service.js';

const tags = ['ingest'];
const header = (v: string | string[] | undefined) => (Array.isArray(v) ? v.join(',') : v);

export function ingestRoutes(deps: { ingest: IngestService }): AnyRoute[] {
  const { ingest } = deps;
  return [
    defineRoute({
      method: 'POST',
      url: '/api/v1/events',
      tags,
      access: 'event.ingest',
      summary:
        'Ingest events: a JSON array or NDJSON (application/x-ndjson), optionally Content-Encoding: gzip; ?source= names the ingest source',
      query: IngestQuery,
      // NDJSON is documented by the object each line holds.
      raw: {
        bodyLimit: ingest.limits.bodyLimitBytes,
        content: { 'application/json': EventBatch, 'application/x-ndjson': EventObject },
      },
      response: { status: 202, schema: IngestResult },
      handler: ({ req, query }) =>
        ingest.ingestBody(query.source, Buffer.isBuffer(req.body) ? req.body : undefined, {
          contentType: header(req.headers['content-type']),
          contentEncoding: header(req.headers['content-encoding']),
        }),
    }),
  ] as AnyRoute[];
}
