/** Request and response schemas of incidents, their timelines and tasks. */
import { z } from 'zod';
import {
  ALERT_LEVELS,
  CATEGORIES,
  GRADES,
  HUMAN_TIMELINE_KINDS,
  PARTICIPANT_ROLES,
  STATUSES,
  TASK_STATUSES,
  TIMELINE_KINDS,
} from './enums.js';
import { LocalizedText, Pagination, isoTime, nullableIso, text } from './api-schemas.js';
import { Service } from './service-schemas.js';
import { UserRef } from './user-schemas.js';
import { label } from './text.js';

/** An incident's key as people and the API write it (INC-<year>-<number>). */
export const IncidentKey = z.string().regex(/^INC-\d{4}-\d{4,}$/, 'an incident key such as INC-2026-0001');

export const CategorySchema = z.enum(CATEGORIES);
export const GradeSchema = z.enum(GRADES);
export const StatusSchema = z.enum(STATUSES);
export const ParticipantRoleSchema = z.enum(PARTICIPANT_ROLES);

export const Money = z.strictObject({
  amountMinor: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
  currency: z.string().regex(/^[A-Z]{3}$/, 'ISO 4217 code such as CNY'),
});
export const Impact = z.strictObject({
  customersAffected: z.number().int().min(0).nullable().default(null),
  fundsAtRisk: Money.nullable().default(null),
  recordsExposed: z.number().int().min(0).nullable().default(null),
  tradingInterrupted: z.boolean().default(false),
});
export type Impact = z.infer<typeof Impact>;
const ImpactPatch = z.strictObject({
  customersAffected: z.number().int().min(0).nullable().optional(),
  fundsAtRisk: Money.nullable().optional(),
  recordsExposed: z.number().int().min(0).nullable().optional(),
  tradingInterrupted: z.boolean().optional(),
});
const Tags = z.array(z.string().trim().min(1).max(64)).max(50);

export const IncidentCreate = z.strictObject({
  title: label(200),
  summary: z.string().max(20000).default(''),
  category: CategorySchema,
  grade: GradeSchema,
  severity: z.number().int().min(1).max(5).optional(),
  services: z.array(z.string().max(64)).max(50).default([]),
  impact: Impact.optional(),
  tags: Tags.default([]),
  restricted: z.boolean().default(false),
  /** When the incident was first detected; defaults to now. */
  detectedAt: isoTime.optional(),
  commanderId: z.string().optional(),
  /** A drill: the same plans run, but every connector that reaches outside only records what it would send. */
  drill: z.boolean().optional(),
});
export type IncidentCreate = z.infer<typeof IncidentCreate>;

export const IncidentUpdate = z.strictObject({
  title: label(200).optional(),
  summary: z.string().max(20000).optional(),
  category: CategorySchema.optional(),
  grade: GradeSchema.optional(),
  severity: z.number().int().min(1).max(5).optional(),
  services: z.array(z.string().max(64)).max(50).optional(),
  impact: ImpactPatch.optional(),
  tags: Tags.optional(),
  restricted: z.boolean().optional(),
  commanderId: z.string().nullable().optional(),
  /** The version the editor saw; when given and stale, the edit is refused with 409 (no lost updates). */
  version: z.number().int().min(1).optional(),
});
export type IncidentUpdate = z.infer<typeof IncidentUpdate>;

export const Transition = z.strictObject({ to: StatusSchema, note: z.string().max(5000).optional() });

export const Participant = z.object({
  userId: z.string(),
  name: z.string(),
  email: z.string(),
  role: ParticipantRoleSchema,
  addedAt: isoTime,
});
export const ParticipantAdd = z.strictObject({ userId: z.string().min(1).max(64), role: ParticipantRoleSchema });

export const Milestones = z.object({
  detectedAt: isoTime,
  acknowledgedAt: nullableIso,
  containedAt: nullableIso,
  eradicatedAt: nullableIso,
  recoveredAt: nullableIso,
  closedAt: nullableIso,
  falsePositiveAt: nullableIso,
  reopenedAt: nullableIso,
});
export const Elapsed = z.object({
  toAcknowledgeMs: z.number().nullable(),
  toContainMs: z.number().nullable(),
  toRecoverMs: z.number().nullable(),
});

/** What detection knew when it declared an incident: the console words the summary from it, in the viewer's language and zone. */
export const DetectionFacts = z.object({
  alertId: z.string(),
  ruleId: z.string(),
  ruleTitles: LocalizedText,
  level: z.enum(ALERT_LEVELS),
  firstSeenAt: isoTime,
  accounts: z.array(z.string()),
  ips: z.array(z.string()),
  hosts: z.array(z.string()),
  /** Catalog keys of the services named. */
  services: z.array(z.string()),
  category: z.enum(CATEGORIES),
  grade: z.enum(GRADES),
});
export type DetectionFacts = z.infer<typeof DetectionFacts>;

export const Incident = z.object({
  id: z.string(),
  key: z.string(),
  /** As written: by a person, or by detection (in English; `titleI18n` has both languages). */
  title: z.string(),
  /** Detection's title in both languages; null once a person edits the title (their words win). */
  titleI18n: LocalizedText.nullable(),
  summary: z.string(),
  /** Detection's summary in both languages (times in Asia/Shanghai); null once a person edits the summary. */
  summaryI18n: LocalizedText.nullable(),
  /** The facts detection's summary states, while `summaryI18n` stands (for wording it in the viewer's zone). */
  summaryFacts: DetectionFacts.nullable(),
  category: CategorySchema,
  grade: GradeSchema,
  severity: z.number().int(),
  status: StatusSchema,
  restricted: z.boolean(),
  /** A drill incident (plans run with connectors in dry run). */
  drill: z.boolean(),
  tags: z.array(z.string()),
  services: z.array(Service.pick({ key: true, nameZh: true, nameEn: true })),
  impact: z.object({
    customersAffected: z.number().nullable(),
    fundsAtRisk: z.object({ amountMinor: z.number(), currency: z.string() }).nullable(),
    recordsExposed: z.number().nullable(),
    tradingInterrupted: z.boolean(),
  }),
  commander: UserRef.nullable(),
  participants: z.array(Participant),
  milestones: Milestones,
  elapsed: Elapsed,
  createdAt: isoTime,
  updatedAt: isoTime,
  /** When anything last happened to it: the newest of `updatedAt` and its newest timeline entry (a note counts). */
  lastActivityAt: isoTime,
  version: z.number().int(),
});
export type Incident = z.infer<typeof Incident>;

export const IncidentListQuery = Pagination.extend({
  /** A status, `active` (any status before closing) or `ended` (closed or false positive). */
  status: z.union([StatusSchema, z.literal('active'), z.literal('ended')]).optional(),
  grade: GradeSchema.optional(),
  category: CategorySchema.optional(),
  service: z.string().max(64).optional(),
  q: z.string().max(200).optional(),
  /** `detected`: newest detection first (default); `severity`: most severe first, then newest. */
  sort: z.enum(['detected', 'severity']).default('detected'),
});

// ---- timeline ----
export const TimelineEntry = z.object({
  id: z.string(),
  incidentKey: z.string(),
  seq: z.number().int(),
  at: isoTime,
  actor: UserRef.nullable(),
  kind: z.enum(TIMELINE_KINDS),
  text: z.string(),
  correctsId: z.string().nullable(),
  data: z.record(z.string(), z.unknown()).nullable(),
});
export type TimelineEntry = z.infer<typeof TimelineEntry>;
export const TimelineAppend = z.strictObject({
  text: text(10000),
  kind: z.enum(HUMAN_TIMELINE_KINDS).default('note'),
  correctsId: z.string().max(64).optional(),
});

// ---- tasks ----
export const TaskStatusSchema = z.enum(TASK_STATUSES);
export const Task = z.object({
  id: z.string(),
  incidentKey: z.string(),
  title: z.string(),
  owner: UserRef.nullable(),
  ownerRole: ParticipantRoleSchema.nullable(),
  dueAt: nullableIso,
  status: TaskStatusSchema,
  createdAt: isoTime,
  updatedAt: isoTime,
  completedAt: nullableIso,
  /** Set when a plan's activation created the task. */
  plan: z
    .object({
      activationId: z.string(),
      step: z.string(),
      phase: z.string(),
      titleI18n: LocalizedText.nullable(),
      checklist: z.array(LocalizedText),
    })
    .nullable(),
});
export type Task = z.infer<typeof Task>;
export const TaskCreate = z.strictObject({
  title: label(300),
  ownerUserId: z.string().max(64).optional(),
  ownerRole: ParticipantRoleSchema.optional(),
  dueAt: isoTime.optional(),
});
export const TaskUpdate = z.strictObject({
  title: label(300).optional(),
  ownerUserId: z.string().max(64).nullable().optional(),
  ownerRole: ParticipantRoleSchema.nullable().optional(),
  dueAt: isoTime.nullable().optional(),
  status: TaskStatusSchema.optional(),
});
