/** Notification campaigns and their messages (migration 0025_campaigns). */

export interface CampaignsTable {
  id: string;
  incident_id: string;
  name: string;
  statement_id: string;
  /** JSON audience. */
  audience: string;
  /** JSON array of channels in order. */
  channels: string;
  mandatory: number;
  urgent: number;
  /** JSON { start, end, timeZone } or null. */
  quiet_hours: string | null;
  /** JSON { sms?, email?, push? } messages per second. */
  throttle: string;
  /** JSON array of tiers sent first. */
  priority_tiers: string;
  /** draft | fanning_out | running | paused | done | cancelled */
  state: string;
  fanout_cursor: string | null;
  fanout_done: number;
  message_count: number;
  created_by: string | null;
  launched_by: string | null;
  created_at: number;
  updated_at: number;
  launched_at: number | null;
  finished_at: number | null;
}

export interface CampaignMessagesTable {
  id: string;
  campaign_id: string;
  customer_id: string;
  channel: string;
  language: string;
  /** JSON { subject, text }. */
  body: string;
  idempotency_key: string;
  priority: number;
  /** queued | sending | sent | delivered | failed | bounced | skipped */
  state: string;
  reason: string | null;
  attempts: number;
  next_attempt_at: number;
  lease_until: number | null;
  locked_by: string | null;
  gateway_id: string | null;
  created_at: number;
  sent_at: number | null;
  delivered_at: number | null;
  updated_at: number;
}
