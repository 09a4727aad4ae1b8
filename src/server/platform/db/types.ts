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

export interface Database {
  users: UsersTable;
  sessions: SessionsTable;
  api_tokens: ApiTokensTable;
  login_throttle: LoginThrottleTable;
  services: ServicesTable;
  counters: CountersTable;
  incidents: IncidentsTable;
  incident_services: IncidentServicesTable;
  incident_participants: IncidentParticipantsTable;
  timeline_entries: TimelineEntriesTable;
  tasks: TasksTable;
  audit_log: AuditLogTable;
}

export type Db = Kysely<Database>;
