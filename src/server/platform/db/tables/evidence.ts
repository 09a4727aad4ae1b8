/** The evidence locker (migration 0041_evidence): what is known of each item; its bytes are in the blob store. */

export interface EvidenceItemsTable {
  id: string;
  incident_id: string;
  sha256: string;
  md5: string;
  bytes: number;
  /** The uploader's file name, cleaned (no folders, no control characters): data only, never a path. */
  file_name: string;
  /** Sniffed from the bytes, else application/octet-stream. */
  media_type: string;
  description: string;
  source_system: string;
  acquisition_method: string;
  /** The SHA-256 the acquirer gave (lower-case hex), if any. */
  acquirer_sha256: string | null;
  /** 1: the acquirer's SHA-256 differs from the bytes received. */
  hash_mismatch: number;
  /** file | alert_events | timeline | connector_response */
  kind: string;
  /** 1: on legal hold (cannot be deleted). */
  legal_hold: number;
  uploaded_by: string | null;
  ip: string | null;
  created_at: number;
  /** Soft delete: the row stays for the custody history, the blob stays on disk. */
  deleted_at: number | null;
}
