/**
 * The media desk's API (issue 11): the rumor-vs-fact register (versioned), media inquiries and FAQ
 * entries. Rich text (rebuttals, FAQ answers) is Markdown; the public site shows it rendered and
 * sanitized (platform/markdown.ts), the console previews the same HTML (`*Html`).
 */
import { z } from 'zod';
import { isoTime, nullableIso } from './api-schemas.js';
import { FACT_VERDICTS } from './status-site.js';
import { label } from './text.js';

export const INQUIRY_STATUSES = ['open', 'answered', 'closed'] as const;
/** What changed in a version of a register entry. */
export const FACT_CHANGES = ['create', 'update', 'publish', 'unpublish'] as const;

/** A one-line text in both languages (`en` may be empty: the public page falls back to `zh`). */
const BilingualLine = (max: number) => z.strictObject({ zh: label(max), en: z.string().trim().max(max).default('') });
/** The same as a change: both languages given (an absent `en` would otherwise silently empty it). */
const BilingualLineChange = (max: number) => z.strictObject({ zh: label(max), en: z.string().trim().max(max) });
/** Markdown in both languages (as a change: both given, no defaults, so an absent field stays as it is). */
const BilingualMarkdownChange = (max: number) => z.strictObject({ zh: z.string().max(max), en: z.string().max(max) });
/** Markdown in both languages, empty when not given. */
const BilingualMarkdown = (max: number) =>
  z
    .strictObject({ zh: z.string().max(max).default(''), en: z.string().max(max).default('') })
    .default({ zh: '', en: '' });
const Bilingual = z.object({ zh: z.string(), en: z.string() });
const Person = z.object({ id: z.string(), name: z.string().nullable() });
const httpUrl = z
  .url({ protocol: /^https?$/ })
  .max(2000)
  .describe('an http(s) URL');

const factFields = {
  claim: BilingualLine(500),
  /** Where the claim was seen: a social post's URL or an outlet's name (public text). */
  source: z.string().trim().max(500).nullable().default(null),
  verdict: z.enum(FACT_VERDICTS),
  /** Markdown. */
  rebuttal: BilingualMarkdown(10_000),
  evidenceUrl: httpUrl.nullable().default(null),
  published: z.boolean().default(false),
};

export const FactEntryCreate = z.strictObject(factFields);
export type FactEntryCreate = z.infer<typeof FactEntryCreate>;

/** Fields absent stay as they are; every change is a new version. */
export const FactEntryPatch = z
  .strictObject({
    claim: BilingualLineChange(500).optional(),
    source: z.string().trim().max(500).nullable().optional(),
    verdict: factFields.verdict.optional(),
    rebuttal: BilingualMarkdownChange(10_000).optional(),
    evidenceUrl: httpUrl.nullable().optional(),
    published: z.boolean().optional(),
  })
  .refine((b) => Object.keys(b).length > 0, 'change at least one field');
export type FactEntryPatch = z.infer<typeof FactEntryPatch>;

const factBody = {
  claim: Bilingual,
  source: z.string().nullable(),
  verdict: z.enum(FACT_VERDICTS),
  /** Markdown as written. */
  rebuttal: Bilingual,
  evidenceUrl: z.string().nullable(),
  published: z.boolean(),
};

/** A register entry as staff see it. */
export const FactEntry = z.object({
  id: z.string(),
  /** null: site-wide. */
  incidentKey: z.string().nullable(),
  ...factBody,
  /** The rebuttal as the public site shows it (sanitized HTML). */
  rebuttalHtml: Bilingual,
  publishedAt: nullableIso,
  version: z.int(),
  createdAt: isoTime,
  updatedAt: isoTime,
  updatedBy: Person.nullable(),
});
export type FactEntry = z.infer<typeof FactEntry>;

export const FactEntryVersion = z.object({
  version: z.int(),
  change: z.enum(FACT_CHANGES),
  at: isoTime,
  by: Person.nullable(),
  entry: z.object(factBody),
});
export type FactEntryVersion = z.infer<typeof FactEntryVersion>;

export const FactEntryList = z.object({ items: z.array(FactEntry) });
/** `GET /api/v1/facts`: the site-wide entries (default), or `scope=all`: every incident's the reader may see too. */
export const FactListQuery = z.strictObject({
  scope: z.enum(['site', 'all']).default('site'),
  verdict: z.enum(FACT_VERDICTS).optional(),
});
export const FactEntryVersionList = z.object({ items: z.array(FactEntryVersion) });

const answerFields = {
  /** The approved statement that answers it. */
  statementId: z.string().trim().min(1).max(64).nullable().optional(),
  /** Free text (until statements exist, or besides one). */
  text: z.string().trim().max(10_000).nullable().optional(),
};

export const MediaInquiryCreate = z.strictObject({
  outlet: label(200),
  journalist: label(200),
  /** Phone or email: personal data, shown masked in lists and never logged. */
  contact: z.string().trim().min(1).max(320),
  question: z.string().trim().min(1).max(10_000),
  deadline: nullableIso.default(null),
  spokespersonId: z.string().min(1).max(64).nullable().default(null),
});
export type MediaInquiryCreate = z.infer<typeof MediaInquiryCreate>;

export const MediaInquiryPatch = z
  .strictObject({
    outlet: label(200).optional(),
    journalist: label(200).optional(),
    contact: z.string().trim().min(1).max(320).optional(),
    question: z.string().trim().min(1).max(10_000).optional(),
    deadline: nullableIso.optional(),
    spokespersonId: z.string().min(1).max(64).nullable().optional(),
    /** Giving an answer to an open inquiry marks it answered unless `status` says otherwise. */
    answer: z.strictObject(answerFields).optional(),
    status: z.enum(INQUIRY_STATUSES).optional(),
  })
  .refine((b) => Object.keys(b).length > 0, 'change at least one field');
export type MediaInquiryPatch = z.infer<typeof MediaInquiryPatch>;

export const MediaInquiry = z.object({
  id: z.string(),
  incidentKey: z.string(),
  outlet: z.string(),
  journalist: z.string(),
  /** Masked in lists (`138****5678`, `j***@example.com`); whole only for one inquiry to media.manage. */
  contact: z.string(),
  question: z.string(),
  deadline: nullableIso,
  /** Open with its deadline passed. */
  overdue: z.boolean(),
  spokesperson: Person.nullable(),
  answer: z.object({ statementId: z.string().nullable(), text: z.string().nullable() }),
  status: z.enum(INQUIRY_STATUSES),
  answeredAt: nullableIso,
  createdAt: isoTime,
  updatedAt: isoTime,
});
export type MediaInquiry = z.infer<typeof MediaInquiry>;

export const MediaInquiryList = z.object({ items: z.array(MediaInquiry) });

export const MediaInquiryQuery = z.strictObject({
  overdue: z
    .enum(['true', 'false'])
    .optional()
    .transform((v) => v === 'true'),
  status: z.enum(INQUIRY_STATUSES).optional(),
});

/** What the war room shows of an incident's media desk. */
export const MediaSummary = z.object({
  openInquiries: z.int(),
  overdueInquiries: z.int(),
  rumors: z.object({ false: z.int(), unverified: z.int(), confirmed: z.int() }),
});
export type MediaSummary = z.infer<typeof MediaSummary>;

export const FaqCreate = z.strictObject({
  question: BilingualLine(500),
  /** Markdown. */
  answer: BilingualMarkdown(10_000),
  position: z.int().min(0).max(10_000).default(0),
  published: z.boolean().default(false),
});
export type FaqCreate = z.infer<typeof FaqCreate>;

export const FaqPatch = z
  .strictObject({
    question: BilingualLineChange(500).optional(),
    answer: BilingualMarkdownChange(10_000).optional(),
    position: z.int().min(0).max(10_000).optional(),
    published: z.boolean().optional(),
  })
  .refine((b) => Object.keys(b).length > 0, 'change at least one field');
export type FaqPatch = z.infer<typeof FaqPatch>;

/** A FAQ entry as staff (and customer service) see it. */
export const FaqItem = z.object({
  id: z.string(),
  incidentKey: z.string(),
  question: Bilingual,
  /** Markdown as written. */
  answer: Bilingual,
  /** As the public site shows it (sanitized HTML). */
  answerHtml: Bilingual,
  position: z.int(),
  published: z.boolean(),
  publishedAt: nullableIso,
  updatedAt: isoTime,
});
export type FaqItem = z.infer<typeof FaqItem>;

export const FaqList = z.object({ items: z.array(FaqItem) });
