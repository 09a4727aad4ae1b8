/** The management reports' kinds, languages, formats and periods, without the schemas (the CLI reads them without loading zod). */
export const MGMT_REPORT_KINDS = ['monthly', 'quarterly', 'annual'] as const;
export type MgmtReportKind = (typeof MGMT_REPORT_KINDS)[number];
export const MGMT_REPORT_LANGS = ['zh', 'en'] as const;
export type MgmtReportLang = (typeof MGMT_REPORT_LANGS)[number];
export const MGMT_REPORT_FORMATS = ['pdf', 'xlsx'] as const;
export type MgmtReportFormat = (typeof MGMT_REPORT_FORMATS)[number];

/** The period's text by kind: `2026-11`, `2026-Q4`, `2026`. */
export const PERIOD_PATTERNS: Record<MgmtReportKind, RegExp> = {
  monthly: /^\d{4}-(0[1-9]|1[0-2])$/,
  quarterly: /^\d{4}-Q[1-4]$/,
  annual: /^\d{4}$/,
};
export const PERIOD_HINTS: Record<MgmtReportKind, string> = {
  monthly: 'YYYY-MM',
  quarterly: 'YYYY-Qn',
  annual: 'YYYY',
};
