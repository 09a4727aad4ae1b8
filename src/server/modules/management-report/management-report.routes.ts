/** HTTP routes of management reports: the list, generating one, downloading its PDF or XLSX. */
import { z } from 'zod';
import {
  MGMT_REPORT_FORMATS,
  MgmtReport,
  MgmtReportInput,
  MgmtReportQuery,
} from '../../../shared/management-report-schemas.js';
import { sendDownload } from '../../http/disposition.js';
import { defineRoute, type AnyRoute } from '../../http/route.js';
import type { ManagementReportService } from './management-report.service.js';

const tags = ['management-reports'];
const FileParams = z.strictObject({ id: z.string().min(1).max(64), format: z.enum(MGMT_REPORT_FORMATS) });

export function managementReportRoutes(deps: { managementReports: ManagementReportService }): AnyRoute[] {
  const reports = deps.managementReports;
  return [
    defineRoute({
      method: 'GET',
      url: '/api/v1/management-reports',
      summary:
        'Management reports generated (on request or by the schedule), latest first; ?kind=monthly|quarterly|annual',
      tags,
      access: 'management_report.read',
      query: MgmtReportQuery,
      response: { status: 200, schema: z.object({ items: z.array(MgmtReport) }) },
      handler: ({ principal, query }) => reports.list(principal, query),
    }),
    defineRoute({
      method: 'POST',
      url: '/api/v1/management-reports',
      summary:
        'Generate a management report now: kind (monthly, quarterly, annual), period (YYYY-MM, YYYY-Qn, YYYY) and lang (zh, en); the PDF and XLSX are kept',
      tags,
      access: 'management_report.generate',
      body: MgmtReportInput,
      response: { status: 201, schema: MgmtReport },
      handler: ({ principal, body }) => reports.generate(principal, body),
    }),
    defineRoute({
      method: 'GET',
      url: '/api/v1/management-reports/:id/:format',
      summary: "A management report's PDF or XLSX (format pdf or xlsx); a download is audited",
      tags,
      access: 'management_report.read',
      params: FileParams,
      response: { status: 200, contentType: 'application/octet-stream' },
      handler: async ({ principal, params, reply }) => {
        const f = await reports.file(principal, params.id, params.format);
        return sendDownload(reply, f);
      },
    }),
  ];
}
