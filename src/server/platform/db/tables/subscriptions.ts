/** Subscriptions to the public status site (migration 0020): subscribers and the subscribe throttle. */

export interface SubscribersTable {
  id: string;
  /** email | webhook */
  kind: string;
  /** pending | confirmed | unsubscribed */
  state: string;
  /** zh-CN | en */
  language: string;
  /** Email: HMAC of the normalized address; null for webhooks. */
  address_hash: string | null;
  /** Sealed JSON bound to the id: { address } or { url, secret }. */
  sealed: string;
  masked: string;
  name: string | null;
  /** JSON array of service keys; empty: every service. */
  services: string;
  created_at: number;
  updated_at: number;
  confirmed_at: number | null;
  unsubscribed_at: number | null;
  confirm_sent_at: number | null;
}

export interface SubscriptionThrottleTable {
  key: string;
  count: number;
  window_start: number;
}
