/**
 * Management reports (issue 16, docs/management-reports.md): monthly, quarterly and annual reports for
 * management, the board and the regulator's annual summary, from the KPI module's snapshots (a port),
 * as PDF and XLSX, kept, scheduled and emailed.
 */
export { managementReportRoutes } from './management-report.routes.js';
export { createManagementReportService } from './management-report.service.js';
export { createDeliveries, smtpReportMailer, type ReportMailer } from './mr-deliveries.js';
export type { KpiSource } from './mr-render.js';
