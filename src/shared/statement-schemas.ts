/**
 * Statements (issue 11): what Tocsin says to each audience about an incident — holding statements,
 * status-page updates, investigation results, media statements, customer notices, briefings, Q&A packs.
 * Every edit is a version; one approval path (draft -> in_review -> approved -> published, or withdrawn)
 * with the reviews each kind needs (TOCSIN_STATEMENT_REVIEWS), and an audited emergency path.
 */
import { z } from 'zod';
import { isoTime, nullableIso, Pagination } from './api-schemas.js';
import { STATEMENT_KINDS, type StatementKind } from './plan-schemas.js';

export const STATEMENT_STATES = ['draft', 'in_review', 'approved', 'published', 'withdrawn'] as const;
export type StatementState = (typeof STATEMENT_STATES)[number];

/** Kinds published on the public status site (through the status module); the others are released or sent. */
export const STATUS_SITE_KINDS = ['holding_statement', 'status_update', 'investigation_result'] as const;
export type StatusSiteKind = (typeof STATUS_SITE_KINDS)[number];
export const isStatusSiteKind = (k: string): k is StatusSiteKind =>
  (STATUS_SITE_KINDS as readonly string[]).includes(k);

/** Scenarios the templates are written for (`templates/statements/<kind>.<scenario>.md`; `generic` always exists). */
export const STATEMENT_SCENARIOS = [
  'credential_stuffing',
  'ddos',
  'ransomware',
  'data_leak',
  'outage',
  'generic',
] as const;
export type StatementScenario = (typeof STATEMENT_SCENARIOS)[number];

/** Reviews a kind may require. `legal` is given by a person of the compliance role (no legal role in Tocsin). */
export const REVIEW_KINDS = ['communications', 'compliance', 'legal'] as const;
export type ReviewKind = (typeof REVIEW_KINDS)[number];

/** Reviews each kind needs unless TOCSIN_STATEMENT_REVIEWS says otherwise (kinds not named: communications). */
export const DEFAULT_STATEMENT_REVIEWS: Partial<Record<StatementKind, ReviewKind[]>> = {
  holding_statement: ['communications'],
  status_update: ['communications'],
  media_statement: ['communications', 'compliance', 'legal'],
  investigation_result: ['communications', 'compliance'],
  customer_notice: ['communications', 'compliance'],
};

/** TOCSIN_STATEMENT_REVIEWS: JSON, kind -> the reviews it needs, e.g. `{"status_update":["communications","compliance"]}`. */
export const StatementReviewsConfig = z.partialRecord(
  z.enum(STATEMENT_KINDS),
  z
    .array(z.enum(REVIEW_KINDS))
    .min(1)
    .refine((a) => new Set(a).size === a.length, 'a review is named twice'),
);
export type StatementReviewsConfig = z.infer<typeof StatementReviewsConfig>;

/** Parses TOCSIN_STATEMENT_REVIEWS; an error message when it is not valid. */
export function parseStatementReviews(text: string): StatementReviewsConfig | string {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return 'must be JSON: an object of statement kind -> list of reviews (communications, compliance, legal)';
  }
  const r = StatementReviewsConfig.safeParse(json);
  return r.success ? r.data : r.error.issues.map((i) => `${i.path.join('.') || '(top)'}: ${i.message}`).join('; ');
}

/** Text in both languages (Markdown in bodies). Empty is allowed while drafting; submitting needs both. */
const Bilingual = (max: number) => z.strictObject({ zh: z.string().max(max), en: z.string().max(max) });
const FieldText = Bilingual(4000);
const time = z.number().int().min(0).max(8_640_000_000_000);

/** Structured fields of the status-site kinds, as the status module takes them (StatusPublishRequest.fields). */
export const StatementFields = z.strictObject({
  status: z.enum(['investigating', 'identified', 'monitoring', 'resolved']).optional(),
  impact: z.enum(['none', 'minor', 'major', 'critical']).optional(),
  startedAt: time.nullable().optional(),
  detectedAt: time.nullable().optional(),
  resolvedAt: time.nullable().optional(),
  cause: FieldText.optional(),
  measures: FieldText.optional(),
  customerAction: FieldText.optional(),
  services: z.array(z.string().max(64)).max(100).optional(),
  customerGroups: z.array(Bilingual(200)).max(50).optional(),
  regions: z.array(Bilingual(200)).max(50).optional(),
  nextUpdateAt: time.nullable().optional(),
});
export type StatementFields = z.infer<typeof StatementFields>;

const Person = z.object({ id: z.string().nullable(), name: z.string() });

/** One version of a statement (every edit is one). */
export const StatementVersion = z.object({
  n: z.number().int(),
  title: Bilingual(300),
  body: Bilingual(100_000),
  fields: StatementFields,
  author: Person,
  createdAt: isoTime,
});
export type StatementVersion = z.infer<typeof StatementVersion>;

export const StatementReview = z.object({
  id: z.string(),
  version: z.number().int(),
  reviewer: Person,
  /** The reviewer's role when reviewing (which reviews they could give). */
  role: z.string(),
  verdict: z.enum(['approve', 'request_changes', 'emergency_approve']),
  comment: z.string(),
  at: isoTime,
});
export type StatementReview = z.infer<typeof StatementReview>;

export const StatementFlag = z.object({
  kind: z.literal('contradicts_fact'),
  factId: z.string(),
  claim: z.object({ zh: z.string(), en: z.string() }),
});
export type StatementFlag = z.infer<typeof StatementFlag>;

export const Statement = z.object({
  id: z.string(),
  incidentKey: z.string(),
  kind: z.enum(STATEMENT_KINDS),
  scenario: z.enum(STATEMENT_SCENARIOS),
  state: z.enum(STATEMENT_STATES),
  /** The current version (the one reviewed and published). */
  version: StatementVersion,
  /** Reviews the kind needs, and who gave each for the current version (null: still open). */
  reviewsRequired: z.array(z.object({ review: z.enum(REVIEW_KINDS), by: Person.nullable() })),
  /** Reviews of every version, oldest first. */
  reviews: z.array(StatementReview),
  /** Claims of the statement that the rumor-vs-fact register marks false (checked at submit and publish). */
  flags: z.array(StatementFlag),
  /** Set when published through the emergency path (two approvers at once). */
  emergency: z.object({ reason: z.string(), approvers: z.array(Person), at: isoTime }).nullable(),
  /** Where a status-site kind was published. */
  publication: z.object({ announcementId: z.string(), slug: z.string(), path: z.string() }).nullable(),
  /** The plan step that drafted it, if any. */
  origin: z.object({ planId: z.string(), stepId: z.string() }).nullable(),
  createdAt: isoTime,
  updatedAt: isoTime,
  publishedAt: nullableIso,
  publishedBy: Person.nullable(),
  withdrawnAt: nullableIso,
  withdrawReason: z.string().nullable(),
});
export type Statement = z.infer<typeof Statement>;

// --- requests ---

/** `POST /api/v1/incidents/:key/statements`: drafts from the template of the kind and scenario (guessed from the incident when absent). */
export const StatementCreate = z.strictObject({
  kind: z.enum(STATEMENT_KINDS),
  scenario: z.enum(STATEMENT_SCENARIOS).optional(),
});

/** `POST /api/v1/statements/:id/versions`: the whole new text (a new version; approvals start over). */
export const StatementVersionBody = z.strictObject({
  title: Bilingual(300),
  body: Bilingual(100_000),
  fields: StatementFields.optional(),
});

export const StatementReviewBody = z
  .strictObject({
    verdict: z.enum(['approve', 'request_changes']),
    comment: z.string().trim().max(4000).default(''),
  })
  .refine((b) => b.verdict === 'approve' || b.comment.length > 0, {
    message: 'say what to change',
    path: ['comment'],
  });

export const StatementEmergencyApproveBody = z.strictObject({ comment: z.string().trim().max(4000).default('') });

export const StatementPublishBody = z
  .strictObject({
    /** Publish without the configured reviews: two people approved this version by the emergency path. */
    emergency: z.boolean().default(false),
    reason: z.string().trim().max(2000).optional(),
    /** Publish although the statement repeats a claim the register marks false. */
    acknowledgeFlags: z.boolean().default(false),
  })
  .refine((b) => !b.emergency || !!b.reason, { message: 'an emergency publication needs a reason', path: ['reason'] });

export const StatementWithdrawBody = z.strictObject({ reason: z.string().trim().min(1).max(2000) });

export const StatementListQuery = Pagination.extend({
  state: z.enum(STATEMENT_STATES).optional(),
  /** `me`: only statements waiting for a review the caller can give (the approval inbox). */
  reviewer: z.literal('me').optional(),
  kind: z.enum(STATEMENT_KINDS).optional(),
});

export const StatementDiffQuery = z.strictObject({ against: z.coerce.number().int().min(1) });
export const StatementDiff = z.object({
  statementId: z.string(),
  from: z.number().int(),
  to: z.number().int(),
  diff: z.string(),
});

export const StatementPreviewBody = z.strictObject({ body: Bilingual(100_000) });
export const StatementPreview = z.object({ html: z.object({ zh: z.string(), en: z.string() }) });
