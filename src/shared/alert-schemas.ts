/** Request and response schemas of alerts, suppressions and maintenance windows. */
import { z } from 'zod';
import { ALERT_KINDS, ALERT_LEVELS, ALERT_STATUSES, ENTITY_KINDS } from './enums.js';
import { LocalizedText, Pagination, isoTime, nullableIso, text } from './api-schemas.js';
import { CategorySchema, GradeSchema, IncidentKey } from './incident-schemas.js';
import { UserRef } from './user-schemas.js';

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
