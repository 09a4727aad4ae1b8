/** Management reports and their scheduled deliveries (migration 0053_management_reports). */

export interface ManagementReportsTable {
  id: string;
  /** monthly | quarterly | annual */
  kind: string;
  period: string;
  /** zh | en */
  lang: string;
  /** schedule | request */
  origin: string;
  pdf_sha256: string;
  pdf_bytes: number;
  xlsx_sha256: string;
  xlsx_bytes: number;
  generated_by: string | null;
  generated_by_name: string;
  generated_at: number;
}

export interface ManagementReportDeliveriesTable {
  kind: string;
  period: string;
  lang: string;
  report_id: string | null;
  created_at: number;
  attempts: number;
  last_error: string | null;
  sent_at: number | null;
}
