/**
 * The attack timeline of an incident (issue 15, "Analysis"): the alerts' events, the alerts, the response
 * actions, people's notes and status changes on one time axis, filterable by an entity (account, IP,
 * host), with the marks an investigator reads it by — first compromise, detection, containment, recovery.
 */
import { z } from 'zod';
import { isoTime, nullableIso } from './api-schemas.js';

export const ATTACK_TIMELINE_KINDS = ['event', 'alert', 'action', 'note', 'status', 'milestone', 'evidence'] as const;
export const ENTITY_KINDS = ['account', 'ip', 'host'] as const;

export const AttackTimelineItem = z.object({
  at: isoTime,
  kind: z.enum(ATTACK_TIMELINE_KINDS),
  title: z.string(),
  detail: z.string().nullable(),
  /** The accounts, IPs and hosts the item names. */
  entities: z.array(z.string()),
  /** What the item is (alert, event, action run, timeline entry, evidence item); null for a milestone. */
  ref: z.object({ type: z.string(), id: z.string() }).nullable(),
});
export type AttackTimelineItem = z.infer<typeof AttackTimelineItem>;

export const AttackTimeline = z.object({
  incidentKey: z.string(),
  marks: z.object({
    /** The earliest event of the incident's alerts. */
    firstCompromise: nullableIso,
    detection: nullableIso,
    containment: nullableIso,
    recovery: nullableIso,
  }),
  /** The entity the items were filtered by, or null. */
  entity: z.string().nullable(),
  /** The entities the alerts and events name, most seen first (for the filter). */
  entities: z.array(z.object({ value: z.string(), kind: z.enum(ENTITY_KINDS), count: z.number().int() })),
  items: z.array(AttackTimelineItem),
  /** More events than the timeline reads (the newest are left out). */
  truncated: z.boolean(),
});
export type AttackTimeline = z.infer<typeof AttackTimeline>;

export const AttackTimelineQuery = z.strictObject({
  entity: z.string().trim().min(1).max(200).optional(),
});
