/** Media desk (migration 0021_media): the rumor-vs-fact register and its versions, media inquiries, FAQ entries. */

export interface FactChecksTable {
  id: string;
  /** null: site-wide. */
  incident_id: string | null;
  claim_zh: string;
  claim_en: string;
  source: string | null;
  /** false | unverified | confirmed */
  verdict: string;
  /** Markdown. */
  rebuttal_zh: string;
  rebuttal_en: string;
  evidence_url: string | null;
  /** 0 | 1 */
  published: number;
  published_at: number | null;
  version: number;
  created_by: string | null;
  created_at: number;
  updated_by: string | null;
  updated_at: number;
}

export interface FactCheckVersionsTable {
  fact_check_id: string;
  version: number;
  /** create | update | publish | unpublish */
  change: string;
  /** JSON: the entry's fields after the change. */
  data: string;
  changed_by: string | null;
  changed_at: number;
}

export interface MediaInquiriesTable {
  id: string;
  incident_id: string;
  outlet: string;
  journalist: string;
  /** PII. */
  contact: string;
  question: string;
  deadline: number | null;
  spokesperson_id: string | null;
  answer_statement_id: string | null;
  answer_text: string | null;
  /** open | answered | closed */
  status: string;
  answered_at: number | null;
  created_by: string | null;
  created_at: number;
  updated_at: number;
}

export interface FaqEntriesTable {
  id: string;
  incident_id: string;
  question_zh: string;
  question_en: string;
  /** Markdown. */
  answer_zh: string;
  answer_en: string;
  position: number;
  /** 0 | 1 */
  published: number;
  published_at: number | null;
  created_at: number;
  updated_at: number;
}
