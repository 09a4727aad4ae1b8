/** Connectors and containment action runs (migration 0013_connectors). */

export interface ConnectorsTable {
  id: string;
  /** Slug, unique. */
  name: string;
  kind: string;
  /** JSON: the kind's shown settings. */
  config: string;
  /** The sealed secret fields (secret-box text bound to `id`); null: none set. */
  secrets: string | null;
  /** JSON array of host names and addresses the connector may reach. */
  allowed_hosts: string;
  enabled: number;
  created_by: string | null;
  created_at: number;
  updated_by: string | null;
  updated_at: number;
}

export type ActionRunState =
  | 'awaiting_approval'
  | 'queued'
  | 'running'
  | 'succeeded'
  | 'failed'
  | 'rejected'
  | 'rolled_back'
  | 'rollback_failed';

export interface ActionRunsTable {
  id: string;
  incident_id: string | null;
  plan_id: string | null;
  plan_version: number | null;
  step_id: string | null;
  /** The connector's name. */
  connector: string;
  action: string;
  /** JSON. */
  parameters: string;
  idempotency_key: string;
  state: ActionRunState;
  approval: 'none' | 'one_person' | 'two_person';
  /** A user id; null: the system (plan activation). */
  requested_by: string | null;
  approved_by: string | null;
  approved_at: number | null;
  rejected_by: string | null;
  /** Why it was rejected (or asked for). */
  reason: string | null;
  dry_run: number;
  attempts: number;
  max_attempts: number;
  /** JSON: what was (or, in a dry run, would have been) sent, secrets redacted. */
  request: string | null;
  /** JSON: what was answered (status and body, truncated). */
  response: string | null;
  error: string | null;
  rollback_request: string | null;
  rollback_response: string | null;
  created_at: number;
  updated_at: number;
  finished_at: number | null;
}
