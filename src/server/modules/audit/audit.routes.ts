/** HTTP routes for auditors: browse, verify and export the audit chain. */
import { Readable } from 'node:stream';
import { SYSTEM_ACTOR_FILTER } from '../../../shared/audit-actions.js';
import { page } from '../../../shared/api-schemas.js';
import { AuditEntry, AuditQuery, AuditVerifyResult } from '../../../shared/audit-schemas.js';
import { defineRoute, type AnyRoute } from '../../http/route.js';
import { invalidCursor } from '../../platform/cursor.js';
import { invalid } from '../../platform/errors.js';
import { auditViewerOf, type AuditService } from './audit.service.js';

const tags = ['audit'];

export function auditRoutes(deps: { audit: AuditService }): AnyRoute[] {
  const { audit } = deps;
  return [
    defineRoute({
      method: 'GET',
      url: '/api/v1/audit',
      summary: 'Audit entries, newest first (without those about incidents the caller may not see)',
      tags,
      access: 'audit.read',
      query: AuditQuery,
      response: { status: 200, schema: page(AuditEntry) },
      handler: ({ principal, query }) => {
        if (query.cursor && !/^\d{1,15}$/.test(query.cursor)) throw invalidCursor();
        const from = query.from === undefined ? undefined : Date.parse(query.from);
        const to = query.to === undefined ? undefined : Date.parse(query.to);
        if (from !== undefined && to !== undefined && from >= to)
          throw invalid(
            'the time range is empty: "to" must be after "from"',
            [{ path: 'to', message: 'must be after from', code: 'not_after_start' }],
            { code: 'audit.empty_range' },
          );
        return audit.list(
          {
            action: query.action,
            targetType: query.targetType,
            targetId: query.targetId,
            actorId: query.actorId === SYSTEM_ACTOR_FILTER ? null : query.actorId,
            from,
            to,
            beforeSeq: query.cursor ? Number(query.cursor) : undefined,
          },
          query.limit,
          auditViewerOf(principal),
        );
      },
    }),
    defineRoute({
      method: 'GET',
      url: '/api/v1/audit/verify',
      summary: 'Verify the whole hash chain',
      tags,
      access: 'audit.read',
      response: { status: 200, schema: AuditVerifyResult },
      handler: () => audit.verify(),
    }),
    defineRoute({
      method: 'GET',
      url: '/api/v1/audit/export',
      summary: 'Export the whole chain as NDJSON (entries the caller may not see: number and hashes only)',
      tags,
      access: 'audit.read',
      response: { status: 200, contentType: 'application/x-ndjson' },
      handler: async ({ principal, reply }) => {
        const stamp = new Date().toISOString().replace(/[:.]/g, '-');
        const viewer = auditViewerOf(principal);
        reply.header('content-type', 'application/x-ndjson; charset=utf-8');
        reply.header('content-disposition', `attachment; filename="tocsin-audit-${stamp}.ndjson"`);
        const lines = (async function* () {
          for await (const e of audit.exportAll(1000, viewer)) yield `${JSON.stringify(e)}\n`;
        })();
        // Fastify serializes a bare async generator as "{}"; a Readable streams it line by line.
        return reply.send(Readable.from(lines));
      },
    }),
  ] as AnyRoute[];
}
