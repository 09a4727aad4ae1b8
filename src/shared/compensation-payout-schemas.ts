/**
 * Compensation payout batches (issue 14): approved claims paid through the bank. The batch id is the
 * client's (creating it twice gives the same batch); the bank file is a CSV in UTF-8 or GBK; the bank's
 * return file settles items one by one. Amounts in fen (`...Minor`) and in yuan with two places.
 */
import { z } from 'zod';
import { isoTime, nullableIso, Pagination } from './api-schemas.js';

export const BATCH_STATES = ['draft', 'exported', 'paid', 'partly_paid'] as const;
export const PAYOUT_ITEM_STATES = ['pending', 'paid', 'failed'] as const;
export const PAYOUT_ENCODINGS = ['utf-8', 'gbk'] as const;
export type PayoutEncoding = (typeof PAYOUT_ENCODINGS)[number];

/** A batch id the client chooses once and sends again on a retry: letters, digits, `.`, `_`, `-`. */
export const BatchId = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'letters, digits, ".", "_" and "-", starting with a letter or digit');

export const BatchCreate = z.strictObject({
  id: BatchId,
  /** The claims to pay; absent: every approved claim of the incident not already in a batch (up to the limit). */
  claimIds: z.array(z.string().min(1).max(64)).min(1).max(10_000).optional(),
});
export type BatchCreate = z.infer<typeof BatchCreate>;

const Line = z.object({ count: z.number().int(), amountMinor: z.number().int(), amount: z.string() });
const Person = z.object({ id: z.string(), name: z.string().nullable() }).nullable();

export const Batch = z.object({
  id: z.string(),
  incidentKey: z.string(),
  currency: z.string(),
  state: z.enum(BATCH_STATES),
  items: z.number().int(),
  totalMinor: z.number().int(),
  /** The total in yuan, two places. */
  total: z.string(),
  pending: Line,
  paid: Line,
  failed: Line,
  createdBy: Person,
  createdAt: isoTime,
  exportedAt: nullableIso,
  exportCount: z.number().int(),
  paidAt: nullableIso,
  bankReference: z.string().nullable(),
});
export type Batch = z.infer<typeof Batch>;
export const BatchPage = z.object({ items: z.array(Batch), next: z.string().nullable() });

export const BatchItem = z.object({
  seq: z.number().int(),
  claimId: z.string(),
  claimRef: z.string(),
  customerNo: z.string().nullable(),
  claimVersion: z.number().int(),
  amountMinor: z.number().int(),
  amount: z.string(),
  currency: z.string(),
  state: z.enum(PAYOUT_ITEM_STATES),
  bankReference: z.string().nullable(),
  failureReason: z.string().nullable(),
  paidAt: nullableIso,
});
export type BatchItem = z.infer<typeof BatchItem>;

/** A batch with a page of its items (keyset by seq). */
export const BatchDetail = Batch.extend({
  lines: z.object({ items: z.array(BatchItem), next: z.string().nullable() }),
});
export type BatchDetail = z.infer<typeof BatchDetail>;

export const BatchFileQuery = z.strictObject({
  /** bank: the bank's batch file (payees' names and accounts: a reveal, audited); ledger: the batch's ledger. */
  format: z.enum(['bank', 'ledger']).default('bank'),
  /** Absent: the configured default (TOCSIN_PAYOUT_FILE_ENCODING). */
  encoding: z.enum(PAYOUT_ENCODINGS).optional(),
});

export const BatchPaidBody = z.strictObject({
  /** The bank's reference of the payment. */
  reference: z.string().trim().min(1).max(120),
  paidAt: isoTime.optional(),
});
export type BatchPaidBody = z.infer<typeof BatchPaidBody>;

export const ReturnQuery = z.strictObject({ encoding: z.enum(PAYOUT_ENCODINGS).optional() });

export const ReturnResult = z.object({
  batch: Batch,
  encoding: z.enum(PAYOUT_ENCODINGS),
  paid: z.number().int(),
  failed: z.number().int(),
  /** Lines that say what is already recorded (a file imported again). */
  unchanged: z.number().int(),
  /** Lines not used, with their line number in the file (the header is line 1) and why. */
  problems: z.array(z.object({ line: z.number().int(), reason: z.string() })),
});
export type ReturnResult = z.infer<typeof ReturnResult>;

export const BatchItemsQuery = Pagination;
