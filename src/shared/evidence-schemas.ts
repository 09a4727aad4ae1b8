/**
 * The evidence locker (issue 15): items preserved for an incident — files uploaded and snapshots Tocsin
 * made — with their SHA-256 and MD5, where they came from, and their chain of custody (audit entries).
 */
import { z } from 'zod';
import { isoTime, nullableIso } from './api-schemas.js';

export const EVIDENCE_KINDS = ['file', 'alert_events', 'timeline', 'connector_response'] as const;

const Person = z.object({ id: z.string(), name: z.string().nullable() }).nullable();

export const EvidenceItem = z.object({
  id: z.string(),
  incidentKey: z.string(),
  kind: z.enum(EVIDENCE_KINDS),
  /** The uploader's file name, cleaned (no folders, no control characters): for display and download only. */
  fileName: z.string(),
  /** Sniffed from the bytes; application/octet-stream when not known. */
  mediaType: z.string(),
  bytes: z.number().int(),
  sha256: z.string(),
  md5: z.string(),
  description: z.string(),
  sourceSystem: z.string(),
  acquisitionMethod: z.string(),
  /** The SHA-256 the acquirer computed, as given. */
  acquirerSha256: z.string().nullable(),
  /** The acquirer's SHA-256 differs from the bytes received. */
  hashMismatch: z.boolean(),
  legalHold: z.boolean(),
  uploadedBy: Person,
  ip: z.string().nullable(),
  createdAt: isoTime,
  deletedAt: nullableIso,
});
export type EvidenceItem = z.infer<typeof EvidenceItem>;

export const EvidenceList = z.object({ items: z.array(EvidenceItem) });
export type EvidenceList = z.infer<typeof EvidenceList>;

/** One entry of an item's chain of custody: who did what, when, from where. */
export const CustodyEntry = z.object({
  seq: z.number().int(),
  at: isoTime,
  action: z.string(),
  actor: z.object({ id: z.string().nullable(), label: z.string() }),
  ip: z.string().nullable(),
  details: z.unknown(),
});
export const CustodyHistory = z.object({ items: z.array(CustodyEntry) });
export type CustodyHistory = z.infer<typeof CustodyHistory>;

export const HoldBody = z.strictObject({
  hold: z.boolean(),
  reason: z.string().trim().min(1).max(2000),
});
export type HoldBody = z.infer<typeof HoldBody>;
