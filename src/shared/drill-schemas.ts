/**
 * Drills (定期演练, issue 16, docs/drills.md): tabletop and technical exercises on a drill incident, with
 * scripted injects released at their offsets, a score computed from what happened on the incident
 * (never typed), an after-action report, a calendar and each plan's drill coverage.
 */
import { z } from 'zod';
import { isoTime, nullableIso } from './api-schemas.js';
import { CATEGORIES, GRADES } from './enums.js';
import { label, stripBidiControls } from './text.js';

export const DRILL_KINDS = ['tabletop', 'technical'] as const;
export const DRILL_STATUSES = ['scheduled', 'running', 'completed', 'cancelled'] as const;
export type DrillStatus = (typeof DRILL_STATUSES)[number];
/** Where an inject comes from in the exercise's fiction. */
export const INJECT_CHANNELS = [
  'weibo',
  'wechat',
  'media_call',
  'regulator_call',
  'customer_calls',
  'exchange',
  'internal',
] as const;
/** What a drill is scored on, in order. */
export const DRILL_MEASURES = [
  'activation',
  'containment',
  'holding_statement',
  'cac_report',
  'csrc_report',
  'customer_notice',
] as const;
export type DrillMeasure = (typeof DRILL_MEASURES)[number];

const noNul = (s: string) => !s.includes('\u0000');
const text = (max: number) => z.string().overwrite(stripBidiControls).trim().max(max).refine(noNul, 'contains a NUL');
const userId = z.string().min(1).max(64);

export const InjectInput = z.strictObject({
  /** Minutes after the drill's start. */
  offsetMinutes: z
    .number()
    .int()
    .min(0)
    .max(7 * 24 * 60),
  title: z.strictObject({ zh: label(200), en: label(200) }),
  text: z.strictObject({ zh: text(4000).pipe(z.string().min(1)), en: text(4000).pipe(z.string().min(1)) }),
  channel: z.enum(INJECT_CHANNELS),
  expected: z.strictObject({ zh: text(2000), en: text(2000) }).optional(),
});
export type InjectInput = z.infer<typeof InjectInput>;

/** A bundled inject script (drills/*.yml): the injects of a plan's scenario. */
export const InjectScript = z.strictObject({
  plan: z.string().min(1).max(100),
  title: z.strictObject({ zh: label(200), en: label(200) }),
  injects: z.array(InjectInput).min(1).max(100),
});
export const InjectScriptFile = z.strictObject({ scripts: z.array(InjectScript).min(1) });
export type InjectScript = z.infer<typeof InjectScript>;

export const DrillCreate = z
  .strictObject({
    title: label(200),
    kind: z.enum(DRILL_KINDS).default('tabletop'),
    planId: z.string().min(1).max(100).optional(),
    scenario: z.strictObject({ zh: text(8000), en: text(8000) }).optional(),
    scheduledAt: isoTime,
    facilitatorId: userId.optional(),
    participants: z.array(userId).max(200).default([]),
    grade: z.enum(GRADES).default('II'),
    category: z.enum(CATEGORIES).default('network_attack'),
    /** Take the plan's bundled inject script (needs `planId`). */
    useScript: z.boolean().default(false),
    injects: z.array(InjectInput).max(100).default([]),
  })
  .refine((d) => d.planId || d.scenario, { message: 'a plan or a written scenario', path: ['planId'] });
export type DrillCreate = z.infer<typeof DrillCreate>;

export const DrillUpdate = z.strictObject({
  title: label(200).optional(),
  scheduledAt: isoTime.optional(),
  facilitatorId: userId.nullable().optional(),
  participants: z.array(userId).max(200).optional(),
  /** The after-action report's free text (Markdown, shown sanitized). */
  notes: z.string().max(20_000).refine(noNul, 'contains a NUL').optional(),
});
export type DrillUpdate = z.infer<typeof DrillUpdate>;

const Person = z.object({ id: z.string(), name: z.string().nullable() });

export const Inject = z.object({
  id: z.string(),
  offsetMinutes: z.number().int(),
  title: z.object({ zh: z.string(), en: z.string() }),
  text: z.object({ zh: z.string(), en: z.string() }),
  channel: z.enum(INJECT_CHANNELS),
  expected: z.object({ zh: z.string(), en: z.string() }).nullable(),
  /** When it falls due (start + offset), once the drill started. */
  dueAt: nullableIso,
  releasedAt: nullableIso,
  releasedBy: Person.nullable(),
  /** The first timeline entry by a person after its release (its answer), and the minutes it took. */
  answeredAt: nullableIso,
  answerMinutes: z.number().nullable(),
});
export type Inject = z.infer<typeof Inject>;

export const Target = z.object({
  minutes: z.number(),
  /** plan: a due offset of the plan's tasks; regulator: a deadline of the incident's obligation clocks. */
  source: z.enum(['plan', 'regulator']),
  /** The plan step or the obligation the target comes from. */
  ref: z.string(),
});
export const MeasureScore = z.object({
  measure: z.enum(DRILL_MEASURES),
  reachedAt: nullableIso,
  /** Minutes from the start; null when not reached (never zero). */
  minutes: z.number().nullable(),
  target: Target.nullable(),
  /** met | missed (reached late) | not_reached (a target, nothing yet) | no_target (shown, not counted) | withheld */
  result: z.enum(['met', 'missed', 'not_reached', 'no_target', 'withheld']),
});
export type MeasureScore = z.infer<typeof MeasureScore>;
export const DrillScore = z.object({
  measures: z.array(MeasureScore),
  met: z.number().int(),
  targets: z.number().int(),
  /** met / targets (0..1); null when no measure has a target. */
  score: z.number().nullable(),
});
export type DrillScore = z.infer<typeof DrillScore>;

export const DrillSummary = z.object({
  id: z.string(),
  title: z.string(),
  kind: z.enum(DRILL_KINDS),
  planId: z.string().nullable(),
  scheduledAt: isoTime,
  status: z.enum(DRILL_STATUSES),
  facilitator: Person.nullable(),
  participants: z.array(Person),
  grade: z.enum(GRADES),
  category: z.enum(CATEGORIES),
  incidentKey: z.string().nullable(),
  startedAt: nullableIso,
  endedAt: nullableIso,
});
export type DrillSummary = z.infer<typeof DrillSummary>;

export const Drill = DrillSummary.extend({
  scenario: z.object({ zh: z.string(), en: z.string() }),
  injects: z.array(Inject),
  /** Null before the start. */
  score: DrillScore.nullable(),
  notes: z.string(),
  /** The notes rendered (sanitized HTML). */
  notesHtml: z.string(),
  /**
   * Where the after-action report's action items will be listed from: action items with this source
   * (the action-item module keeps them).
   */
  actionItemSource: z.object({ kind: z.literal('drill'), id: z.string() }),
  createdAt: isoTime,
  updatedAt: isoTime,
});
export type Drill = z.infer<typeof Drill>;

export const DrillListQuery = z.strictObject({
  /** YYYY-MM: the drills scheduled in that month (UTC). */
  month: z
    .string()
    .regex(/^\d{4}-(0[1-9]|1[0-2])$/)
    .optional(),
  status: z.enum(DRILL_STATUSES).optional(),
});

export const PlanCoverage = z.object({
  planId: z.string(),
  name: z.object({ 'zh-CN': z.string(), en: z.string() }),
  periodMonths: z.number().int(),
  lastDrill: z.object({ id: z.string(), title: z.string(), endedAt: isoTime }).nullable(),
  /** Not drilled (completed) within its period. */
  overdue: z.boolean(),
});
export type PlanCoverage = z.infer<typeof PlanCoverage>;

export const DrillCalendar = z.object({
  months: z.array(z.object({ month: z.string(), drills: z.array(DrillSummary) })),
  coverage: z.array(PlanCoverage),
});
export type DrillCalendar = z.infer<typeof DrillCalendar>;
