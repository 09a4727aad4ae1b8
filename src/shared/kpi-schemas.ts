/**
 * Incident-response performance figures (issue 16, docs/kpi.md): computed from the data, never typed in
 * — MTTD/MTTA/MTTC/MTTR, time to the first public statement and first customer notice, the regulator
 * on-time rate, customers, inquiries and CSAT, compensation, action items, vulnerabilities past SLA,
 * drill scores, training coverage — for a period and a filter, with a monthly trend and breakdowns.
 * The console's dashboards, the management reports (PDF/XLSX) and `tocsin report monthly` all read
 * this one snapshot. A figure whose data is missing is `null` with the reason in `missing`, never 0.
 *
 * (Not to be confused with `metrics-schemas.ts`: metric samples of the firm's systems, for anomaly
 * detection.)
 */
import { z } from 'zod';
import { CATEGORIES, GRADES } from './enums.js';

/** A calendar day in the firm's zone (TOCSIN_TIMEZONE), `YYYY-MM-DD`. */
export const KpiDay = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/, 'a day as YYYY-MM-DD');
/** A calendar month in the firm's zone, `YYYY-MM`. */
export const KpiMonth = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'a month as YYYY-MM');

/** The duration figures: their keys in snapshots, breakdowns, trends and the docs. */
export const DURATION_KPIS = [
  /** detected_at − the earliest evidence of the incident (its first alert's first event). */
  'mttd',
  /** acknowledged_at − detected_at. */
  'mtta',
  /** contained_at − detected_at. */
  'mttc',
  /** recovered_at − detected_at. */
  'mttr',
  /** First public statement published − detected_at. */
  'first_statement',
  /** First customer notice sent − detected_at. */
  'first_customer_notice',
] as const;
export type DurationKpi = (typeof DURATION_KPIS)[number];

/** Why a figure has no value (listed in `missing`; the console and reports say so instead of 0). */
export const KpiMissing = z.object({
  /** The figure's path in the snapshot, e.g. `durations.mttd`, `csat`, `training.coverage`. */
  figure: z.string(),
  /** `no_data`: nothing in the period; `no_source`: the data this figure needs is not kept (e.g. no training roster). */
  reason: z.enum(['no_data', 'no_source']),
});
export type KpiMissing = z.infer<typeof KpiMissing>;

/** A duration over the incidents that have both instants: count, mean, median and 90th percentile (ms). */
export const DurationStat = z.object({
  /** Incidents that have both instants (those without are not counted, not zero). */
  count: z.number().int().min(0),
  meanMs: z.number().nullable(),
  medianMs: z.number().nullable(),
  p90Ms: z.number().nullable(),
});
export type DurationStat = z.infer<typeof DurationStat>;

/** A rate: numerator of denominator; `value` null when the denominator is 0. */
export const Rate = z.object({
  numerator: z.number().int().min(0),
  denominator: z.number().int().min(0),
  value: z.number().min(0).max(1).nullable(),
});
export type Rate = z.infer<typeof Rate>;

export const Durations = z.object(
  Object.fromEntries(DURATION_KPIS.map((k) => [k, DurationStat])) as Record<DurationKpi, typeof DurationStat>,
);
export type Durations = z.infer<typeof Durations>;

/** The figures of one slice of the incidents (a grade, a category, a service, a month). */
export const KpiSlice = z.object({
  incidents: z.number().int().min(0),
  durations: Durations,
});
export type KpiSlice = z.infer<typeof KpiSlice>;

export const KpiFilter = z.object({
  /** First day of the period (inclusive), in the firm's zone. */
  from: KpiDay,
  /** Last day of the period (inclusive). */
  to: KpiDay,
  grades: z.array(z.enum(GRADES)).optional(),
  categories: z.array(z.enum(CATEGORIES)).optional(),
  /** Business service ids (an incident counts when it names any of them). */
  services: z.array(z.string()).optional(),
  /** Drill incidents counted (default false: the figures are of real incidents). */
  drills: z.boolean().optional(),
});
export type KpiFilter = z.infer<typeof KpiFilter>;

export const KpiSnapshot = z.object({
  filter: KpiFilter,
  /** The firm's zone the days and months are read in. */
  zone: z.string(),
  generatedAt: z.string(),
  /** Incidents detected in the period (false positives not counted; they are in `falsePositives`). */
  incidents: z.number().int().min(0),
  falsePositives: z.number().int().min(0),
  durations: Durations,
  byGrade: z.record(z.enum(GRADES), KpiSlice),
  byCategory: z.record(z.string(), KpiSlice),
  /** Per business service: its id, name and slice, most incidents first (`nameZh`: its Chinese name). */
  byService: z.array(z.object({ id: z.string(), name: z.string(), nameZh: z.string().optional(), slice: KpiSlice })),
  /** One entry per month of the period, in order, months without incidents included. */
  trend: z.array(
    z.object({
      month: KpiMonth,
      slice: KpiSlice,
      csat: z.number().nullable(),
      csatResponses: z.number().int().min(0),
    }),
  ),
  regulators: z.object({
    /** Regulator reports due in the period submitted by their deadline, of all due. */
    onTime: Rate,
    /** Still unsubmitted past their deadline at `generatedAt`. */
    overdue: z.number().int().min(0),
  }),
  customers: z.object({
    /** Sum of the incidents' customers affected (null: none recorded). */
    affected: z.number().int().min(0).nullable(),
    notified: z.number().int().min(0).nullable(),
    inquiries: z.number().int().min(0),
    /** Mean CSAT (1–5) of the period's rated inquiries; null with no rating. */
    csat: z.number().nullable(),
    csatResponses: z.number().int().min(0),
  }),
  compensation: z.object({
    /** Paid out in the period, minor units per currency (e.g. { CNY: 1250000 }). */
    paidMinor: z.record(z.string(), z.number().int()),
    claims: z.number().int().min(0),
  }),
  actionItems: z.object({
    /** Items due in the period closed by their due date, of all due in the period. */
    closedOnTime: Rate,
    open: z.number().int().min(0),
    overdue: z.number().int().min(0),
  }),
  vulnerabilities: z.object({
    open: z.number().int().min(0),
    /** Open past their severity's SLA at `generatedAt`. */
    pastSla: z.number().int().min(0),
    openBySeverity: z.record(z.string(), z.number().int().min(0)),
  }),
  drills: z.object({
    /** Drills completed in the period. */
    count: z.number().int().min(0),
    /** Mean score (0–100); null with no scored drill. */
    meanScore: z.number().nullable(),
  }),
  training: z.object({
    /** People whose required courses are current, of the people required to take them. */
    coverage: Rate,
  }),
  missing: z.array(KpiMissing),
});
export type KpiSnapshot = z.infer<typeof KpiSnapshot>;

/** The incidents behind a figure (drill-down): `GET /api/v1/kpi/incidents?figure=mttc&grade=II&month=2026-11`. */
export const KpiIncidentRow = z.object({
  key: z.string(),
  title: z.string(),
  grade: z.enum(GRADES),
  category: z.string(),
  detectedAt: z.string(),
  /** The incident's value of the figure asked for (ms), null when it has none. */
  valueMs: z.number().nullable(),
});
export type KpiIncidentRow = z.infer<typeof KpiIncidentRow>;
