/**
 * Post-incident reviews (复盘, issue 16, docs/reviews.md): one per incident, opened when it is resolved
 * (required for grades I-III), due by grade; facts filled from the data when it is read; the blameless
 * written sections (Markdown) and contributing factors with five whys; its action items; draft →
 * in_review → closed, closed only when every item is done, cancelled or accepted as a risk.
 */
import { z } from 'zod';
import { ActionItem, ActionItemCreate } from './action-item-schemas.js';
import { isoTime, LocalizedText, nullableIso } from './api-schemas.js';
import { label } from './text.js';
import { UserRef } from './user-schemas.js';

export const REVIEW_STATES = ['draft', 'in_review', 'closed'] as const;
export type ReviewState = (typeof REVIEW_STATES)[number];
export const REVIEW_SECTIONS = ['whatHappened', 'wentWell', 'wentBadly', 'lucky'] as const;
export const FACTOR_CATEGORIES = ['people', 'process', 'technology', 'third_party'] as const;
export const REVIEW_SECTION_MAX = 20_000;

const noNul = (s: string) => !s.includes('\u0000');
const sectionText = z.string().max(REVIEW_SECTION_MAX).refine(noNul, 'contains a NUL character');

export const ReviewSections = z.strictObject({
  whatHappened: sectionText,
  wentWell: sectionText,
  wentBadly: sectionText,
  lucky: sectionText,
});
export type ReviewSections = z.infer<typeof ReviewSections>;

export const ContributingFactor = z.strictObject({
  category: z.enum(FACTOR_CATEGORIES),
  title: label(300),
  /** The five whys, first to last (at most five; each a plain sentence). */
  whys: z.array(z.string().trim().max(1000).refine(noNul, 'contains a NUL character')).max(5),
});
export type ContributingFactor = z.infer<typeof ContributingFactor>;

export const ReviewUpdate = z.strictObject({
  sections: ReviewSections.partial().optional(),
  factors: z.array(ContributingFactor).max(50).optional(),
  /** The revision the edit was made on; a stale one is 409. */
  revision: z.number().int().min(0).optional(),
});
export type ReviewUpdate = z.infer<typeof ReviewUpdate>;

export const ReviewActionItemCreate = ActionItemCreate;

/** A measured span: from one instant to another, or why it cannot be given. */
const Span = z.object({
  from: nullableIso,
  to: nullableIso,
  ms: z.number().nullable(),
});

/** The facts filled from the data; each part null when there is no data (the reader sees "no data"), or withheld. */
export const ReviewFacts = z.object({
  milestones: z.object({
    firstCompromise: nullableIso,
    detected: isoTime,
    acknowledged: nullableIso,
    contained: nullableIso,
    recovered: nullableIso,
    closed: nullableIso,
    firstPublicStatement: nullableIso,
    firstCustomerNotice: nullableIso,
  }),
  durations: z.object({
    toDetect: Span,
    toAcknowledge: Span,
    toContain: Span,
    toRecover: Span,
    toFirstPublicStatement: Span,
    toFirstCustomerNotice: Span,
  }),
  timeline: z.array(z.object({ at: isoTime, kind: z.string(), title: z.string() })).nullable(),
  regulators: z
    .array(
      z.object({
        obligation: z.string(),
        title: LocalizedText,
        stageTitle: LocalizedText,
        due: nullableIso,
        submittedAt: nullableIso,
        status: z.string(),
        /** Submitted minus due (negative: early); null when either is unknown. */
        marginMs: z.number().nullable(),
      }),
    )
    .nullable(),
  tasks: z
    .array(
      z.object({
        title: z.string(),
        status: z.string(),
        fromPlan: z.boolean(),
        createdAt: isoTime,
        completedAt: nullableIso,
        ms: z.number().nullable(),
      }),
    )
    .nullable(),
  actions: z
    .array(
      z.object({
        connector: z.string(),
        action: z.string(),
        state: z.string(),
        dryRun: z.boolean(),
        createdAt: isoTime,
        finishedAt: nullableIso,
        ms: z.number().nullable(),
      }),
    )
    .nullable(),
  customers: z
    .object({
      affected: z.number().nullable(),
      inquiries: z.number().int(),
      slaBreaches: z.number().int(),
      csatAverage: z.number().nullable(),
      csatResponses: z.number().int(),
    })
    .nullable(),
  compensation: z
    .array(
      z.object({
        currency: z.string(),
        claims: z.number().int(),
        approvedMinor: z.number().int(),
        paidMinor: z.number().int(),
        reserveMinor: z.number().int(),
      }),
    )
    .nullable(),
  /** Parts the reader's role may not read (not shown). */
  withheld: z.array(
    z.enum(['timeline', 'statements', 'campaigns', 'regulators', 'tasks', 'actions', 'customers', 'compensation']),
  ),
});
export type ReviewFacts = z.infer<typeof ReviewFacts>;

const Step = z.object({ by: UserRef.nullable(), at: isoTime }).nullable();

export const Review = z.object({
  id: z.string(),
  incidentKey: z.string(),
  incidentTitle: z.string(),
  grade: z.string(),
  state: z.enum(REVIEW_STATES),
  required: z.boolean(),
  dueAt: isoTime,
  overdue: z.boolean(),
  revision: z.number().int(),
  sections: ReviewSections,
  /** The sections as sanitized HTML. */
  html: z.record(z.enum(REVIEW_SECTIONS), z.string()),
  factors: z.array(ContributingFactor),
  facts: ReviewFacts,
  actionItems: z.array(ActionItem),
  created: Step,
  updated: Step,
  submitted: Step,
  closed: Step,
  can: z.object({ edit: z.boolean(), submit: z.boolean(), close: z.boolean(), addItem: z.boolean() }),
});
export type Review = z.infer<typeof Review>;

export const ReviewSummary = z.object({
  id: z.string(),
  incidentKey: z.string(),
  incidentTitle: z.string(),
  grade: z.string(),
  state: z.enum(REVIEW_STATES),
  required: z.boolean(),
  dueAt: isoTime,
  overdue: z.boolean(),
  openItems: z.number().int(),
  items: z.number().int(),
  createdAt: isoTime,
  closedAt: nullableIso,
});
export type ReviewSummary = z.infer<typeof ReviewSummary>;

export const ReviewListQuery = z.strictObject({
  state: z.enum([...REVIEW_STATES, 'open']).optional(),
  overdue: z
    .enum(['true', 'false'])
    .transform((v) => v === 'true')
    .optional(),
  limit: z.coerce.number().int().min(1).max(500).default(200),
});
export type ReviewListQuery = z.infer<typeof ReviewListQuery>;

export const ReviewList = z.object({ items: z.array(ReviewSummary) });
export const ReviewLangQuery = z.strictObject({ lang: z.enum(['zh-CN', 'en']).default('zh-CN') });
