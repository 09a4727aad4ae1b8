/** Statements, their versions and reviews (migration 0018). */

export interface StatementsTable {
  id: string;
  incident_id: string;
  kind: string;
  scenario: string;
  state: string;
  /** The number of the current version. */
  current_version: number;
  /** JSON: the reviews the kind needed when it was drafted (ReviewKind[]). */
  required_reviews: string;
  /** JSON: StatementFlag[] found at the last check. */
  flags: string;
  /** JSON: { reason, approverIds, at } of an emergency publication; null otherwise. */
  emergency: string | null;
  /** JSON: where the status site published it; null otherwise. */
  publication: string | null;
  /** The plan step that drafted it: `<incident id>:<plan id>:<step id>` (unique: one per step). */
  origin_key: string | null;
  origin_plan: string | null;
  origin_step: string | null;
  created_by: string | null;
  created_at: number;
  updated_at: number;
  published_at: number | null;
  published_by: string | null;
  withdrawn_at: number | null;
  withdraw_reason: string | null;
}

export interface StatementVersionsTable {
  statement_id: string;
  n: number;
  title_zh: string;
  title_en: string;
  body_zh: string;
  body_en: string;
  /** JSON: StatementFields. */
  fields: string;
  author_id: string | null;
  author_label: string;
  created_at: number;
}

export interface StatementReviewsTable {
  id: string;
  statement_id: string;
  version: number;
  reviewer_id: string;
  reviewer_role: string;
  /** approve | request_changes | emergency_approve */
  verdict: string;
  comment: string;
  at: number;
}
