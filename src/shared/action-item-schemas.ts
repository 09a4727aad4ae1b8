/**
 * Action items (issue 16, docs/reviews.md): what must change after an incident, a drill or a risk — an owner,
 * a due date, a priority, a status tracked to closure (done, cancelled or accepted as a risk with a
 * reason), where it came from and what it treats; every change kept in its history.
 */
import { z } from 'zod';
import { isoTime, nullableIso } from './api-schemas.js';
import { label } from './text.js';
import { UserRef } from './user-schemas.js';

export const ACTION_ITEM_STATUSES = ['open', 'in_progress', 'done', 'accepted_risk', 'cancelled'] as const;
export type ActionItemStatus = (typeof ACTION_ITEM_STATUSES)[number];
/** Statuses of an item nobody has to work on any more. */
export const ACTION_ITEM_ENDED: readonly ActionItemStatus[] = ['done', 'accepted_risk', 'cancelled'];
/** Moves allowed: work starts, ends, or is reopened. */
export const ACTION_ITEM_TRANSITIONS: Record<ActionItemStatus, readonly ActionItemStatus[]> = {
  open: ['in_progress', 'done', 'accepted_risk', 'cancelled'],
  in_progress: ['open', 'done', 'accepted_risk', 'cancelled'],
  done: ['open'],
  accepted_risk: ['open'],
  cancelled: ['open'],
};
export const ACTION_ITEM_PRIORITIES = ['p1', 'p2', 'p3', 'p4'] as const;
export const ACTION_ITEM_SOURCES = ['review', 'drill', 'risk', 'none'] as const;
export const ACTION_ITEM_TREATS = ['vulnerability', 'risk'] as const;
export const ACTION_ITEM_EVENT_KINDS = ['created', 'updated', 'status', 'reminded', 'escalated'] as const;

const noNul = (s: string) => !s.includes('\u0000');
const refId = z.string().trim().min(1).max(64);

export const ActionItemSource = z.strictObject({ kind: z.enum(ACTION_ITEM_SOURCES), id: refId.nullable().optional() });
export const ActionItemTreats = z.strictObject({ kind: z.enum(ACTION_ITEM_TREATS), id: refId });

export const ActionItemCreate = z.strictObject({
  /** As typed (Chinese or English). */
  title: label(300),
  description: z.string().max(10_000).refine(noNul, 'contains a NUL character').default(''),
  ownerId: z.string().min(1).max(64),
  dueAt: isoTime,
  priority: z.enum(ACTION_ITEM_PRIORITIES).default('p3'),
  treats: ActionItemTreats.nullable().optional(),
});
export type ActionItemCreate = z.infer<typeof ActionItemCreate>;

/** A generic item: its source is given (a review's items are created through the review). */
export const ActionItemCreateBody = ActionItemCreate.extend({
  source: ActionItemSource.default({ kind: 'none' }),
});
export type ActionItemCreateBody = z.infer<typeof ActionItemCreateBody>;

export const ActionItemUpdate = z.strictObject({
  title: label(300).optional(),
  description: z.string().max(10_000).refine(noNul, 'contains a NUL character').optional(),
  ownerId: z.string().min(1).max(64).optional(),
  dueAt: isoTime.optional(),
  priority: z.enum(ACTION_ITEM_PRIORITIES).optional(),
  treats: ActionItemTreats.nullable().optional(),
  /** The version read; a stale one is 409. */
  version: z.number().int().optional(),
});
export type ActionItemUpdate = z.infer<typeof ActionItemUpdate>;

export const ActionItemTransition = z.strictObject({
  to: z.enum(ACTION_ITEM_STATUSES),
  /** Required for accepted_risk (why the risk is accepted) and cancelled. */
  reason: z.string().trim().max(2000).optional(),
});
export type ActionItemTransition = z.infer<typeof ActionItemTransition>;

export const ActionItemEvent = z.object({
  at: isoTime,
  actor: UserRef.nullable(),
  kind: z.enum(ACTION_ITEM_EVENT_KINDS),
  data: z.record(z.string(), z.unknown()),
});

export const ActionItem = z.object({
  id: z.string(),
  title: z.string(),
  description: z.string(),
  owner: UserRef,
  dueAt: isoTime,
  priority: z.enum(ACTION_ITEM_PRIORITIES),
  status: z.enum(ACTION_ITEM_STATUSES),
  /** Why it was accepted as a risk or cancelled. */
  reason: z.string().nullable(),
  acceptedBy: UserRef.nullable(),
  acceptedAt: nullableIso,
  closedAt: nullableIso,
  overdue: z.boolean(),
  escalatedAt: nullableIso,
  source: z.object({ kind: z.enum(ACTION_ITEM_SOURCES), id: z.string().nullable() }),
  treats: z.object({ kind: z.enum(ACTION_ITEM_TREATS), id: z.string() }).nullable(),
  incidentKey: z.string().nullable(),
  createdAt: isoTime,
  updatedAt: isoTime,
  version: z.number().int(),
});
export type ActionItem = z.infer<typeof ActionItem>;

export const ActionItemDetail = ActionItem.extend({ history: z.array(ActionItemEvent) });
export type ActionItemDetail = z.infer<typeof ActionItemDetail>;

export const ActionItemListQuery = z.strictObject({
  status: z.enum([...ACTION_ITEM_STATUSES, 'active']).optional(),
  /** A user id, or `me`. */
  owner: z.string().max(64).optional(),
  overdue: z
    .enum(['true', 'false'])
    .transform((v) => v === 'true')
    .optional(),
  source: z.enum(ACTION_ITEM_SOURCES).optional(),
  sourceId: z.string().max(64).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(200),
});
export type ActionItemListQuery = z.infer<typeof ActionItemListQuery>;

export const ActionItemList = z.object({ items: z.array(ActionItem) });
