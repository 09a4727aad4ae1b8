/**
 * Management reports kept: generated on demand (audited) or by the scheduler, both formats from one
 * snapshot, the files in the blob store by SHA-256; listed and downloaded (audited, as other reports).
 */
import { Readable } from 'node:stream';
import type {
  MgmtReport,
  MgmtReportFormat,
  MgmtReportInput,
  MgmtReportQuery,
} from '../../../shared/management-report-schemas.js';
import type { BlobStore } from '../../platform/blobs/blob-store.js';
import type { Store } from '../../platform/db/connect.js';
import { iso, newId, type Clock } from '../../platform/ids.js';
import { AppError, notFound } from '../../platform/errors.js';
import type { Actor, AuditService } from '../audit/index.js';
import { actorOf, assertCan, type Principal } from '../auth/index.js';
import { insertReport, listReports, reportById, type ManagementReportRow } from './management-report.repository.js';
import { WORDS } from './mr-labels.js';
import { CONTENT_TYPES, renderReport, type KpiSource, type RenderedReport } from './mr-render.js';

export interface ManagementReportDeps {
  store: Store;
  audit: AuditService;
  clock: Clock;
  blobs: BlobStore;
  kpi: KpiSource;
}

/** A report's file is small (a few hundred KB); this only bounds a runaway. */
const MAX_FILE_BYTES = 64 * 1024 * 1024;

const view = (r: ManagementReportRow): MgmtReport => ({
  id: r.id,
  kind: r.kind as MgmtReport['kind'],
  period: r.period,
  lang: r.lang as MgmtReport['lang'],
  files: [
    { format: 'pdf', bytes: r.pdf_bytes, sha256: r.pdf_sha256 },
    { format: 'xlsx', bytes: r.xlsx_bytes, sha256: r.xlsx_sha256 },
  ],
  origin: r.origin as MgmtReport['origin'],
  generatedBy: r.generated_by,
  generatedByName: r.generated_by_name,
  generatedAt: iso(r.generated_at),
});

export function createManagementReportService(deps: ManagementReportDeps) {
  const { store, audit, clock, blobs, kpi } = deps;

  /** Renders, keeps both files and records the generation with its audit entry. */
  async function keep(
    actor: Actor,
    viewer: Principal | null,
    input: MgmtReportInput,
    origin: 'schedule' | 'request',
  ): Promise<{ report: MgmtReport; rendered: RenderedReport }> {
    const now = clock.now();
    const rendered = await renderReport(kpi, viewer, { ...input, now });
    const pdf = await blobs.put(Readable.from([rendered.pdf]), { maxBytes: MAX_FILE_BYTES });
    const xlsx = await blobs.put(Readable.from([rendered.xlsx]), { maxBytes: MAX_FILE_BYTES });
    const row: ManagementReportRow = {
      id: newId(),
      kind: input.kind,
      period: input.period,
      lang: input.lang,
      origin,
      pdf_sha256: pdf.sha256,
      pdf_bytes: pdf.bytes,
      xlsx_sha256: xlsx.sha256,
      xlsx_bytes: xlsx.bytes,
      generated_by: actor.id,
      generated_by_name: actor.label,
      generated_at: now,
    };
    await store.transaction(async (tx) => {
      await insertReport(tx, row);
      await audit.append(tx, actor, {
        action: 'management_report.generate',
        targetType: 'management_report',
        targetId: row.id,
        after: { kind: row.kind, period: row.period, lang: row.lang, origin, pdf: pdf.sha256, xlsx: xlsx.sha256 },
      });
    });
    return { report: view(row), rendered };
  }

  return {
    keep,

    /** Made now for `p` (the figures as the KPI module gives them to `p`). */
    async generate(p: Principal, input: MgmtReportInput): Promise<MgmtReport> {
      assertCan(p, 'management_report.generate');
      return (await keep(actorOf(p), p, input, 'request')).report;
    },

    /** Rendered, not kept (the CLI's `tocsin report`). */
    render: (input: MgmtReportInput) => renderReport(kpi, null, { ...input, now: clock.now() }),

    async list(p: Principal, q: MgmtReportQuery): Promise<{ items: MgmtReport[] }> {
      assertCan(p, 'management_report.read');
      return { items: (await listReports(store.db, q)).map(view) };
    },

    /** One file of a generation to download; the download is an audit entry. */
    async file(p: Principal, id: string, format: MgmtReportFormat) {
      assertCan(p, 'management_report.read');
      const row = await reportById(store.db, id);
      if (!row) throw notFound('the management report', { code: 'management_report.not_found' });
      const sha = format === 'pdf' ? row.pdf_sha256 : row.xlsx_sha256;
      const stream = await blobs.open(sha);
      if (!stream)
        throw new AppError(500, 'blob-missing', 'Internal error', "the report's file is missing from the blob store");
      await store.transaction((tx) =>
        audit.append(tx, actorOf(p), {
          action: 'management_report.download',
          targetType: 'management_report',
          targetId: id,
          after: { format },
        }),
      );
      const title = WORDS[row.lang as MgmtReport['lang']].title[row.kind as MgmtReport['kind']](row.period);
      return {
        /** The report's title as its name (RFC 8187's `filename*` carries the Chinese). */
        name: `${title.replace(/[\\/:*?"<>|]/g, '_')}.${format}`,
        type: CONTENT_TYPES[format],
        bytes: format === 'pdf' ? row.pdf_bytes : row.xlsx_bytes,
        stream,
      };
    },
  };
}

export type ManagementReportService = ReturnType<typeof createManagementReportService>;
