/**
 * The live obligation clocks of incidents (issue 13, docs/obligations.md): the firm's profile, the
 * regulatory facts compliance records on an incident, each clock as the war room shows it, and the
 * on-time record per obligation. Inputs are strict: a misspelt field is an error.
 */
import { z } from 'zod';
import { isoTime, LocalizedText, nullableIso } from './api-schemas.js';
import { JURISDICTIONS, OBLIGATION_STAGES } from './obligation-schemas.js';

const flag = z.boolean().nullable();
const count = z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER);
const amount = z.number().nonnegative().max(1e15);

/** What the firm is (null: unknown), and the firm's own targets where the catalog lets it set one. */
export const FirmProfile = z.strictObject({
  jurisdictions: z.array(z.enum(JURISDICTIONS)).max(JURISDICTIONS.length),
  ciiOperator: flag,
  usBrokerDealer: flag,
  listedUs: flag,
  doraEntity: flag,
  /** All clients of the firm (DORA: clients affected > 10 % of them). */
  clientsTotal: count.nullable(),
  /** The firm's internal target for the CSRC emergency report, in minutes (null: the catalog's 30). */
  csrcTargetMinutes: z.number().int().min(1).max(1440).nullable(),
});
export type FirmProfile = z.infer<typeof FirmProfile>;

export const FirmProfileUpdate = FirmProfile.extend({
  /** The version the editor saw; when given and stale, 409 (no lost updates). */
  version: z.number().int().min(0).optional(),
});

export const FirmProfileView = FirmProfile.extend({
  /** 0 until the profile is first saved (then the defaults of the configuration are shown). */
  version: z.number().int(),
  updatedAt: nullableIso,
});
export type FirmProfileView = z.infer<typeof FirmProfileView>;

/** The facts Tocsin cannot know, recorded by compliance; null clears one, absent leaves it as it is. */
export const RegulatoryFactsPatch = z.strictObject({
  awareAt: isoTime.nullable().optional(),
  classifiedAt: isoTime.nullable().optional(),
  doraMajor: flag.optional(),
  materialityDeterminedAt: isoTime.nullable().optional(),
  personalInfoRecords: count.nullable().optional(),
  sensitiveCustomerInfo: flag.optional(),
  downtimeMinutes: amount.nullable().optional(),
  economicImpactEur: amount.nullable().optional(),
  /** Where the incident's effects are (null: everywhere the firm operates). */
  jurisdictions: z.array(z.enum(JURISDICTIONS)).max(JURISDICTIONS.length).nullable().optional(),
});
export type RegulatoryFactsPatch = z.infer<typeof RegulatoryFactsPatch>;

export const RegulatoryFacts = z.object({
  awareAt: nullableIso,
  classifiedAt: nullableIso,
  doraMajor: flag,
  materialityDeterminedAt: nullableIso,
  personalInfoRecords: count.nullable(),
  sensitiveCustomerInfo: flag,
  downtimeMinutes: amount.nullable(),
  economicImpactEur: amount.nullable(),
  jurisdictions: z.array(z.enum(JURISDICTIONS)).nullable(),
});
export type RegulatoryFacts = z.infer<typeof RegulatoryFacts>;

/** What the incident itself tells the evaluation (read-only here: edited on the incident). */
export const DerivedFacts = z.object({
  grade: z.string(),
  discoveredAt: isoTime,
  handlingEndedAt: nullableIso,
  customersAffected: z.number().nullable(),
  recordsExposed: z.number().nullable(),
});

export const CLOCK_STATUSES = ['running', 'met', 'met_late', 'missed', 'stopped'] as const;
export type ClockStatus = (typeof CLOCK_STATUSES)[number];

export const ClockWarning = z.object({
  /** `50%`, `80%` (of the span elapsed), `15m` (minutes left), `missed`. */
  point: z.string(),
  at: isoTime,
  firedAt: isoTime,
  paged: z.boolean(),
});

export const ObligationClock = z.object({
  id: z.string(),
  obligation: z.string(),
  stage: z.enum(OBLIGATION_STAGES),
  /** The obligation's and the stage's names. */
  title: LocalizedText,
  stageTitle: LocalizedText,
  regulator: LocalizedText,
  /** To whom the report or notice goes. */
  recipient: LocalizedText,
  applies: z.enum(['yes', 'unknown']),
  startsAt: nullableIso,
  /** ISO-8601 UTC; null when its start is not known (the fact is named in `why`). */
  due: nullableIso,
  status: z.enum(CLOCK_STATUSES),
  why: LocalizedText,
  /** The warning points of the stage not yet reached (instants), for countdowns. */
  nextWarningAt: nullableIso,
  warnings: z.array(ClockWarning),
  submittedAt: nullableIso,
});
export type ObligationClock = z.infer<typeof ObligationClock>;

export const IncidentObligations = z.object({
  incidentKey: z.string(),
  firm: FirmProfileView,
  facts: RegulatoryFacts,
  derived: DerivedFacts,
  clocks: z.array(ObligationClock),
});
export type IncidentObligations = z.infer<typeof IncidentObligations>;

export const ObligationRecordItem = z.object({
  obligation: z.string(),
  title: LocalizedText,
  met: z.number().int(),
  metLate: z.number().int(),
  missed: z.number().int(),
  running: z.number().int(),
});
export const ObligationRecord = z.object({ items: z.array(ObligationRecordItem) });
export type ObligationRecord = z.infer<typeof ObligationRecord>;
