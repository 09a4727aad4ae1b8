/**
 * A dedicated owner for every affected customer (专人负责, issue 12): owner pools, assignment per
 * incident, the owner's worklist and what they record (contact attempts, promised callbacks, notes,
 * concerns and requests). Customers appear with masked contacts only.
 */
import { z } from 'zod';
import { isoTime, nullableIso, page, Pagination } from './api-schemas.js';
import { label } from './text.js';

export const OWNER_POOL_KINDS = ['branch', 'tier'] as const;
export const OWNER_RULES = ['account_manager', 'branch_pool', 'tier_queue', 'default', 'reassigned'] as const;
export const OWNER_STATES = ['open', 'contacted', 'resolved'] as const;
export const CONTACT_CHANNELS = ['call', 'sms', 'email', 'visit'] as const;
export const CONTACT_OUTCOMES = ['reached', 'no_answer', 'voicemail', 'wrong_number', 'refused'] as const;
export const NOTE_KINDS = ['note', 'concern', 'request'] as const;
export const ACTIVITY_KINDS = ['contact', 'callback', ...NOTE_KINDS] as const;
export const ITEM_STATUSES = ['open', 'done'] as const;

const Person = z.object({ id: z.string(), name: z.string().nullable() });
const id = z.string().min(1).max(64);

export const OwnerPool = z.object({
  id: z.string(),
  kind: z.enum(OWNER_POOL_KINDS),
  name: z.string(),
  users: z.array(Person),
  updatedAt: isoTime,
});
export type OwnerPool = z.infer<typeof OwnerPool>;
export const OwnerPoolList = z.object({ items: z.array(OwnerPool) });

/** Sets a pool's users (replacing them); an empty list removes the pool. */
export const OwnerPoolPut = z.strictObject({
  kind: z.enum(OWNER_POOL_KINDS),
  name: label(120),
  userIds: z.array(id).max(200),
});
export type OwnerPoolPut = z.infer<typeof OwnerPoolPut>;

/** Assign owners to customers given by id or customer number, or to the customers of an affected set. */
export const OwnerAssign = z
  .strictObject({
    customerIds: z.array(id).min(1).max(10_000).optional(),
    customerNos: z.array(z.string().trim().min(1).max(64)).min(1).max(10_000).optional(),
    setId: id.optional(),
  })
  .refine((b) => [b.customerIds, b.customerNos, b.setId].filter((x) => x !== undefined).length === 1, {
    message: 'give exactly one of customerIds, customerNos, setId',
  });
export type OwnerAssign = z.infer<typeof OwnerAssign>;

export const OwnedCustomer = z.object({
  id: z.string(),
  customerNo: z.string(),
  name: z.string(),
  phoneMasked: z.string().nullable(),
  emailMasked: z.string().nullable(),
  branch: z.string().nullable(),
  tier: z.string().nullable(),
  language: z.string(),
});

export const ESCALATION_KINDS = ['owner_sla', 'callback', 'inquiry_sla', 'inquiry_new'] as const;
/**
 * An escalation that went to the owner: an overdue first contact, a callback come due, an overdue
 * inquiry, or a question the customer just asked on the help portal (`inquiry_new`).
 */
export const OwnerEscalation = z.object({
  kind: z.enum(ESCALATION_KINDS),
  at: isoTime,
  /** Whether a page went out (an inquiry without an incident is escalated without one). */
  paged: z.boolean(),
  reason: z.string(),
});

export const OwnerAssignment = z.object({
  incidentKey: z.string(),
  customer: OwnedCustomer,
  owner: Person,
  rule: z.enum(OWNER_RULES),
  state: z.enum(OWNER_STATES),
  slaDueAt: isoTime,
  /** Not yet reached and past the SLA. */
  overdue: z.boolean(),
  firstContactAt: nullableIso,
  assignedAt: isoTime,
  /** The next open callback promised, if any. */
  nextCallbackAt: nullableIso,
  /** Escalations that went to the owner for this customer, newest first. */
  escalations: z.array(OwnerEscalation),
});
export type OwnerAssignment = z.infer<typeof OwnerAssignment>;

export const OwnerAssignResult = z.object({
  /** Newly assigned. */
  assigned: z.number().int(),
  /** Already had an owner for this incident (kept). */
  kept: z.number().int(),
  /** Customer ids or numbers that are not known. */
  unknown: z.array(z.string()),
  /** Customers no owner could be found for (no account manager, pool, queue or customer service user). */
  unassigned: z.array(z.string()),
});

export const OwnerCount = z.object({ owner: Person, open: z.number().int(), overdue: z.number().int() });
export const IncidentOwners = z.object({
  items: z.array(OwnerAssignment),
  perOwner: z.array(OwnerCount),
  overdue: z.number().int(),
});
export type IncidentOwners = z.infer<typeof IncidentOwners>;

export const OwnerReassign = z.strictObject({ ownerId: id, reason: label(500) });
export const OwnerStateChange = z.strictObject({ state: z.enum(OWNER_STATES) });

export const WorklistQuery = Pagination;
export const Worklist = page(OwnerAssignment);

export const OwnerActivity = z.object({
  id: z.string(),
  kind: z.enum(ACTIVITY_KINDS),
  channel: z.enum(CONTACT_CHANNELS).nullable(),
  outcome: z.enum(CONTACT_OUTCOMES).nullable(),
  text: z.string(),
  dueAt: nullableIso,
  status: z.enum(ITEM_STATUSES).nullable(),
  by: Person.nullable(),
  createdAt: isoTime,
});
export type OwnerActivity = z.infer<typeof OwnerActivity>;

export const OwnerCase = OwnerAssignment.extend({ activities: z.array(OwnerActivity) });
export type OwnerCase = z.infer<typeof OwnerCase>;

export const ContactCreate = z.strictObject({
  channel: z.enum(CONTACT_CHANNELS),
  outcome: z.enum(CONTACT_OUTCOMES),
  note: z.string().trim().max(2000).default(''),
});
export const CallbackCreate = z.strictObject({ at: isoTime, note: z.string().trim().max(2000).default('') });
export const NoteCreate = z.strictObject({ kind: z.enum(NOTE_KINDS), text: label(4000) });
export const ActivityPatch = z.strictObject({ status: z.enum(ITEM_STATUSES) });

/** The console's reminder of a promised callback (stream event `owner.reminder`, to the owner only). */
export const OwnerReminder = z.object({
  incidentKey: z.string(),
  customerId: z.string(),
  customerNo: z.string(),
  at: isoTime,
  note: z.string(),
});
export type OwnerReminder = z.infer<typeof OwnerReminder>;
