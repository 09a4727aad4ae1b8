/**
 * Impact scoping (issue 12): the account-activity index (imports of extracts) and the affected-customer
 * sets of an incident — their definitions (the console's query builder makes the same JSON), versions,
 * members with reasons, and the difference between two versions.
 */
import { z } from 'zod';
import { isoTime } from './api-schemas.js';
import { label } from './text.js';

export const ACTIVITY_ACTIONS = ['login', 'order', 'transfer', 'other'] as const;
export type ActivityAction = (typeof ACTIVITY_ACTIONS)[number];

/** An IPv4/IPv6 address or CIDR block (checked again, precisely, when the definition is evaluated). */
const ipOrCidr = z
  .string()
  .trim()
  .min(2)
  .max(64)
  .regex(/^[0-9a-fA-F:.]+(\/\d{1,3})?$/, 'an IP address or a CIDR block such as 203.0.113.0/24');
const shortText = z.string().trim().min(1).max(200);
const when = z.union([z.iso.datetime({ offset: true }), z.number().int().min(0)]);

const IncidentAlertsSource = z.strictObject({ kind: z.literal('incident-alerts') });
const ListSource = z.strictObject({
  kind: z.literal('list'),
  customerNos: z.array(shortText).max(100_000).optional(),
  accountNos: z.array(shortText).max(100_000).optional(),
});
const ActivitySource = z.strictObject({
  kind: z.literal('activity'),
  ips: z.array(ipOrCidr).max(10_000).optional(),
  accounts: z.array(shortText).max(10_000).optional(),
  actions: z.array(z.enum(ACTIVITY_ACTIONS)).max(4).optional(),
  outcomes: z.array(z.string().trim().toLowerCase().min(1).max(32)).max(20).optional(),
  sources: z.array(shortText).max(50).optional(),
  /** ISO-8601 or epoch ms. */
  from: when,
  to: when,
});
const Segment = {
  branches: z.array(shortText).max(1000).optional(),
  tiers: z.array(shortText).max(100).optional(),
};
const SegmentSource = z.strictObject({ kind: z.literal('segment'), ...Segment });

export const ScopeSource = z.discriminatedUnion('kind', [
  IncidentAlertsSource,
  ListSource,
  ActivitySource,
  SegmentSource,
]);
export type ScopeSource = z.infer<typeof ScopeSource>;

export const ScopeDefinition = z.strictObject({
  sources: z.array(ScopeSource).min(1).max(20),
  combine: z.literal('union').default('union'),
  /** Keep only the members whose customer is in these branches / tiers (accounts of no known customer drop out). */
  intersectSegment: z.strictObject(Segment).optional(),
});
export type ScopeDefinition = z.infer<typeof ScopeDefinition>;

export const AffectedSetCreate = z.strictObject({
  name: label(200),
  definition: ScopeDefinition,
  /** This set's count becomes the incident's customers affected (default: the largest set's does). */
  primary: z.boolean().default(false),
});
export type AffectedSetCreate = z.infer<typeof AffectedSetCreate>;

export const AffectedSetUpdate = z.strictObject({
  name: label(200).optional(),
  definition: ScopeDefinition,
  primary: z.boolean().optional(),
});
export type AffectedSetUpdate = z.infer<typeof AffectedSetUpdate>;

/** Why a member is in a set. */
export const MemberReason = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('activity'),
    accountNo: z.string(),
    ip: z.string().nullable(),
    at: isoTime,
    action: z.string(),
    outcome: z.string().nullable(),
    /** Rows of this account, address, action and outcome in the window. */
    count: z.number(),
  }),
  z.object({ kind: z.literal('alert'), accountNo: z.string(), alertId: z.string(), title: z.string() }),
  z.object({ kind: z.literal('list'), accountNo: z.string().nullable(), customerNo: z.string().nullable() }),
  z.object({ kind: z.literal('segment'), branch: z.string().nullable(), tier: z.string().nullable() }),
]);
export type MemberReason = z.infer<typeof MemberReason>;

const Person = z.object({ id: z.string(), name: z.string().nullable() });

export const AffectedSetVersionInfo = z.object({
  version: z.number(),
  customerCount: z.number(),
  definition: ScopeDefinition,
  createdBy: Person.nullable(),
  createdAt: isoTime,
});

export const AffectedSet = z.object({
  id: z.string(),
  incidentKey: z.string(),
  name: z.string(),
  version: z.number(),
  customerCount: z.number(),
  primary: z.boolean(),
  createdBy: Person.nullable(),
  createdAt: isoTime,
  updatedAt: isoTime,
  /** The version asked for (the current one by default). */
  shown: AffectedSetVersionInfo,
  versions: z.array(AffectedSetVersionInfo.omit({ definition: true })),
});
export type AffectedSet = z.infer<typeof AffectedSet>;
export const AffectedSetList = z.object({ items: z.array(AffectedSet.omit({ shown: true, versions: true })) });

/** A member as staff see it: masked customer data only. */
export const AffectedMember = z.object({
  customerId: z.string().nullable(),
  customerNo: z.string().nullable(),
  name: z.string().nullable(),
  branch: z.string().nullable(),
  tier: z.string().nullable(),
  phoneMasked: z.string().nullable(),
  accountNo: z.string().nullable(),
  reasons: z.array(MemberReason),
});
export type AffectedMember = z.infer<typeof AffectedMember>;
export const AffectedMemberPage = z.object({
  version: z.number(),
  total: z.number(),
  items: z.array(AffectedMember),
  next: z.string().nullable(),
});

export const AffectedSetQuery = z.strictObject({ version: z.coerce.number().int().min(1).optional() });
export const MemberQuery = z.strictObject({
  version: z.coerce.number().int().min(1).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(50),
  cursor: z.string().max(500).optional(),
});
export const DiffQuery = z.strictObject({
  from: z.coerce.number().int().min(1),
  to: z.coerce.number().int().min(1),
});
export const AffectedSetDiff = z.object({
  from: z.number(),
  to: z.number(),
  addedCount: z.number(),
  removedCount: z.number(),
  /** At most 500 each. */
  added: z.array(AffectedMember),
  removed: z.array(AffectedMember),
});

export const ActivityImportResult = z.object({
  accepted: z.number(),
  rejectedCount: z.number(),
  /** At most 1000. */
  rejected: z.array(z.object({ line: z.number(), reason: z.string() })),
});
export type ActivityImportResult = z.infer<typeof ActivityImportResult>;
export const ActivityImportQuery = z.strictObject({
  /** The extract's file name (the rows' source becomes `extract:<file>`). */
  file: z.string().trim().min(1).max(200).default('upload'),
});
