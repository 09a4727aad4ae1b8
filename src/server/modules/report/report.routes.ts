/** HTTP routes of regulator reports: per incident, one report, its versions, the approval path, filing, exports. */
import { z } from 'zod';
import {
  RECEIPT_MAX_BYTES,
  Report,
  ReportCreate,
  ReportExportQuery,
  ReportOption,
  ReportRejectBody,
  ReportSubmittedQuery,
  ReportVersion,
  ReportVersionBody,
} from '../../../shared/report-schemas.js';
import { disposition } from '../../http/disposition.js';
import { defineRoute, type AnyRoute } from '../../http/route.js';
import { invalid } from '../../platform/errors.js';
import type { ReportService } from './report.service.js';

const KeyParams = z.strictObject({ key: z.string().min(1).max(32) });
const IdParams = z.strictObject({ id: z.string().min(1).max(64) });
const tags = ['reports'];
const one = { status: 200, schema: Report };

export function reportRoutes(deps: { reports: ReportService }): AnyRoute[] {
  const { reports } = deps;
  return [
    defineRoute({
      method: 'GET',
      url: '/api/v1/incidents/:key/reports',
      summary: "An incident's regulator reports, newest first",
      tags,
      access: 'report.read',
      params: KeyParams,
      response: { status: 200, schema: z.object({ items: z.array(Report) }) },
      handler: async ({ principal, params }) => ({ items: await reports.listForIncident(principal, params.key) }),
    }),
    defineRoute({
      method: 'GET',
      url: '/api/v1/incidents/:key/report-options',
      summary: 'The obligations and stages a report can be drafted for, and whether each applies to the incident',
      tags,
      access: 'report.read',
      params: KeyParams,
      response: { status: 200, schema: z.object({ items: z.array(ReportOption) }) },
      handler: async ({ principal, params }) => ({ items: await reports.options(principal, params.key) }),
    }),
    defineRoute({
      method: 'POST',
      url: '/api/v1/incidents/:key/reports',
      summary:
        "Draft the report of an obligation's stage from its template, filled from the incident (missing facts listed)",
      tags,
      access: 'report.draft',
      params: KeyParams,
      body: ReportCreate,
      response: { status: 201, schema: Report },
      handler: ({ principal, params, body }) => reports.create(principal, params.key, body),
    }),
    defineRoute({
      method: 'GET',
      url: '/api/v1/reports/:id',
      summary: 'One regulator report: its current text, missing facts, state and filing',
      tags,
      access: 'report.read',
      params: IdParams,
      response: one,
      handler: ({ principal, params }) => reports.get(principal, params.id),
    }),
    defineRoute({
      method: 'GET',
      url: '/api/v1/reports/:id/versions',
      summary: "A report's versions, newest first",
      tags,
      access: 'report.read',
      params: IdParams,
      response: { status: 200, schema: z.object({ items: z.array(ReportVersion) }) },
      handler: async ({ principal, params }) => ({ items: await reports.versions(principal, params.id) }),
    }),
    defineRoute({
      method: 'POST',
      url: '/api/v1/reports/:id/versions',
      summary: "Save a draft's sections as a new version",
      tags,
      access: 'report.draft',
      params: IdParams,
      body: ReportVersionBody,
      response: one,
      handler: ({ principal, params, body }) => reports.saveDraft(principal, params.id, body.fields),
    }),
    defineRoute({
      method: 'POST',
      url: '/api/v1/reports/:id/review',
      summary: 'Send a draft to compliance review',
      tags,
      access: 'report.draft',
      params: IdParams,
      response: one,
      handler: ({ principal, params }) => reports.requestReview(principal, params.id),
    }),
    defineRoute({
      method: 'POST',
      url: '/api/v1/reports/:id/approve',
      summary: 'Approve a report in review (not by anyone who wrote a version of it)',
      tags,
      access: 'report.approve',
      params: IdParams,
      response: one,
      handler: ({ principal, params }) => reports.approve(principal, params.id),
    }),
    defineRoute({
      method: 'POST',
      url: '/api/v1/reports/:id/reject',
      summary: 'Send a report in review or approved back to draft, with the reason',
      tags,
      access: 'report.approve',
      params: IdParams,
      body: ReportRejectBody,
      response: one,
      handler: ({ principal, params, body }) => reports.reject(principal, params.id, body.reason),
    }),
    defineRoute({
      method: 'POST',
      url: '/api/v1/reports/:id/submission',
      summary:
        'Mark an approved report submitted: channel, reference number, time (?submittedAt=, default now) and the receipt file as the body (named by ?filename=)',
      tags,
      access: 'report.submit',
      params: IdParams,
      query: ReportSubmittedQuery,
      raw: { bodyLimit: RECEIPT_MAX_BYTES, content: { 'application/octet-stream': undefined } },
      response: one,
      handler: ({ principal, params, query, req }) => {
        if (!Buffer.isBuffer(req.body)) throw invalid('send the receipt file as the request body');
        return reports.markSubmitted(principal, params.id, query, req.body);
      },
    }),
    defineRoute({
      method: 'GET',
      url: '/api/v1/reports/:id/receipt',
      summary: 'The receipt file of a submitted report',
      tags,
      access: 'report.read',
      params: IdParams,
      response: { status: 200, contentType: 'application/octet-stream' },
      handler: async ({ principal, params, reply }) => {
        const r = await reports.receipt(principal, params.id);
        reply.header('content-type', r.type).header('content-disposition', disposition(r.name));
        return r.content;
      },
    }),
    defineRoute({
      method: 'GET',
      url: '/api/v1/reports/:id/export',
      summary: 'The current version as a file: ?format=pdf|docx|txt|json (json: DORA), &lang=zh|en',
      tags,
      access: 'report.read',
      params: IdParams,
      query: ReportExportQuery,
      response: { status: 200, contentType: 'application/octet-stream' },
      handler: async ({ principal, params, query, reply }) => {
        const f = await reports.export(principal, params.id, query.format, query.lang);
        reply.header('content-type', f.type).header('content-disposition', disposition(f.name));
        return f.content;
      },
    }),
  ] as AnyRoute[];
}
