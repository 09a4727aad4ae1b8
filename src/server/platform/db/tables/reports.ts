/** Regulator reports, their versions and filing receipts (migration 0030). */

export interface RegulatorReportsTable {
  id: string;
  incident_id: string;
  /** Obligation id of the catalog (obligations/*.yml). */
  obligation: string;
  stage: string;
  /** draft | in_review | approved | submitted */
  state: string;
  current_version: number;
  created_by: string | null;
  created_at: number;
  updated_at: number;
  /** Why the last review sent it back to draft. */
  reject_reason: string | null;
  approved_by: string | null;
  approved_at: number | null;
  submitted_by: string | null;
  submitted_at: number | null;
  channel: string | null;
  reference: string | null;
  receipt_name: string | null;
  receipt_type: string | null;
  receipt_size: number | null;
  receipt_sha256: string | null;
}

export interface RegulatorReportVersionsTable {
  report_id: string;
  n: number;
  /** JSON: ReportFields (section id -> { zh, en }). */
  fields: string;
  author_id: string | null;
  author_label: string;
  created_at: number;
}

export interface RegulatorReportReceiptsTable {
  report_id: string;
  /** The receipt file, base64. */
  content: string;
}
