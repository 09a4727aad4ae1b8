/** What ingest keeps: the event ids seen per source, customer complaints. */

/** Event ids seen per ingest source, for idempotent re-sending; pruned after the retention window. */
export interface IngestSeenTable {
  source: string;
  event_id: string;
  seen_at: number;
}

/** Customer complaints (call centre, app feedback, ...). customer_ref is PII: stored, never logged. */
export interface ComplaintsTable {
  id: string;
  channel: string;
  topic: string | null;
  text: string;
  customer_ref: string | null;
  time: number;
  received_at: number;
  created_by: string | null;
}
