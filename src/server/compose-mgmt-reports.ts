/**
 * Management reports (issue 16): the service over the KPI module's snapshots (the `KpiSource` port: the
 * KPI service, `kpiSourceOf`; a fixture in tests)
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
import type { Principal } from './modules/auth/index.js';
import type { createKpiService } from './modules/kpi/index.js';
import type { KpiFilter, KpiIncidentRow } from '../shared/kpi-schemas.js';
import type { BlobStore } from './platform/blobs/blob-store.js';
import type { Config } from './platform/config.js';
import type { Store } from './platform/db/connect.js';
import type { Clock } from './platform/ids.js';

export interface MgmtReportOptions {
  /** The KPI figures (default: the kpi module's service; tests give fixture snapshots). */
  kpiSource?: KpiSource;
  /** Sends the scheduled reports (default: SMTP through TOCSIN_SMTP_URL when set). */
  reportMailer?: ReportMailer;
}

/**
 * Who reads the figures of a report made for the firm (the scheduled deliveries, the CLI): every
 * incident counts and is listed, as for an administrator. A report asked for in the console or the API
 * is read as its requester (need-to-know applies to its incident list).
 */
const FIRM_READER: Principal = {
  user: {
    id: 'system:management-reports',
    email: 'management-reports@tocsin.invalid',
    name: 'Tocsin management reports',
    role: 'admin',
    locale: 'en',
    mfaEnabled: false,
    disabled: false,
    createdAt: new Date(0).toISOString(),
    passwordChangeRequired: false,
  },
  via: 'cli',
  scopes: null,
  restrictedTo: null,
};

/** The KPI service as the reports' `KpiSource`: the snapshot, and the incident list with each one's time to recover. */
export function kpiSourceOf(kpi: ReturnType<typeof createKpiService>): KpiSource {
  const query = (f: KpiFilter) => ({
    from: f.from,
    to: f.to,
    grade: f.grades,
    category: f.categories,
    service: f.services,
    drills: f.drills === undefined ? undefined : f.drills ? ('true' as const) : ('false' as const),
  });
  return {
    snapshot: (viewer, filter) => kpi.snapshot(viewer ?? FIRM_READER, filter),
    async incidents(viewer, filter): Promise<KpiIncidentRow[]> {
      const p = viewer ?? FIRM_READER;
      const [all, recovered] = await Promise.all([
        kpi.incidents(p, { ...query(filter), figure: 'incidents' }),
        kpi.incidents(p, { ...query(filter), figure: 'mttr' }),
      ]);
      const mttr = new Map(recovered.items.map((r) => [r.key, r.valueMs]));
      return all.items.map((r) => ({ ...r, valueMs: mttr.get(r.key) ?? null }));
    },
  };
}

export function wireManagementReports(
  deps: {
    store: Store;
    audit: AuditService;
    clock: Clock;
    blobs: BlobStore;
    config: Config;
    kpi: ReturnType<typeof createKpiService>;
  },
  opts: MgmtReportOptions,
) {
  const { store, audit, clock, blobs, config } = deps;
  const managementReports = createManagementReportService({
    store,
    audit,
    clock,
    blobs,
    kpi: opts.kpiSource ?? kpiSourceOf(deps.kpi),
  });
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
