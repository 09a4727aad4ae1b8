/** Request and response schemas of the ingest API (events and customer complaints). */
import { z } from 'zod';

export const IngestQuery = z.strictObject({
  source: z
    .string()
    .regex(/^[a-z0-9][a-z0-9_.-]{0,63}$/, 'a source name: lowercase letters, digits, _ . -')
    .default('api'),
});

/** One event: any JSON object; `id` makes re-sending it idempotent; `logsource` names its Sigma log source. */
export const EventObject = z.looseObject({
  id: z.union([z.string().min(1).max(200), z.int()]).optional(),
  logsource: z
    .strictObject({ product: z.string().optional(), category: z.string().optional(), service: z.string().optional() })
    .optional(),
});
/** The body of POST /api/v1/events as JSON: an array of events (as NDJSON: one event a line). */
export const EventBatch = z.array(EventObject);

export const IngestRejection = z.object({
  /** NDJSON: the line number (1-based); JSON array: the element's position (1-based). */
  line: z.number().int(),
  reason: z.string(),
});
export type IngestRejection = z.infer<typeof IngestRejection>;

export const IngestResult = z.object({
  accepted: z.number().int(),
  duplicates: z.number().int(),
  /** The first 1,000 rejections; `rejectedCount` has them all. */
  rejected: z.array(IngestRejection),
  rejectedCount: z.number().int(),
});
export type IngestResult = z.infer<typeof IngestResult>;

export const COMPLAINT_CHANNELS = ['phone', 'app', 'web', 'email', 'social', 'branch'] as const;

export const ComplaintCreate = z.strictObject({
  channel: z.enum(COMPLAINT_CHANNELS),
  text: z.string().trim().min(1).max(10_000),
  /** The firm's reference for the customer (account or customer number). PII: stored, never logged or shown in lists. */
  customerRef: z.string().trim().min(1).max(128).optional(),
  /** When the customer complained; defaults to when it arrives. */
  time: z.iso.datetime({ offset: true }).optional(),
  /** The topic the channel filed it under, if any ("login", "funds", ...). */
  topic: z.string().trim().min(1).max(100).optional(),
});
export type ComplaintCreate = z.infer<typeof ComplaintCreate>;

export const Complaint = z.object({
  id: z.string(),
  channel: z.enum(COMPLAINT_CHANNELS),
  topic: z.string().nullable(),
  time: z.iso.datetime({ offset: true }),
  receivedAt: z.iso.datetime({ offset: true }),
});
export type Complaint = z.infer<typeof Complaint>;
