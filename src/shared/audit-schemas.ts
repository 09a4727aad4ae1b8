/** Request and response schemas of the audit log. */
import { z } from 'zod';
import { Pagination, isoTime } from './api-schemas.js';

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
