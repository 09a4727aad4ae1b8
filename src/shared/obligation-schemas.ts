/**
 * Regulatory obligations (issue 13; docs/obligations.md): the catalog document (`obligations/*.yml`,
 * one obligation a file), the facts an evaluation reads (the JSON of `tocsin obligations evaluate`),
 * and the entries it gives. Objects are strict: a misspelt field is an error, never silently ignored.
 */
import { z } from 'zod';
import { GRADES } from './enums.js';

export const OBLIGATION_STAGES = ['initial', 'intermediate', 'final', 'closeout', 'notice'] as const;
export type ObligationStage = (typeof OBLIGATION_STAGES)[number];

export const JURISDICTIONS = ['CN', 'US', 'EU', 'HK'] as const;
/** Calendars of business days: PRC (State Council notices, data) and US federal holidays (by rule). */
export const BUSINESS_CALENDARS = ['CN', 'US'] as const;
export type BusinessCalendar = (typeof BUSINESS_CALENDARS)[number];

export const CLOCK_UNITS = ['minutes', 'hours', 'calendar_days', 'business_days', 'months'] as const;

export const FIRM_FLAGS = ['cii_operator', 'us_broker_dealer', 'listed_us', 'dora_entity'] as const;
export const INCIDENT_FLAGS = ['sensitive_customer_info', 'dora_major'] as const;
export const COUNT_FACTS = [
  'personal_info_records',
  'customers_affected',
  'clients_total',
  'downtime_minutes',
  'economic_impact_eur',
] as const;

/** The moments a clock may start from: incident facts and report submissions. */
export const START_FACTS = [
  'incident.discovered_at',
  'incident.aware_at',
  'incident.classified_at',
  'incident.materiality_determined_at',
  'incident.handling_ended_at',
  'reports.dora_initial_submitted_at',
  'reports.dora_intermediate_submitted_at',
] as const;
export type StartFact = (typeof START_FACTS)[number];

// ---------------------------------------------------------------------------------------------- facts

const instant = z.iso.datetime({ offset: true });
const count = z.number().int().nonnegative();
const opt = <T extends z.ZodType>(t: T) => t.nullish();

/** What a firm is: absent or null means unknown. */
export const FirmFacts = z.strictObject({
  jurisdictions: opt(z.array(z.enum(JURISDICTIONS))),
  cii_operator: opt(z.boolean()),
  us_broker_dealer: opt(z.boolean()),
  listed_us: opt(z.boolean()),
  dora_entity: opt(z.boolean()),
});

export const IncidentFacts = z.strictObject({
  grade: opt(z.enum(GRADES)),
  discovered_at: opt(instant),
  aware_at: opt(instant),
  classified_at: opt(instant),
  materiality_determined_at: opt(instant),
  handling_ended_at: opt(instant),
  personal_info_records: opt(count),
  sensitive_customer_info: opt(z.boolean()),
  customers_affected: opt(count),
  clients_total: opt(count),
  downtime_minutes: opt(z.number().nonnegative()),
  economic_impact_eur: opt(z.number().nonnegative()),
  dora_major: opt(z.boolean()),
});

export const ReportFacts = z.strictObject({
  dora_initial_submitted_at: opt(instant),
  dora_intermediate_submitted_at: opt(instant),
});

/** The facts an evaluation reads (the shape issue 13 gives); every part and field may be absent. */
export const ObligationFacts = z.strictObject({
  firm: FirmFacts.optional(),
  incident: IncidentFacts.optional(),
  reports: ReportFacts.optional(),
});
export type ObligationFacts = z.infer<typeof ObligationFacts>;

// -------------------------------------------------------------------------------------------- catalog

const Localized = z.strictObject({ 'zh-CN': z.string().min(1), en: z.string().min(1) });
export type Localized = z.infer<typeof Localized>;
const isoDate = z.iso.date();
const isTimeZone = (zone: string) => {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
};
const Zone = z.string().refine(isTimeZone, 'not an IANA time zone Intl knows');

/** Where a duty comes from: the law, its article, when it came into force. */
const Citation = z.strictObject({
  law: Localized,
  article: z.string().min(1),
  in_force: isoDate,
  url: z.url().optional(),
});

/** A firm-configurable value shipped as a conservative default, and why that default. */
const Configurable = z.strictObject({ note: Localized });

const GradeHint = z.strictObject({ personal_info_records: count, grade: z.enum(GRADES) });

/** One applicability condition; an obligation applies when all of its conditions hold. */
export const Condition = z.union([
  z.strictObject({ jurisdiction: z.enum(JURISDICTIONS) }),
  z.strictObject({ firm: z.enum(FIRM_FLAGS) }),
  z.strictObject({ incident: z.enum(INCIDENT_FLAGS) }),
  z.strictObject({ at_least: z.strictObject({ fact: z.enum(COUNT_FACTS), value: z.number().positive() }) }),
  z.strictObject({
    grade_at_least: z.strictObject({
      grade: z.enum(GRADES),
      /** Grading hints (e.g. CAC's annex): this many records leaked is at least this grade. */
      hints: z.array(GradeHint).default([]),
      configurable: Configurable.optional(),
    }),
  }),
  z.strictObject({
    /** A moment that must have come (8-K: the materiality determination); before it, the obligation may apply. */
    once: z.strictObject({ fact: z.enum(START_FACTS), what: Localized }),
  }),
  z.strictObject({
    /** DORA major incident: `incident.dora_major` when known, else the criteria thresholds as a hint. */
    dora_major: z.strictObject({
      clients_share: z.number().positive().max(1),
      clients: count,
      downtime_minutes: z.number().positive(),
      economic_impact_eur: z.number().positive(),
    }),
  }),
]);
export type Condition = z.infer<typeof Condition>;

const Span = z.strictObject({ amount: z.number().int().positive(), unit: z.enum(CLOCK_UNITS) });

/** When a stage is due: `amount` `unit`s after `starts`, counted in `zone` (business days in `calendar`). */
const Clock = z
  .strictObject({
    starts: z.enum(START_FACTS),
    amount: z.number().int().positive(),
    unit: z.enum(CLOCK_UNITS),
    zone: Zone,
    calendar: z.enum(BUSINESS_CALENDARS).optional(),
    /** A shorter limit when the firm has a flag (CAC: 1 hour for CII operators). Unknown flag: the shorter one. */
    when_firm: z.strictObject({ flag: z.enum(FIRM_FLAGS), amount: z.number().int().positive() }).optional(),
    /** A second limit from another moment: due at the earlier, unless `starts` is itself past it (DORA initial). */
    no_later_than: Span.extend({ starts: z.enum(START_FACTS) }).optional(),
    configurable: Configurable.optional(),
  })
  .refine((c) => c.unit !== 'business_days' || c.calendar !== undefined, {
    message: 'business_days needs a calendar (CN or US)',
    path: ['calendar'],
  });
export type Clock = z.infer<typeof Clock>;

/** A warning point for the live clocks: at a share of the time elapsed, or when this much is left. */
const Warning = z.union([
  z.strictObject({ elapsed_percent: z.number().int().min(1).max(99) }),
  z.strictObject({ minutes_left: z.number().int().positive() }),
]);

const Stage = z.strictObject({
  stage: z.enum(OBLIGATION_STAGES),
  name: Localized,
  clock: Clock,
  warnings: z.array(Warning).default([]),
});

export const Obligation = z.strictObject({
  id: z.string().regex(/^[a-z0-9][a-z0-9.-]*$/, 'lower-case letters, digits, "." and "-"'),
  version: z.number().int().positive(),
  name: Localized,
  regulator: Localized,
  /** To whom the report or notice goes. */
  to: Localized,
  source: Citation,
  applies_when: z.array(Condition).min(1),
  stages: z.array(Stage).min(1),
});
export type Obligation = z.infer<typeof Obligation>;

/** One applicable (or possibly applicable) obligation stage and its deadline. */
export interface ObligationEntry {
  obligation: string;
  stage: ObligationStage;
  /** ISO-8601 UTC; null when the moment the clock starts from is not known (or no calendar covers it). */
  due: string | null;
  /** `unknown`: it applies if an unknown fact turns out so (the fact is named in `why`). */
  applies: 'yes' | 'unknown';
  /** The moment the clock counts from (ISO-8601 UTC), for live clocks and their warning points. */
  starts: string | null;
  why: string;
  why_zh: string;
}

/** The published JSON Schema of a catalog file (schemas/obligation.schema.json, `npm run schemas`), for editors. */
export function obligationJsonSchema(): Record<string, unknown> {
  return {
    ...z.toJSONSchema(Obligation, { target: 'draft-2020-12', io: 'input' }),
    title: 'Tocsin regulatory obligation (报送义务)',
  };
}
