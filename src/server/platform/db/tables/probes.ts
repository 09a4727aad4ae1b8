/** Probes, their results, and each service's health with its history. */

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
