/**
 * The queries of the KPI API (issue 16, docs/kpi.md): `GET /api/v1/kpi` and `GET /api/v1/kpi/incidents`.
 * A filter repeats a key for several values (`grade=I&grade=II`); days and months are the firm's.
 */
import { z } from 'zod';
import { CATEGORIES, GRADES } from './enums.js';
import { DURATION_KPIS, KpiDay, KpiIncidentRow, KpiMonth } from './kpi-schemas.js';

/** The longest period a snapshot covers (days). */
export const KPI_MAX_DAYS = 5 * 366;

const many = <T extends z.ZodType>(item: T) =>
  z.preprocess((v) => (v === undefined ? undefined : Array.isArray(v) ? v : [v]), z.array(item).max(50).optional());

const dayNumber = (d: string) => Date.parse(`${d}T00:00:00Z`) / 86_400_000;

const filterFields = {
  /** First day (inclusive); default: the first day of the month eleven months before `to`'s. */
  from: KpiDay.optional(),
  /** Last day (inclusive); default: today in the firm's zone. */
  to: KpiDay.optional(),
  grade: many(z.enum(GRADES)),
  category: many(z.enum(CATEGORIES)),
  service: many(z.string().min(1).max(64)),
  drills: z.enum(['true', 'false']).optional(),
};

/** Whether `YYYY-MM-DD` is a day of the calendar (not 2026-02-30). */
export const isRealDay = (d: string) => {
  const t = Date.parse(`${d}T00:00:00Z`);
  return !Number.isNaN(t) && new Date(t).toISOString().slice(0, 10) === d;
};

/** The checks of a period: real days, `to` not before `from`, at most KPI_MAX_DAYS. */
export function periodChecks(q: { from?: string; to?: string }, ctx: z.RefinementCtx) {
  for (const key of ['from', 'to'] as const) {
    const d = q[key];
    if (d && !isRealDay(d)) ctx.addIssue({ code: 'custom', path: [key], message: `${d} is not a day of the calendar` });
  }
  if (q.from && q.to && isRealDay(q.from) && isRealDay(q.to)) {
    const span = dayNumber(q.to) - dayNumber(q.from);
    if (Number.isNaN(span)) return;
    if (span < 0) ctx.addIssue({ code: 'custom', path: ['to'], message: 'the last day is before the first (from)' });
    else if (span >= KPI_MAX_DAYS)
      ctx.addIssue({ code: 'custom', path: ['to'], message: `a period of at most ${KPI_MAX_DAYS} days` });
  }
}

export const KpiQuery = z.strictObject(filterFields).superRefine(periodChecks);
export type KpiQuery = z.infer<typeof KpiQuery>;

/** The figures the drill-down lists incidents for: a duration, or `incidents` (every incident of the slice). */
export const KPI_DRILL_FIGURES = ['incidents', ...DURATION_KPIS] as const;

export const KpiIncidentsQuery = z
  .strictObject({
    ...filterFields,
    figure: z.enum(KPI_DRILL_FIGURES).default('incidents'),
    /** A month of the period (the trend's point clicked). */
    month: KpiMonth.optional(),
  })
  .superRefine(periodChecks);
export type KpiIncidentsQuery = z.infer<typeof KpiIncidentsQuery>;

/** At most this many incidents are listed (newest first); `truncated` says there were more. */
export const KPI_DRILL_LIMIT = 500;

export const KpiIncidentList = z.object({
  figure: z.enum(KPI_DRILL_FIGURES),
  items: z.array(KpiIncidentRow),
  truncated: z.boolean(),
  /** Incidents of the slice counted in the figure that this reader may not see (restricted), not listed. */
  hidden: z.number().int().min(0),
});
export type KpiIncidentList = z.infer<typeof KpiIncidentList>;
