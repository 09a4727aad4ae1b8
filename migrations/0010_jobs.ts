/**
 * Durable jobs (platform/jobs): work that survives a restart and runs at least once — timers, retries,
 * and the delivery of domain events published to the outbox.
 * - `jobs`: one row per job; `(kind, key)` unique so enqueueing with an idempotency key twice keeps one
 *   job (rows without a key never collide: NULLs are distinct in both dialects).
 * - `outbox`: domain events written in the transaction of the change that caused them; the runner
 *   delivers each to its subscribers as jobs.
 */
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('jobs')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('key', 'text')
    .addColumn('payload', 'text', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('run_at', 'bigint', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('max_attempts', 'integer', (c) => c.notNull())
    .addColumn('last_error', 'text')
    .addColumn('lease_until', 'bigint')
    .addColumn('locked_by', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('jobs_kind_key').on('jobs').columns(['kind', 'key']).unique().execute();
  // What the claim looks for: queued jobs by due time, running ones by lease end.
  await db.schema.createIndex('jobs_state_run_at').on('jobs').columns(['state', 'run_at']).execute();
  await db.schema.createIndex('jobs_state_lease').on('jobs').columns(['state', 'lease_until']).execute();

  await db.schema
    .createTable('outbox')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('payload', 'text', (c) => c.notNull())
    .addColumn('published_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('outbox_published_at').on('outbox').column('published_at').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('outbox').ifExists().execute();
  await db.schema.dropTable('jobs').ifExists().execute();
}
