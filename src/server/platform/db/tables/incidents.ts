/** Incidents with their services, participants, timeline and tasks; the counters that number them. */

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
  /** 1: a drill (plans run, connectors that reach outside run their dry run). */
  drill: number;
  /**
   * Kept by database triggers (migration 0057, docs/kpi.md) for the performance figures: the earliest first
   * event of its alerts, its first published public statement, its first customer message sent (ms), and
   * its services' ids comma-joined (null: none).
   */
  first_alert_seen_at: number | null;
  first_public_statement_at: number | null;
  first_notice_sent_at: number | null;
  service_ids: string | null;
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
  /** Set on tasks a plan created: its activation, the plan's step id, the phase (contain ... communicate). */
  activation_id: string | null;
  plan_step: string | null;
  phase: string | null;
  /** JSON {"zh-CN", en}: the plan's title of the task. */
  title_i18n: string | null;
  /** JSON: [{"zh-CN", en}] items to check. */
  checklist: string | null;
}
