/** Regulator reports (issue 13, docs/regulator-reports.md): templates per obligation and stage, approval, filing, exports. */
export { createReportService } from './report.service.js';
export { createReportTemplates } from './report-templates.js';
/** Printing shared with the investigation report: PDF (CJK font embedded) and DOCX of titled sections. */
export { documentDocx, documentPdf, type PrintableDoc } from './report-export.js';
/** Noto Sans SC for PDFs with Chinese text (the evidence package's manifest uses it too). */
export { cjkFontPath } from './report-export.js';
