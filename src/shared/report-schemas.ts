/**
 * Regulator reports (issue 13, docs/regulator-reports.md): a report of an incident for one obligation and
 * stage of the catalog, drafted from a template in the regulator's structure and filled from the incident's
 * facts (what the incident does not say is listed as missing, never invented). Every save is a version;
 * draft -> in_review -> approved (by a person other than the author) -> submitted (channel, reference
 * number, time, receipt file kept with its SHA-256); a review may send it back to draft with a reason.
 */
import { z } from 'zod';
import { isoTime, nullableIso, LocalizedText } from './api-schemas.js';
import { OBLIGATION_STAGES } from './obligation-schemas.js';
import { UserRef } from './user-schemas.js';

export const REPORT_STATES = ['draft', 'in_review', 'approved', 'submitted'] as const;

export const REPORT_EXPORT_FORMATS = ['pdf', 'docx', 'txt', 'json'] as const;

/** Largest receipt file kept (bytes). */
export const RECEIPT_MAX_BYTES = 5 * 1024 * 1024;

const Text = z.string().max(20_000);
/** One section's text in both languages. */
export const ReportSection = z.strictObject({ zh: Text, en: Text });
/** The editable text of a report: section id -> its text. */
export const ReportFields = z.record(z.string().min(1).max(64), ReportSection);
export type ReportFields = z.infer<typeof ReportFields>;

/** A fact the template asks for that the incident does not have (yet). */
export const MissingFact = z.object({
  fact: z.string(),
  section: z.string(),
  label: LocalizedText,
});
export type MissingFact = z.infer<typeof MissingFact>;

export const ReportSectionView = z.object({
  id: z.string(),
  heading: LocalizedText,
  text: ReportSection,
});

export const Report = z.object({
  id: z.string(),
  incidentKey: z.string(),
  obligation: z.string(),
  stage: z.enum(OBLIGATION_STAGES),
  /** The obligation's name, regulator and recipient, from the catalog. */
  name: LocalizedText,
  regulator: LocalizedText,
  recipient: LocalizedText,
  title: LocalizedText,
  state: z.enum(REPORT_STATES),
  version: z.number().int(),
  sections: z.array(ReportSectionView),
  /** Facts still missing: sections whose text still holds a "to be completed" mark. */
  missing: z.array(MissingFact),
  rejectReason: z.string().nullable(),
  createdBy: UserRef.nullable(),
  createdAt: isoTime,
  updatedAt: isoTime,
  approvedBy: UserRef.nullable(),
  approvedAt: nullableIso,
  submission: z
    .object({
      channel: z.string(),
      reference: z.string(),
      submittedAt: isoTime,
      submittedBy: UserRef.nullable(),
      receipt: z.object({ name: z.string(), type: z.string(), size: z.number().int(), sha256: z.string() }),
    })
    .nullable(),
  /** Formats it can be exported in (json: DORA reports only). */
  exports: z.array(z.enum(REPORT_EXPORT_FORMATS)),
});
export type Report = z.infer<typeof Report>;

export const ReportVersion = z.object({
  n: z.number().int(),
  fields: ReportFields,
  author: z.object({ id: z.string().nullable(), name: z.string() }),
  createdAt: isoTime,
});
export type ReportVersion = z.infer<typeof ReportVersion>;

/** An obligation and stage a report can be drafted for, and whether it applies to the incident. */
export const ReportOption = z.object({
  obligation: z.string(),
  stage: z.enum(OBLIGATION_STAGES),
  name: LocalizedText,
  regulator: LocalizedText,
  applies: z.enum(['yes', 'unknown', 'no']),
  why: LocalizedText,
});
export type ReportOption = z.infer<typeof ReportOption>;

export const ReportCreate = z.strictObject({
  obligation: z.string().min(1).max(64),
  stage: z.enum(OBLIGATION_STAGES),
});
export const ReportVersionBody = z.strictObject({ fields: ReportFields });
export const ReportRejectBody = z.strictObject({ reason: z.string().trim().min(1).max(2000) });
export const ReportSubmittedQuery = z.strictObject({
  channel: z.string().trim().min(1).max(200),
  reference: z.string().trim().min(1).max(200),
  /** When it was filed (default: now). */
  submittedAt: isoTime.optional(),
  filename: z.string().trim().min(1).max(200),
});
export const ReportExportQuery = z.strictObject({
  format: z.enum(REPORT_EXPORT_FORMATS),
  lang: z.enum(['zh', 'en']).default('zh'),
});
