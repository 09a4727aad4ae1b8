/**
 * The investigation report of an incident (issue 15, docs/investigation-report.md): written sections,
 * sections filled from the investigation's data, review by a second investigator, PDF/DOCX, and the
 * approved public summary published to the status site.
 */
export { investigationReportRoutes } from './investigation-report.routes.js';
export { createInvestigationReportService } from './investigation-report.service.js';
