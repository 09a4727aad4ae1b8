/**
 * The investigation report of an incident (issue 15, docs/investigation-report.md): analyst-written
 * sections (Markdown), sections filled from the data when it is read (timeline, attack path, impact,
 * evidence, IOCs), a public summary in zh-CN and English (plain text), the review workflow and publishing.
 */
import { z } from 'zod';
import { isoTime } from './api-schemas.js';
import { stripBidiControls } from './text.js';

export const INVESTIGATION_REPORT_STATES = ['draft', 'in_review', 'approved'] as const;
export type InvestigationReportState = (typeof INVESTIGATION_REPORT_STATES)[number];

/** The analyst-written sections, in the report's order. `impact` is the analyst's word on data and systems. */
export const WRITTEN_SECTIONS = ['summary', 'scope', 'method', 'rootCause', 'impact', 'recommendations'] as const;
export type WrittenSection = (typeof WRITTEN_SECTIONS)[number];

export const SECTION_MAX = 20_000;
export const PUBLIC_SUMMARY_MAX = 2_000;

const noNul = (s: string) => !s.includes('\u0000');
const sectionText = z.string().max(SECTION_MAX).refine(noNul, 'contains a NUL character');
/** Plain text: bidirectional controls dropped, trimmed, bounded. */
const summaryText = z
  .string()
  .overwrite(stripBidiControls)
  .trim()
  .max(PUBLIC_SUMMARY_MAX)
  .refine(noNul, 'contains a NUL character');

export const WrittenSections = z.strictObject({
  summary: sectionText,
  scope: sectionText,
  method: sectionText,
  rootCause: sectionText,
  impact: sectionText,
  recommendations: sectionText,
});
export type WrittenSections = z.infer<typeof WrittenSections>;

export const InvestigationReportUpdate = z.strictObject({
  sections: WrittenSections.partial().optional(),
  publicSummary: z.strictObject({ zh: summaryText, en: summaryText }).partial().optional(),
  /** The revision the edit was made on: a different current revision is a conflict (409). */
  revision: z.number().int().min(0).optional(),
});
export type InvestigationReportUpdate = z.infer<typeof InvestigationReportUpdate>;

export const RequestChangesBody = z.strictObject({
  comment: z.string().overwrite(stripBidiControls).trim().min(1).max(4000),
});

export const ReportLangQuery = z.strictObject({ lang: z.enum(['zh-CN', 'en']).default('en') });

const Person = z.object({ id: z.string(), name: z.string().nullable() });
const Step = z.object({ by: Person.nullable(), at: isoTime });

export const FilledSections = z.object({
  timeline: z.object({
    marks: z.object({
      firstCompromise: isoTime.nullable(),
      detection: isoTime.nullable(),
      containment: isoTime.nullable(),
      recovery: isoTime.nullable(),
    }),
    /** Key entries: alerts, actions, notes, status changes and milestones (not the raw events). */
    items: z.array(z.object({ at: isoTime, kind: z.string(), title: z.string() })),
  }),
  /** The incident's ATT&CK techniques grouped by tactic, tactics in matrix order. */
  attackPath: z.array(
    z.object({
      tactic: z.object({ id: z.string(), name: z.string(), nameZh: z.string() }),
      techniques: z.array(z.object({ id: z.string(), name: z.string() })),
    }),
  ),
  impact: z.object({
    services: z.array(z.object({ key: z.string(), nameZh: z.string(), nameEn: z.string() })),
    sets: z.array(z.object({ name: z.string(), customerCount: z.number() })),
    customersAffected: z.number().nullable(),
    recordsExposed: z.number().nullable(),
  }),
  evidence: z.array(z.object({ name: z.string(), sha256: z.string(), md5: z.string(), bytes: z.number() })),
  iocs: z.object({
    counts: z.record(z.string(), z.number()),
    items: z.array(z.object({ type: z.string(), value: z.string(), tlp: z.string() })),
  }),
  /** Filled sections the reader may not read (their permission is missing): left empty. */
  withheld: z.array(z.enum(['timeline', 'attackPath', 'impact', 'evidence', 'iocs'])),
});
export type FilledSections = z.infer<typeof FilledSections>;

export const InvestigationReport = z.object({
  incidentKey: z.string(),
  incidentTitle: z.string(),
  /** 0: nothing written yet. */
  revision: z.number().int(),
  state: z.enum(INVESTIGATION_REPORT_STATES),
  sections: WrittenSections,
  /** The sections as sanitized HTML (Markdown rendered as statements are). */
  html: z.record(z.enum(WRITTEN_SECTIONS), z.string()),
  publicSummary: z.object({ zh: z.string(), en: z.string() }),
  authors: z.array(Person),
  updated: Step.nullable(),
  submitted: Step.nullable(),
  approved: Step.extend({ revision: z.number().int() }).nullable(),
  changesRequested: Step.extend({ comment: z.string() }).nullable(),
  published: Step.extend({ revision: z.number().int(), path: z.string() }).nullable(),
  filled: FilledSections,
  /** What the reader may do now (permission, state, not their own report). */
  can: z.object({ edit: z.boolean(), submit: z.boolean(), approve: z.boolean(), publish: z.boolean() }),
});
export type InvestigationReport = z.infer<typeof InvestigationReport>;
