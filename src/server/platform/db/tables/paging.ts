/** Paging: pages, their deliveries (one per recipient and route; also the one-time acknowledge links), contact routes. */

export interface PagesTable {
  id: string;
  /** Idempotency key of the caller: a second page with the same key is the first one. */
  key: string;
  incident_id: string;
  reason: string;
  policy_id: string | null;
  /** JSON: the EscalationPolicy as it was when paged. */
  policy: string;
  /** open | acknowledged | exhausted */
  status: string;
  paged_at: number;
  /** Steps of the escalation plan sent. */
  sent: number;
  acknowledged_at: number | null;
  acknowledged_by: string | null;
  /** JSON: PageProblem[] (recipients nobody could reach, and why). */
  problems: string;
  created_at: number;
  updated_at: number;
}

export interface PageDeliveriesTable {
  id: string;
  page_id: string;
  step: number;
  user_id: string;
  position: number;
  channel: string;
  address: string;
  /** pending | sent | failed | skipped */
  state: string;
  detail: string | null;
  ack_expires_at: number;
  ack_used_at: number | null;
  created_at: number;
  updated_at: number;
}

export interface ContactRoutesTable {
  user_id: string;
  position: number;
  /** The name of the channel connector. */
  channel: string;
  address: string;
  created_at: number;
}
