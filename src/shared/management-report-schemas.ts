/**
 * Management reports (issue 16, docs/management-reports.md): monthly and quarterly security-incident
 * reports for management and the board, and the annual summary in the shape regulators ask for, in
 * zh-CN or English, as PDF and XLSX, generated on demand or by the scheduler, kept in the blob store.
 */
import { z } from 'zod';
import {
  MGMT_REPORT_FORMATS,
  MGMT_REPORT_KINDS,
  MGMT_REPORT_LANGS,
  PERIOD_HINTS,
  PERIOD_PATTERNS,
} from './management-report-enums.js';

export * from './management-report-enums.js';

export const MgmtReportInput = z
  .strictObject({
    kind: z.enum(MGMT_REPORT_KINDS),
    period: z.string().max(7),
    lang: z.enum(MGMT_REPORT_LANGS),
  })
  .superRefine((v, ctx) => {
    if (!PERIOD_PATTERNS[v.kind].test(v.period))
      ctx.addIssue({
        code: 'custom',
        path: ['period'],
        message: `a ${v.kind} report's period must be ${PERIOD_HINTS[v.kind]}`,
      });
  });
export type MgmtReportInput = z.infer<typeof MgmtReportInput>;

export const MgmtReport = z.object({
  id: z.string(),
  kind: z.enum(MGMT_REPORT_KINDS),
  period: z.string(),
  lang: z.enum(MGMT_REPORT_LANGS),
  /** The files of this generation: both formats are made together from one snapshot. */
  files: z.array(z.object({ format: z.enum(MGMT_REPORT_FORMATS), bytes: z.number().int(), sha256: z.string() })),
  /** `schedule` (made by the monthly scheduler) or `request` (someone asked). */
  origin: z.enum(['schedule', 'request']),
  generatedBy: z.string().nullable(),
  generatedByName: z.string(),
  generatedAt: z.string(),
});
export type MgmtReport = z.infer<typeof MgmtReport>;

export const MgmtReportQuery = z.strictObject({
  kind: z.enum(MGMT_REPORT_KINDS).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
export type MgmtReportQuery = z.infer<typeof MgmtReportQuery>;
