/** HTTP routes of an incident's investigation report: read, edit, the review workflow, publishing, PDF and DOCX. */
import { z } from 'zod';
import {
  InvestigationReport,
  InvestigationReportUpdate,
  ReportLangQuery,
  RequestChangesBody,
} from '../../../shared/investigation-report-schemas.js';
import { disposition } from '../../http/disposition.js';
import { defineRoute, type AnyRoute } from '../../http/route.js';
import type { InvestigationReportService } from './investigation-report.service.js';

const tags = ['investigation'];
const key = z.string().regex(/^INC-\d{4}-\d{4,}$/, 'an incident key such as INC-2026-0001');
const KeyParams = z.strictObject({ key });
const base = '/api/v1/incidents/:key/investigation-report';
const one = { status: 200, schema: InvestigationReport };

export function investigationReportRoutes(deps: { investigationReports: InvestigationReportService }): AnyRoute[] {
  const reports = deps.investigationReports;
  const file = (format: 'pdf' | 'docx') =>
    defineRoute({
      method: 'GET',
      url: `${base}/report.${format}`,
      summary: `The report's current revision as ${format.toUpperCase()} ("DRAFT" unless approved), ?lang=zh-CN|en; a download is audited`,
      tags,
      access: 'investigation.read',
      params: KeyParams,
      query: ReportLangQuery,
      response: { status: 200, contentType: 'application/octet-stream' },
      handler: async ({ principal, params, query, reply }) => {
        const f = await reports.export(principal, params.key, format, query.lang);
        reply.header('content-type', f.type).header('content-disposition', disposition(f.name));
        return f.content;
      },
    });
  const step = (
    path: string,
    summary: string,
    access: 'investigation.report.write' | 'investigation.report.approve',
    run: (p: Parameters<InvestigationReportService['submit']>[0], key: string) => Promise<InvestigationReport>,
  ) =>
    defineRoute({
      method: 'POST',
      url: `${base}/${path}`,
      summary,
      tags,
      access,
      params: KeyParams,
      response: one,
      handler: ({ principal, params }) => run(principal, params.key),
    });
  return [
    defineRoute({
      method: 'GET',
      url: base,
      summary:
        "The incident's investigation report: the written sections, the sections filled from the data, the public summary, state and who did what (revision 0: not written yet)",
      tags,
      access: 'investigation.read',
      params: KeyParams,
      response: one,
      handler: ({ principal, params }) => reports.get(principal, params.key),
    }),
    defineRoute({
      method: 'PUT',
      url: base,
      summary:
        'Edit the written sections and the public summary (those given); a new revision, back to draft if it was approved (409 while in review or on a stale revision)',
      tags,
      access: 'investigation.report.write',
      params: KeyParams,
      body: InvestigationReportUpdate,
      response: one,
      handler: ({ principal, params, body }) => reports.update(principal, params.key, body),
    }),
    step(
      'submit',
      'The author sends the draft to review by a second investigator',
      'investigation.report.write',
      (p, k) => reports.submit(p, k),
    ),
    step(
      'approve',
      'A second investigator approves the report in review (403 for anyone who edited it)',
      'investigation.report.approve',
      (p, k) => reports.approve(p, k),
    ),
    defineRoute({
      method: 'POST',
      url: `${base}/request-changes`,
      summary: 'The reviewer sends the report in review back to draft with a comment',
      tags,
      access: 'investigation.report.approve',
      params: KeyParams,
      body: RequestChangesBody,
      response: one,
      handler: ({ principal, params, body }) => reports.requestChanges(principal, params.key, body.comment),
    }),
    step(
      'publish',
      "Publish the approved public summary on the incident's announcement on the status site and its feeds (replacing an earlier one)",
      'investigation.report.approve',
      (p, k) => reports.publish(p, k),
    ),
    file('pdf'),
    file('docx'),
  ] as AnyRoute[];
}
