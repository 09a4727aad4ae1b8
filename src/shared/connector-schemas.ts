/** Request and response schemas of connectors (configured instances of a connector kind) and containment action runs. */
import { z } from 'zod';
import { LocalizedText } from './api-schemas.js';
import { APPROVALS } from './plan-schemas.js';
import { label } from './text.js';

export type Approval = (typeof APPROVALS)[number];

/** A connector's name: what plans name in `connector:`. */
export const ConnectorName = z
  .string()
  .regex(/^[a-z0-9][a-z0-9_-]{0,63}$/, 'must be lowercase letters, digits, "-" or "_" (at most 64)');

/** A host name or IP address a connector may reach (no scheme, no port). */
const AllowedHost = z
  .string()
  .min(1)
  .max(253)
  .regex(/^[A-Za-z0-9.:_-]+$/, 'a host name or IP address, without scheme or port');

const Fields = z.record(z.string().max(100), z.unknown());

export const ConnectorCreate = z.strictObject({
  name: ConnectorName,
  kind: z.string().min(1).max(64),
  config: Fields,
  /** The secret fields (passwords, keys, tokens): encrypted at rest, never returned. */
  secrets: Fields.optional(),
  /** Default: the hosts the configuration names. */
  allowedHosts: z.array(AllowedHost).max(50).optional(),
  enabled: z.boolean().optional(),
});
export type ConnectorCreate = z.infer<typeof ConnectorCreate>;

export const ConnectorUpdate = z.strictObject({
  config: Fields.optional(),
  /** Fields given replace the stored ones; a field left out keeps its stored value; null removes it. */
  secrets: Fields.optional(),
  allowedHosts: z.array(AllowedHost).max(50).optional(),
  enabled: z.boolean().optional(),
});
export type ConnectorUpdate = z.infer<typeof ConnectorUpdate>;

export const Connector = z.object({
  id: z.string(),
  name: z.string(),
  kind: z.string(),
  purpose: z.enum(['action', 'channel']),
  config: z.record(z.string(), z.unknown()),
  /** Which secret fields are set (their values are never returned). */
  secretsSet: z.array(z.string()),
  allowedHosts: z.array(z.string()),
  enabled: z.boolean(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type Connector = z.infer<typeof Connector>;

export const ConnectorTestResult = z.object({ ok: z.boolean(), detail: z.string(), at: z.string() });
export type ConnectorTestResult = z.infer<typeof ConnectorTestResult>;

/** A kind as the console's form needs it: JSON Schemas of its configuration and secrets, its actions. */
export const ConnectorKindInfo = z.object({
  kind: z.string(),
  purpose: z.enum(['action', 'channel']),
  title: LocalizedText,
  config: z.record(z.string(), z.unknown()),
  secrets: z.record(z.string(), z.unknown()),
  actions: z.array(
    z.object({ name: z.string(), rollback: z.boolean(), parameters: z.record(z.string(), z.unknown()) }),
  ),
});
export type ConnectorKindInfo = z.infer<typeof ConnectorKindInfo>;

/**
 * A run's state: `awaiting_approval` → `queued` → `running` → `succeeded` | `failed`; `rejected` by a
 * person instead of approved; a succeeded run with a rollback → `rolled_back` | `rollback_failed`.
 */
export const ACTION_STATES = [
  'awaiting_approval',
  'queued',
  'running',
  'succeeded',
  'failed',
  'rejected',
  'rolled_back',
  'rollback_failed',
] as const;

export const ActionRun = z.object({
  id: z.string(),
  incidentKey: z.string().nullable(),
  planId: z.string().nullable(),
  planVersion: z.number().nullable(),
  stepId: z.string().nullable(),
  connector: z.string(),
  action: z.string(),
  parameters: z.record(z.string(), z.unknown()),
  key: z.string(),
  state: z.enum(ACTION_STATES),
  approval: z.enum(APPROVALS),
  requestedBy: z.object({ id: z.string(), name: z.string() }).nullable(),
  approvedBy: z.object({ id: z.string(), name: z.string() }).nullable(),
  approvedAt: z.string().nullable(),
  rejectedBy: z.object({ id: z.string(), name: z.string() }).nullable(),
  reason: z.string().nullable(),
  dryRun: z.boolean(),
  attempts: z.number(),
  maxAttempts: z.number(),
  /** Whether the action defines a rollback. */
  canRollback: z.boolean(),
  request: z.unknown().nullable(),
  response: z.unknown().nullable(),
  error: z.string().nullable(),
  rollbackRequest: z.unknown().nullable(),
  rollbackResponse: z.unknown().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
  finishedAt: z.string().nullable(),
});
export type ActionRun = z.infer<typeof ActionRun>;

/** A person asks for an action on an incident by hand. */
export const ActionRequestBody = z.strictObject({
  connector: ConnectorName,
  action: z.string().min(1).max(64),
  parameters: z.record(z.string().max(100), z.unknown()).default({}),
  approval: z.enum(APPROVALS).default('none'),
  dryRun: z.boolean().default(false),
  /** Idempotency key; default a new one (the same key twice answers the same run). */
  key: z.string().min(1).max(200).optional(),
});
export type ActionRequestBody = z.infer<typeof ActionRequestBody>;

export const ActionRejectBody = z.strictObject({ reason: label(500) });
