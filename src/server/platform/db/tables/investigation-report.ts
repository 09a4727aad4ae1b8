/** The investigation report of an incident (migration 0047_investigation_report). */

export interface InvestigationReportsTable {
  id: string;
  incident_id: string;
  revision: number;
  /** draft | in_review | approved */
  state: string;
  /** JSON: the analyst-written sections (Markdown). */
  sections: string;
  public_summary_zh: string;
  public_summary_en: string;
  /** JSON array of user ids. */
  authors: string;
  created_by: string | null;
  created_at: number;
  updated_by: string | null;
  updated_at: number;
  submitted_by: string | null;
  submitted_at: number | null;
  approved_by: string | null;
  approved_at: number | null;
  approved_revision: number | null;
  review_by: string | null;
  review_at: number | null;
  review_comment: string | null;
  published_by: string | null;
  published_at: number | null;
  published_revision: number | null;
  published_path: string | null;
}
