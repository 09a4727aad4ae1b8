/** Alerts, their events, suppressions, maintenance windows and the correlation groups that tie alerts to incidents. */

export interface AlertsTable {
  id: string;
  rule_id: string;
  rule_title: string;
  /** The rule's zh-CN title (null on alerts raised before it was kept: the console shows rule_title). */
  rule_title_zh: string | null;
  level: string;
  severity: number;
  kind: string;
  tags: string; // JSON array
  entities: string; // JSON {accounts, hosts, ips}
  services: string; // JSON array
  group_json: string | null;
  fingerprint: string;
  count: number;
  event_count: number;
  events_stored: number;
  first_seen: number;
  last_seen: number;
  status: string;
  held_kind: string | null;
  held_id: string | null;
  held_reason: string | null;
  incident_id: string | null;
  suggested_category: string;
  suggested_grade: string;
  acknowledged_by: string | null;
  acknowledged_at: number | null;
  fp_by: string | null;
  fp_at: number | null;
  fp_reason: string | null;
  created_at: number;
  updated_at: number;
}

export interface AlertEventsTable {
  alert_id: string;
  seq: number;
  event_id: string;
  time: number;
  source: string;
  logsource: string; // JSON
  fields: string; // JSON, or a prefix of it when truncated
  truncated: number;
}

export interface SuppressionsTable {
  id: string;
  rule_id: string | null;
  entity_kind: string | null;
  entity_value: string | null;
  reason: string;
  expires_at: number | null;
  from_alert_id: string | null;
  hits: number;
  last_hit_at: number | null;
  created_by: string | null;
  created_at: number;
  deleted_by: string | null;
  deleted_at: number | null;
}

export interface MaintenanceWindowsTable {
  id: string;
  services: string; // JSON array
  rule_ids: string; // JSON array
  entities: string; // JSON array of {kind, value}
  starts_at: number;
  ends_at: number;
  reason: string;
  hits: number;
  last_hit_at: number | null;
  created_by: string | null;
  created_at: number;
  deleted_by: string | null;
  deleted_at: number | null;
}

export interface AlertGroupsTable {
  key: string;
  incident_id: string;
  last_seen: number;
}

/**
 * Matches already counted (migration 0017): a digest of the rule, kind, time, group and event ids of
 * each detection or correlation match, with the alert it went to. A redelivered batch (detection across
 * processes delivers at least once) finds its matches here and raises nothing twice. Pruned after a day.
 */
export interface AlertMatchesTable {
  key: string;
  alert_id: string;
  seen_at: number;
}
