/** Customers (issue 12): the CRM sync API, the masked views, reveal, and the import wizard's steps. */
import { z } from 'zod';
import { Pagination, page } from './api-schemas.js';

export const CUSTOMER_LANGUAGES = ['zh-CN', 'en'] as const;
export const CUSTOMER_CHANNELS = ['sms', 'email', 'push', 'phone'] as const;
/** What a customer may opt out of: a channel, or `marketing` (mandatory service notices ignore it). */
export const CUSTOMER_OPT_OUTS = [...CUSTOMER_CHANNELS, 'marketing'] as const;
export const PII_FIELD_NAMES = ['phone', 'email', 'idNumber', 'bankCard'] as const;

/** The firm's customer number (客户号). */
export const CustomerNo = z
  .string()
  .trim()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'a customer number (letters, digits, . _ -)');

const Text = (max: number) => z.string().trim().max(max);
const AccountNo = z
  .string()
  .trim()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'an account number (letters, digits, . _ -)');

/** One customer as the CRM sends it (PUT replaces: an absent field is cleared). Values checked like an import's. */
export const CustomerUpsert = z.strictObject({
  name: Text(200).min(1),
  phone: Text(40).nullish(),
  email: Text(254).nullish(),
  idNumber: Text(32).nullish(),
  bankCard: Text(40).nullish(),
  language: z.enum(CUSTOMER_LANGUAGES).default('zh-CN'),
  channel: z.enum(CUSTOMER_CHANNELS).nullish(),
  branch: Text(200).nullish(),
  tier: Text(64).nullish(),
  accountManager: Text(200).nullish(),
  accounts: z.array(AccountNo).max(50).default([]),
  optOuts: z.array(z.enum(CUSTOMER_OPT_OUTS)).max(10).default([]),
});
export type CustomerUpsert = z.infer<typeof CustomerUpsert>;

export const CustomerSyncBatch = z.strictObject({
  items: z
    .array(CustomerUpsert.extend({ customerNo: CustomerNo }))
    .min(1)
    .max(1000),
});
export type CustomerSyncBatch = z.infer<typeof CustomerSyncBatch>;

export const UPSERT_OUTCOMES = ['created', 'updated', 'unchanged', 'rejected'] as const;
/** Why a value was refused (an import's bad row or a sync item), in both languages. */
export const RowProblem = z.object({
  field: z.string().nullable(),
  code: z.string(),
  message: z.object({ zh: z.string(), en: z.string() }),
});
export type RowProblem = z.infer<typeof RowProblem>;

export const CustomerSyncResult = z.object({
  items: z.array(
    z.object({
      customerNo: z.string(),
      outcome: z.enum(UPSERT_OUTCOMES),
      problems: z.array(RowProblem),
    }),
  ),
  counts: z.object({ created: z.number(), updated: z.number(), unchanged: z.number(), rejected: z.number() }),
});
export type CustomerSyncResult = z.infer<typeof CustomerSyncResult>;

/** A customer as staff see them: contact and identity masked. */
export const Customer = z.object({
  id: z.string(),
  customerNo: z.string(),
  name: z.string(),
  phone: z.string().nullable(),
  email: z.string().nullable(),
  idNumber: z.string().nullable(),
  bankCard: z.string().nullable(),
  language: z.enum(CUSTOMER_LANGUAGES),
  channel: z.enum(CUSTOMER_CHANNELS).nullable(),
  branch: z.string().nullable(),
  tier: z.string().nullable(),
  accountManager: z.string().nullable(),
  accounts: z.array(z.string()),
  optOuts: z.array(z.string()),
  source: z.string(),
  version: z.number(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type Customer = z.infer<typeof Customer>;
export const CustomerPage = page(Customer);
export type CustomerPage = z.infer<typeof CustomerPage>;

export const CustomerQuery = Pagination.extend({
  branch: Text(200).optional(),
  tier: Text(64).optional(),
  /** A customer no. or name prefix, or an exact phone, email or ID number (found by its keyed hash). */
  q: Text(254).optional(),
});
export type CustomerQuery = z.infer<typeof CustomerQuery>;

export const RevealBody = z.strictObject({
  reason: Text(500).min(2),
  fields: z
    .array(z.enum(PII_FIELD_NAMES))
    .min(1)
    .max(4)
    .default([...PII_FIELD_NAMES]),
});
export type RevealBody = z.infer<typeof RevealBody>;
export const Revealed = z.object({
  customerNo: z.string(),
  phone: z.string().nullable().optional(),
  email: z.string().nullable().optional(),
  idNumber: z.string().nullable().optional(),
  bankCard: z.string().nullable().optional(),
});
export type Revealed = z.infer<typeof Revealed>;

/** The columns an import maps. */
export const IMPORT_FIELDS = [
  'customerNo',
  'name',
  'phone',
  'email',
  'idNumber',
  'bankCard',
  'language',
  'channel',
  'branch',
  'tier',
  'accountManager',
  'accounts',
  'optOuts',
] as const;
export type ImportField = (typeof IMPORT_FIELDS)[number];
/** Field -> index of the file's column (0-based); absent or null: not imported (kept as it is). */
export const ImportMapping = z.partialRecord(z.enum(IMPORT_FIELDS), z.number().int().min(0).max(499).nullable());
export type ImportMapping = z.infer<typeof ImportMapping>;

export const ImportCheckBody = z.strictObject({ mapping: ImportMapping });

export const IMPORT_STATES = ['uploaded', 'checked', 'committing', 'committed'] as const;
export const ImportReport = z.object({
  new: z.number(),
  updated: z.number(),
  unchanged: z.number(),
  bad: z.number(),
  /** Every problem of every bad row; `line` as a spreadsheet shows it (the header is line 1). */
  badRows: z.array(RowProblem.extend({ line: z.number() })),
});
export type ImportReport = z.infer<typeof ImportReport>;

export const CustomerImport = z.object({
  id: z.string(),
  fileName: z.string(),
  encoding: z.string(),
  state: z.enum(IMPORT_STATES),
  header: z.array(z.string()),
  rowCount: z.number(),
  rowsDone: z.number(),
  suggestedMapping: ImportMapping,
  mapping: ImportMapping.nullable(),
  /** The dry run's report (checked), then the commit's (committed). */
  report: ImportReport.nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type CustomerImport = z.infer<typeof CustomerImport>;

export const ImportUploadQuery = z.strictObject({ filename: Text(200).min(1) });
