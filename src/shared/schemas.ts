/** Request and response schemas of the HTTP API (zod): validated on the server, typed in the console. */
import { z } from 'zod';
import {
  ALERT_KINDS,
  ALERT_LEVELS,
  ALERT_STATUSES,
  CATEGORIES,
  ENTITY_KINDS,
  GRADES,
  HUMAN_TIMELINE_KINDS,
  LOCALES,
  PARTICIPANT_ROLES,
  STATUSES,
  TASK_STATUSES,
  TIMELINE_KINDS,
  TOKEN_SCOPES,
  USER_ROLES,
} from './enums.js';
import type { ServiceHealthChange } from './probe-schemas.js';
import { label } from './text.js';

const text = (max: number) => z.string().trim().min(1).max(max);
const isoTime = z.iso.datetime({ offset: true });
const nullableIso = isoTime.nullable();

const ProblemParams = z.record(z.string(), z.union([z.string(), z.number()]));
export const Problem = z.object({
  type: z.string(),
  title: z.string(),
  status: z.number().int(),
  /** Stable code (src/shared/problem-codes.ts): clients word the problem from it and `params`; `detail` is English. */
  code: z.string().optional(),
  params: ProblemParams.optional(),
  detail: z.string().optional(),
  instance: z.string().optional(),
  errors: z
    .array(
      z.object({
        path: z.string(),
        message: z.string(),
        code: z.string().optional(),
        params: ProblemParams.optional(),
      }),
    )
    .optional(),
});

/** A text written by Tocsin itself (detection) in both console languages. */
export const LocalizedText = z.object({ 'zh-CN': z.string(), en: z.string() });
export type LocalizedText = z.infer<typeof LocalizedText>;

export const Pagination = z.strictObject({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(200).optional(),
});

export const page = <T extends z.ZodType>(item: T) => z.object({ items: z.array(item), next: z.string().nullable() });

// ---- services ----
export const Service = z.object({
  id: z.string(),
  key: z.string(),
  nameZh: z.string(),
  nameEn: z.string(),
  description: z.string(),
});
export type Service = z.infer<typeof Service>;
export const ServiceCreate = z.strictObject({
  key: z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'lowercase letters, digits and dashes'),
  nameZh: label(120),
  nameEn: label(120),
  description: z.string().max(2000).default(''),
});

// ---- users ----
export const UserRoleSchema = z.enum(USER_ROLES);
export const User = z.object({
  id: z.string(),
  email: z.string(),
  name: z.string(),
  role: UserRoleSchema,
  locale: z.enum(LOCALES),
  mfaEnabled: z.boolean(),
  disabled: z.boolean(),
  createdAt: isoTime,
  /** The password was generated or set by an administrator: the next sign-in must change it first. */
  passwordChangeRequired: z.boolean(),
});
export type User = z.infer<typeof User>;
export const UserCreate = z.strictObject({
  email: z.email().max(254),
  name: label(120),
  role: UserRoleSchema,
  password: z.string().min(12).max(256),
  locale: z.enum(LOCALES).default('zh-CN'),
  /** The user must change this password at the first sign-in (the administrator knows it). */
  mustChangePassword: z.boolean().default(false),
});
export const UserUpdate = z.strictObject({
  name: label(120).optional(),
  role: UserRoleSchema.optional(),
  locale: z.enum(LOCALES).optional(),
  disabled: z.boolean().optional(),
  password: z.string().min(12).max(256).optional(),
  /** Removes the user's second factor (a lost phone) so they can enrol again; ends their sessions. */
  resetMfa: z.literal(true).optional(),
});
export const UserRef = z.object({ id: z.string(), name: z.string() });

// ---- session / auth ----
export const LoginRequest = z.strictObject({
  email: z.string().trim().min(1).max(254),
  password: z.string().min(1).max(256),
});
export const MfaCode = z.strictObject({ code: z.string().regex(/^\d{6}$/, 'six digits') });
export const SessionInfo = z.object({
  user: User,
  csrfToken: z.string(),
  /** A second factor is still needed before anything else is allowed. */
  mfaRequired: z.boolean(),
  /** Policy requires this user to enrol a second factor before anything else is allowed. */
  mfaEnrolmentRequired: z.boolean(),
  /** The password must be changed (POST /api/v1/me/password) before anything else is allowed. */
  passwordChangeRequired: z.boolean(),
  expiresAt: isoTime,
});
export type SessionInfo = z.infer<typeof SessionInfo>;
export const MfaEnrolment = z.object({ secret: z.string(), otpauthUrl: z.string() });

// ---- API tokens ----
export const TokenScopeSchema = z.enum(TOKEN_SCOPES);
export const ApiToken = z.object({
  id: z.string(),
  userId: z.string(),
  name: z.string(),
  scopes: z.array(TokenScopeSchema),
  prefix: z.string(),
  createdAt: isoTime,
  lastUsedAt: nullableIso,
  expiresAt: nullableIso,
  revokedAt: nullableIso,
});
export const ApiTokenCreate = z.strictObject({
  name: label(120),
  scopes: z.array(TokenScopeSchema).min(1).default(['read', 'write']),
  expiresAt: isoTime.optional(),
});
export const ApiTokenCreated = ApiToken.extend({ token: z.string() });

// ---- incidents ----
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

// ---- audit ----
export const AuditEntry = z.object({
  seq: z.number().int(),
  id: z.string(),
  at: isoTime,
  actor: z.object({ id: z.string().nullable(), label: z.string() }),
  action: z.string(),
  targetType: z.string(),
  targetId: z.string().nullable(),
  before: z.unknown(),
  after: z.unknown(),
  prevHash: z.string(),
  hash: z.string(),
});
export type AuditEntry = z.infer<typeof AuditEntry>;
export const AuditQuery = Pagination.extend({
  action: z.string().max(100).optional(),
  targetType: z.string().max(50).optional(),
  targetId: z.string().max(100).optional(),
  /** Entries at or after this time. */
  from: isoTime.optional(),
  /** Entries before this time (exclusive). */
  to: isoTime.optional(),
  /** Entries written by this user, or `system` for those no person wrote (detection, probes, set-up). */
  actorId: z.string().trim().min(1).max(64).optional(),
});
export const AuditVerifyResult = z.object({
  ok: z.boolean(),
  checked: z.number().int(),
  firstBad: z.object({ seq: z.number().int(), reason: z.string() }).nullable(),
  /** The newest entry that verified: keep it elsewhere as an anchor (see `tocsin audit anchor`). */
  head: z.object({ seq: z.number().int(), hash: z.string() }).nullable(),
});

// ---- alerts ----
const IncidentKey = z.string().regex(/^INC-\d{4}-\d{4,}$/, 'an incident key such as INC-2026-0001');
export const AlertLevelSchema = z.enum(ALERT_LEVELS);
export const AlertStatusSchema = z.enum(ALERT_STATUSES);
export const EntityKindSchema = z.enum(ENTITY_KINDS);
/** An account, host or IP address (for an IP in a suppression or window, also a CIDR range). */
export const EntityRef = z.strictObject({ kind: EntityKindSchema, value: z.string().trim().min(1).max(256) });
export type EntityRef = z.infer<typeof EntityRef>;
export const Entities = z.object({
  accounts: z.array(z.string()),
  hosts: z.array(z.string()),
  ips: z.array(z.string()),
});
export type Entities = z.infer<typeof Entities>;

export const Alert = z.object({
  id: z.string(),
  ruleId: z.string(),
  /** The rule's title in English. */
  ruleTitle: z.string(),
  /** The rule's title in both languages (zh-CN from the rule's description; the English one when it has none). */
  ruleTitles: LocalizedText,
  level: AlertLevelSchema,
  /** 1 (critical) … 5 (informational), the same scale as an incident's severity. */
  severity: z.number().int(),
  kind: z.enum(ALERT_KINDS),
  tags: z.array(z.string()),
  entities: Entities,
  /** Business services (catalog keys) the events named. */
  services: z.array(z.string()),
  /** A correlation's group-by values. */
  group: z.record(z.string(), z.unknown()).nullable(),
  fingerprint: z.string(),
  /** How many matches were deduplicated into this alert (1 for a fresh one). */
  count: z.number().int(),
  /** Events over all those matches (only the first few are kept with the alert). */
  eventCount: z.number().int(),
  firstSeenAt: isoTime,
  lastSeenAt: isoTime,
  status: AlertStatusSchema,
  /** For a suppressed alert: what held it back. */
  heldBy: z
    .object({
      kind: z.enum(['suppression', 'maintenance']),
      id: z.string(),
      /** Empty and `reasonWithheld` when the suppression came from an alert of a restricted incident. */
      reason: z.string(),
      reasonWithheld: z.boolean(),
    })
    .nullable(),
  incident: z.object({ key: z.string(), title: z.string(), titleI18n: LocalizedText.nullable() }).nullable(),
  suggested: z.object({ category: CategorySchema, grade: GradeSchema }),
  acknowledged: z.object({ by: UserRef.nullable(), at: isoTime }).nullable(),
  falsePositive: z.object({ by: UserRef.nullable(), at: isoTime, reason: z.string() }).nullable(),
  createdAt: isoTime,
  updatedAt: isoTime,
});
export type Alert = z.infer<typeof Alert>;
export const AlertEvent = z.object({
  id: z.string(),
  time: isoTime,
  source: z.string(),
  logsource: z.record(z.string(), z.string()),
  /** The event's fields as received (when too large to keep whole: a string prefix and truncated = true). */
  fields: z.unknown(),
  truncated: z.boolean(),
});
export type AlertEvent = z.infer<typeof AlertEvent>;
export const AlertDetail = Alert.extend({ events: z.array(AlertEvent) });
export type AlertDetail = z.infer<typeof AlertDetail>;
export const AlertListQuery = Pagination.extend({
  /** `active`: open or acknowledged. */
  status: z.union([AlertStatusSchema, z.literal('active')]).optional(),
  level: AlertLevelSchema.optional(),
  rule: z.string().max(200).optional(),
  incident: IncidentKey.optional(),
  /** Words in the rule title or id, or an entity value. */
  q: z.string().max(200).optional(),
});
export const AlertFalsePositive = z.strictObject({
  reason: text(2000),
  /** Also hold back the rule's future alerts: for one of this alert's entities, or for any when entity is null. */
  suppress: z.strictObject({ entity: EntityRef.nullable().default(null), expiresAt: isoTime.optional() }).optional(),
});
export const AlertLink = z.strictObject({ incidentKey: IncidentKey.nullable() });

export const Suppression = z.object({
  id: z.string(),
  /** Null: any rule — or withheld (see reasonWithheld). */
  ruleId: z.string().nullable(),
  /** Null: any entity — or withheld (see reasonWithheld). */
  entity: z.object({ kind: EntityKindSchema, value: z.string() }).nullable(),
  /** Empty when withheld. */
  reason: z.string(),
  /**
   * The suppression came from an alert of a restricted incident the reader is not part of: its reason,
   * rule, entity and alert are withheld (empty or null); only its members and administrators see them.
   */
  reasonWithheld: z.boolean(),
  expiresAt: nullableIso,
  createdBy: UserRef.nullable(),
  createdAt: isoTime,
  /** The alert marked false positive that asked for it. */
  fromAlertId: z.string().nullable(),
  hits: z.number().int(),
  lastHitAt: nullableIso,
});
export type Suppression = z.infer<typeof Suppression>;
export const SuppressionCreate = z.strictObject({
  ruleId: z.string().trim().min(1).max(200).optional(),
  entity: EntityRef.optional(),
  reason: text(2000),
  expiresAt: isoTime.optional(),
});
export type SuppressionCreate = z.infer<typeof SuppressionCreate>;

export const MaintenanceWindow = z.object({
  id: z.string(),
  services: z.array(z.string()),
  ruleIds: z.array(z.string()),
  entities: z.array(z.object({ kind: EntityKindSchema, value: z.string() })),
  startsAt: isoTime,
  endsAt: isoTime,
  reason: z.string(),
  createdBy: UserRef.nullable(),
  createdAt: isoTime,
  hits: z.number().int(),
  lastHitAt: nullableIso,
});
export type MaintenanceWindow = z.infer<typeof MaintenanceWindow>;
export const MaintenanceWindowCreate = z.strictObject({
  services: z.array(z.string().max(64)).max(50).default([]),
  ruleIds: z.array(z.string().trim().min(1).max(200)).max(100).default([]),
  entities: z.array(EntityRef).max(100).default([]),
  startsAt: isoTime,
  endsAt: isoTime,
  reason: text(2000),
});
export type MaintenanceWindowCreate = z.infer<typeof MaintenanceWindowCreate>;

// ---- live stream ----
/**
 * `incident.withdrawn` carries only the key: the incident is no longer visible to some who saw it
 * (made restricted, or they left a restricted one); their consoles drop it. Sent to those who saw it.
 */
export const STREAM_EVENTS = [
  'incident.created',
  'incident.updated',
  'incident.withdrawn',
  'timeline.appended',
  'task.changed',
  'alert.raised',
  'alert.updated',
  'service.health',
] as const;
export type StreamEventName = (typeof STREAM_EVENTS)[number];
export interface StreamEvent {
  event: StreamEventName;
  /** The incident concerned; null for an alert that is not part of an incident. */
  incidentKey: string | null;
  incident?: Incident;
  entry?: TimelineEntry;
  task?: Task;
  alert?: Alert;
  /** `service.health`: a service's health or one of its probes' states changed. */
  health?: ServiceHealthChange;
}
