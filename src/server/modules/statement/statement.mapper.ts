/** Statement rows -> the API's shapes. */
import type { StatementKind } from '../../../shared/plan-schemas.js';
import type {
  ReviewKind,
  Statement,
  StatementFields,
  StatementFlag,
  StatementReview,
  StatementScenario,
  StatementState,
  StatementVersion,
} from '../../../shared/statement-schemas.js';
import type { StatementReviewsTable, StatementsTable, StatementVersionsTable } from '../../platform/db/types.js';
import { iso } from '../../platform/ids.js';
import { assignReviews } from './statement-reviews.js';

export type Names = Map<string, string>;

/** Stored JSON of an emergency publication. */
export interface EmergencyRecord {
  reason: string;
  approverIds: string[];
  at: number;
}

const person = (id: string | null, names: Names, label = '') => ({ id, name: id ? (names.get(id) ?? label) : label });

export function toVersion(v: StatementVersionsTable, names: Names): StatementVersion {
  return {
    n: Number(v.n),
    title: { zh: v.title_zh, en: v.title_en },
    body: { zh: v.body_zh, en: v.body_en },
    fields: JSON.parse(v.fields) as StatementFields,
    author: person(v.author_id, names, v.author_label),
    createdAt: iso(Number(v.created_at)),
  };
}

export function toReview(r: StatementReviewsTable, names: Names): StatementReview {
  return {
    id: r.id,
    version: Number(r.version),
    reviewer: person(r.reviewer_id, names),
    role: r.reviewer_role,
    verdict: r.verdict as StatementReview['verdict'],
    comment: r.comment,
    at: iso(Number(r.at)),
  };
}

/** The approvals of the current version, in the order given. */
export const approvalsOf = (row: StatementsTable, reviews: StatementReviewsTable[], verdict = 'approve') =>
  reviews.filter(
    (r) => r.statement_id === row.id && Number(r.version) === Number(row.current_version) && r.verdict === verdict,
  );

/** User ids a statement's view names (authors, reviewers, publisher, emergency approvers). */
export function userIdsOf(
  rows: StatementsTable[],
  versions: StatementVersionsTable[],
  reviews: StatementReviewsTable[],
) {
  const ids = new Set<string>();
  for (const r of rows) {
    if (r.published_by) ids.add(r.published_by);
    if (r.emergency) for (const id of (JSON.parse(r.emergency) as EmergencyRecord).approverIds) ids.add(id);
  }
  for (const v of versions) if (v.author_id) ids.add(v.author_id);
  for (const r of reviews) ids.add(r.reviewer_id);
  return [...ids];
}

export function toStatement(
  row: StatementsTable,
  incidentKey: string,
  version: StatementVersionsTable,
  reviews: StatementReviewsTable[],
  names: Names,
): Statement {
  const required = JSON.parse(row.required_reviews) as ReviewKind[];
  const approvals = approvalsOf(row, reviews);
  const filled = assignReviews(
    required,
    approvals.map((a) => ({ userId: a.reviewer_id, role: a.reviewer_role })),
  );
  const emergency = row.emergency ? (JSON.parse(row.emergency) as EmergencyRecord) : null;
  return {
    id: row.id,
    incidentKey,
    kind: row.kind as StatementKind,
    scenario: row.scenario as StatementScenario,
    state: row.state as StatementState,
    version: toVersion(version, names),
    reviewsRequired: required.map((review, i) => {
      const a = filled[i];
      return { review, by: a === null || a === undefined ? null : person(approvals[a]!.reviewer_id, names) };
    }),
    reviews: reviews.filter((r) => r.statement_id === row.id).map((r) => toReview(r, names)),
    flags: JSON.parse(row.flags) as StatementFlag[],
    emergency: emergency
      ? {
          reason: emergency.reason,
          approvers: emergency.approverIds.map((id) => person(id, names)),
          at: iso(emergency.at),
        }
      : null,
    publication: row.publication ? JSON.parse(row.publication) : null,
    origin: row.origin_plan && row.origin_step ? { planId: row.origin_plan, stepId: row.origin_step } : null,
    createdAt: iso(Number(row.created_at)),
    updatedAt: iso(Number(row.updated_at)),
    publishedAt: row.published_at === null ? null : iso(Number(row.published_at)),
    publishedBy: row.published_by ? person(row.published_by, names) : null,
    withdrawnAt: row.withdrawn_at === null ? null : iso(Number(row.withdrawn_at)),
    withdrawReason: row.withdraw_reason,
  };
}
