/** Table types of the store. Times are epoch milliseconds (UTC); booleans are 0/1; JSON is text. */
import type { Kysely } from 'kysely';

export interface UsersTable {
  id: string;
  email: string;
  name: string;
  role: string;
  locale: string;
  password_hash: string;
  mfa_secret: string | null;
  mfa_enabled: number;
  /** The last TOTP time step accepted: a code is good once. */
  mfa_last_step: number | null;
  disabled: number;
  created_at: number;
  updated_at: number;
  /** 1: the password was generated or reset by someone else; the next sign-in must change it first. */
  must_change_password: number;
  password_changed_at: number | null;
}

export interface SessionsTable {
  id: string; // SHA-256 of the cookie value
  user_id: string;
  csrf_token: string;
  mfa_passed: number;
  created_at: number;
  expires_at: number;
  last_seen_at: number;
}

export interface ApiTokensTable {
  id: string;
  user_id: string;
  name: string;
  prefix: string;
  token_hash: string;
  scopes: string; // JSON array
  created_at: number;
  last_used_at: number | null;
  expires_at: number | null;
  revoked_at: number | null;
}

export interface LoginThrottleTable {
  key: string;
  failures: number;
  window_start: number;
  locked_until: number | null;
}

/** Sign-in throttle of one (account, address) pair; see modules/auth/throttle.ts. */
export interface SignInPairsTable {
  email: string;
  address: string;
  /** Failed (or in-flight) attempts since the last success from this address. */
  failures: number;
  last_failure_at: number | null;
  /** The next attempt may not start before this time. */
  next_at: number | null;
  last_success_at: number | null;
  last_refused_at: number | null;
  /** Set by an administrator's unlock: the pair passes the address-wide and account-wide budgets until then. */
  bypass_until: number | null;
}

export interface ServicesTable {
  id: string;
  key: string;
  name_zh: string;
  name_en: string;
  description: string;
  created_at: number;
}

export interface CountersTable {
  name: string;
  value: number;
}

export interface IncidentsTable {
  id: string;
  key: string;
  title: string;
  summary: string;
  category: string;
  grade: string;
  severity: number;
  status: string;
  restricted: number;
  tags: string; // JSON array
  commander_id: string | null;
  customers_affected: number | null;
  funds_at_risk_minor: number | null;
  funds_currency: string | null;
  records_exposed: number | null;
  trading_interrupted: number;
  detected_at: number;
  acknowledged_at: number | null;
  contained_at: number | null;
  eradicated_at: number | null;
  recovered_at: number | null;
  closed_at: number | null;
  false_positive_at: number | null;
  reopened_at: number | null;
  created_by: string | null;
  created_at: number;
  updated_at: number;
  version: number;
  /** Last timeline sequence number handed out; bumped with UPDATE so concurrent appends serialize. */
  timeline_seq: number;
  /** Detection's title as JSON {"zh-CN", en}; null when a person wrote or edited the title. */
  title_i18n: string | null;
  /** Detection's summary as JSON {"zh-CN", en, facts}; null when a person wrote or edited the summary. */
  summary_i18n: string | null;
}

export interface IncidentServicesTable {
  incident_id: string;
  service_id: string;
}

export interface IncidentParticipantsTable {
  incident_id: string;
  user_id: string;
  role: string;
  added_at: number;
}

export interface TimelineEntriesTable {
  id: string;
  incident_id: string;
  seq: number;
  at: number;
  actor_id: string | null;
  kind: string;
  text: string;
  corrects_id: string | null;
  data: string | null;
}

export interface TasksTable {
  id: string;
  incident_id: string;
  title: string;
  owner_user_id: string | null;
  owner_role: string | null;
  due_at: number | null;
  status: string;
  created_by: string | null;
  created_at: number;
  updated_at: number;
  completed_at: number | null;
}

export interface AuditLogTable {
  seq: number;
  id: string;
  at: number;
  actor_id: string | null;
  actor_label: string;
  action: string;
  target_type: string;
  target_id: string | null;
  before_json: string | null;
  after_json: string | null;
  prev_hash: string;
  hash: string;
}

/** Which incidents an audit entry is about (outside the hash chain): the entry follows their need-to-know. */
export interface AuditIncidentsTable {
  seq: number;
  incident_id: string;
}

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

/** A metric series: name + canonical labels (JSON, keys sorted), its source and last value. */
export interface MetricSeriesTable {
  id: string;
  series_key: string;
  name: string;
  labels: string;
  source: string;
  last_value: number | null;
  last_time: number | null;
  created_at: number;
}

/** Points of metric series, pruned after TOCSIN_METRICS_RETENTION_DAYS. */
export interface MetricPointsTable {
  series_id: string;
  time: number;
  value: number;
}

export interface ProbesTable {
  id: string;
  service_id: string;
  name: string;
  kind: string;
  target: string;
  interval_s: number;
  timeout_ms: number;
  expect: string; // JSON
  failures_to_down: number;
  successes_to_up: number;
  enabled: number;
  state: string;
  state_since: number;
  /** Consecutive failed checks, and consecutive successful ones (hysteresis). */
  fail_streak: number;
  ok_streak: number;
  next_run_at: number;
  last_run_at: number | null;
  created_at: number;
  updated_at: number;
}

export interface ProbeResultsTable {
  id: string;
  probe_id: string;
  at: number;
  outcome: string;
  latency_ms: number;
  status_code: number | null;
  error: string | null;
}

export interface ServiceHealthTable {
  service_id: string;
  state: string;
  since: number;
}

export interface HealthChangesTable {
  id: string;
  service_id: string;
  /** null: the service's own state changed. */
  probe_id: string | null;
  from_state: string;
  to_state: string;
  at: number;
  reason: string | null;
}

/** A detection rule uploaded through the API: one YAML document. */
export interface RuleUploadsTable {
  rule_id: string;
  file_name: string;
  yaml: string;
  uploaded_by: string | null;
  uploaded_at: number;
}

/** A rule someone enabled or disabled (no row: enabled). */
export interface RuleStatesTable {
  rule_id: string;
  enabled: number;
  changed_by: string | null;
  changed_at: number;
}

/** How often a rule matched, flushed from the detection pipeline's counters. */
export interface RuleHitsTable {
  rule_id: string;
  hits: number;
  last_hit_at: number | null;
}

export interface Database {
  users: UsersTable;
  sessions: SessionsTable;
  api_tokens: ApiTokensTable;
  login_throttle: LoginThrottleTable;
  sign_in_pairs: SignInPairsTable;
  services: ServicesTable;
  counters: CountersTable;
  incidents: IncidentsTable;
  incident_services: IncidentServicesTable;
  incident_participants: IncidentParticipantsTable;
  timeline_entries: TimelineEntriesTable;
  tasks: TasksTable;
  audit_log: AuditLogTable;
  audit_incidents: AuditIncidentsTable;
  ingest_seen: IngestSeenTable;
  complaints: ComplaintsTable;
  alerts: AlertsTable;
  alert_events: AlertEventsTable;
  suppressions: SuppressionsTable;
  maintenance_windows: MaintenanceWindowsTable;
  alert_groups: AlertGroupsTable;
  metric_series: MetricSeriesTable;
  metric_points: MetricPointsTable;
  probes: ProbesTable;
  probe_results: ProbeResultsTable;
  service_health: ServiceHealthTable;
  health_changes: HealthChangesTable;
  rule_uploads: RuleUploadsTable;
  rule_states: RuleStatesTable;
  rule_hits: RuleHitsTable;
}

export type Db = Kysely<Database>;
