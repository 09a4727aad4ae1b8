/**
 * Management reports (issue 16): the service over the KPI module's snapshots (the `KpiSource` port: the
 * KPI service at merge, a fixture in tests; absent, generating answers 503 `management_report.no_kpi`)
 * and the scheduled deliveries by email (TOCSIN_MGMT_REPORT_RECIPIENTS, TOCSIN_MGMT_REPORT_DAY), swept
 * by the run-once scheduler `management-reports` of one worker (serve-worker.ts).
 */
import {
  createDeliveries,
  createManagementReportService,
  smtpReportMailer,
  type KpiSource,
  type ReportMailer,
} from './modules/management-report/index.js';
import type { AuditService } from './modules/audit/index.js';
import type { BlobStore } from './platform/blobs/blob-store.js';
import type { Config } from './platform/config.js';
import type { Store } from './platform/db/connect.js';
import type { Clock } from './platform/ids.js';

export interface MgmtReportOptions {
  /** The KPI figures (the kpi module's service at merge). */
  kpiSource?: KpiSource;
  /** Sends the scheduled reports (default: SMTP through TOCSIN_SMTP_URL when set). */
  reportMailer?: ReportMailer;
}

export function wireManagementReports(
  deps: { store: Store; audit: AuditService; clock: Clock; blobs: BlobStore; config: Config },
  opts: MgmtReportOptions,
) {
  const { store, audit, clock, blobs, config } = deps;
  const managementReports = createManagementReportService({ store, audit, clock, blobs, kpi: opts.kpiSource ?? null });
  const mailer =
    opts.reportMailer ??
    (config.mail.smtpUrl ? smtpReportMailer({ smtpUrl: config.mail.smtpUrl, from: config.mail.from }) : null);
  const managementReportDeliveries = createDeliveries({
    store,
    audit,
    clock,
    blobs,
    reports: managementReports,
    timeZone: config.status.timeZone,
    mailer,
    recipients: config.mgmtReports.recipients,
    day: config.mgmtReports.day,
    domain: new URL(config.publicUrl).hostname || 'tocsin.invalid',
  });
  return { managementReports, managementReportDeliveries };
}
