/** Durable jobs and the outbox of domain events (platform/jobs). */

/** A job: `queued` until due and claimed, `running` under a lease, then `done` or, after its last attempt, `dead`. */
export interface JobsTable {
  id: string;
  kind: string;
  /** Idempotency key, unique per kind (null: none). */
  key: string | null;
  /** JSON. */
  payload: string;
  state: 'queued' | 'running' | 'done' | 'dead';
  run_at: number;
  /** Times the job was claimed (started), including the one running now. */
  attempts: number;
  max_attempts: number;
  last_error: string | null;
  /** While running: when another process may take the job over (its runner died). */
  lease_until: number | null;
  /** While running: the runner that holds the lease. */
  locked_by: string | null;
  created_at: number;
  updated_at: number;
}

/** A domain event, written in the transaction of the change that caused it. */
export interface OutboxTable {
  id: string;
  type: string;
  /** JSON. */
  payload: string;
  published_at: number;
}
