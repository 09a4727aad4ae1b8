/**
 * The portal's one-time codes and the notices to customers (migration 0039_compensation_portal), the
 * incidents open to claims on the portal and claims' files (0040_compensation_filing).
 */

export interface CompensationPortalCodesTable {
  id: string;
  /** answer | file */
  purpose: string;
  /** answer: the claim. */
  claim_id: string | null;
  /** file: the incident and customer of the claim to be filed. */
  incident_id: string | null;
  customer_id: string | null;
  ticket_hash: string | null;
  code_hash: string;
  attempts: number;
  expires_at: number;
  verified_at: number | null;
  session_hash: string | null;
  session_expires_at: number | null;
  ip: string | null;
  created_at: number;
}

export interface CompensationNoticesTable {
  /** The claim event's id. */
  id: string;
  claim_id: string;
  customer_id: string;
  /** offer | accept_receipt | paid */
  kind: string;
  /** queued | sent | skipped | failed */
  state: string;
  channel: string | null;
  language: string | null;
  reason: string | null;
  gateway_id: string | null;
  attempts: number;
  created_at: number;
  sent_at: number | null;
  updated_at: number;
}

export interface CompensationPortalOpeningsTable {
  incident_id: string;
  title_zh: string;
  title_en: string;
  closes_at: number | null;
  closed_at: number | null;
  opened_by: string | null;
  opened_at: number;
  updated_at: number;
}

export interface CompensationAttachmentsTable {
  id: string;
  claim_id: string;
  incident_id: string;
  sha256: string;
  bytes: number;
  media_type: string;
  file_name: string;
  uploaded_by: string | null;
  /** portal | console */
  channel: string;
  ip: string | null;
  created_at: number;
}
