/** The portal's one-time codes and the notices to customers (migration 0039_compensation_portal). */

export interface CompensationPortalCodesTable {
  id: string;
  claim_id: string;
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
