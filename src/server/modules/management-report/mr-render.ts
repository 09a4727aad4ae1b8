/**
 * Making one report: the period's and the previous period's KPI snapshots and the period's incidents
 * through the KPI port, the content (mr-content.ts), its charts, the PDF and the XLSX. No store: the
 * service keeps what this makes, the CLI writes it to a file.
 */
import type { KpiFilter, KpiIncidentRow, KpiSnapshot } from '../../../shared/kpi-schemas.js';
import type { MgmtReportKind, MgmtReportLang } from '../../../shared/management-report-schemas.js';
import type { Principal } from '../auth/index.js';
import { chartPng } from './mr-charts.js';
import { buildReportContent, type ReportContent } from './mr-content.js';
import { periodOf, previousPeriod } from './mr-period.js';
import { reportPdf } from './mr-pdf.js';
import { reportXlsx } from './mr-xlsx.js';

/**
 * Where the figures come from: the KPI module's service (wired at compose). `viewer` null: the firm's
 * figures for the scheduler and the CLI, which act for no person.
 */
export interface KpiSource {
  snapshot(viewer: Principal | null, filter: KpiFilter): Promise<KpiSnapshot>;
  /** The incidents of the period (the XLSX's incident list), `valueMs` the time to recover. */
  incidents(viewer: Principal | null, filter: KpiFilter): Promise<KpiIncidentRow[]>;
}

export interface RenderedReport {
  content: ReportContent;
  pdf: Buffer;
  xlsx: Buffer;
}

export async function renderReport(
  kpi: KpiSource,
  viewer: Principal | null,
  r: { kind: MgmtReportKind; period: string; lang: MgmtReportLang; now: number },
): Promise<RenderedReport> {
  const period = periodOf(r.kind, r.period);
  const previous = previousPeriod(period);
  const filter = { from: period.from, to: period.to };
  const [current, prior, incidents] = await Promise.all([
    kpi.snapshot(viewer, filter),
    kpi.snapshot(viewer, { from: previous.from, to: previous.to }),
    kpi.incidents(viewer, filter),
  ]);
  const content = buildReportContent({ lang: r.lang, period, previous, current, prior, now: r.now });
  const charts = new Map<string, Buffer>();
  for (const s of content.sections)
    for (const b of s.blocks)
      if (b.type === 'chart')
        charts.set(
          b.id,
          await chartPng({
            kind: b.id === 'trend' ? 'line' : 'bar',
            title: b.title,
            labels: b.labels,
            values: b.values,
          }),
        );
  const [pdf, xlsx] = await Promise.all([
    reportPdf(content, charts),
    reportXlsx({ lang: r.lang, period, current, prior, incidents }),
  ]);
  return { content, pdf, xlsx };
}

/** `tocsin-report-monthly-2026-11-zh.pdf` */
export const reportFileName = (kind: string, period: string, lang: string, format: string) =>
  `tocsin-report-${kind}-${period}-${lang}.${format}`;

export const CONTENT_TYPES = {
  pdf: 'application/pdf',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
} as const;
