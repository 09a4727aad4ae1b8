/** Probes: HTTP and TCP checks of the firm's services, their results (kept a few days) and service health. */
import type { Kysely } from 'kysely';

// Portable types only: text, integer, bigint (epoch ms).
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('probes')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('service_id', 'text', (c) => c.notNull().references('services.id'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('target', 'text', (c) => c.notNull())
    .addColumn('interval_s', 'integer', (c) => c.notNull())
    .addColumn('timeout_ms', 'integer', (c) => c.notNull())
    .addColumn('expect', 'text', (c) => c.notNull())
    .addColumn('failures_to_down', 'integer', (c) => c.notNull())
    .addColumn('successes_to_up', 'integer', (c) => c.notNull())
    .addColumn('enabled', 'integer', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('state_since', 'bigint', (c) => c.notNull())
    .addColumn('fail_streak', 'integer', (c) => c.notNull())
    .addColumn('ok_streak', 'integer', (c) => c.notNull())
    .addColumn('next_run_at', 'bigint', (c) => c.notNull())
    .addColumn('last_run_at', 'bigint')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('probes_service').on('probes').columns(['service_id', 'created_at']).execute();
  await db.schema.createIndex('probes_due').on('probes').columns(['enabled', 'next_run_at']).execute();

  // One row per check; pruned after the retention period.
  await db.schema
    .createTable('probe_results')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('probe_id', 'text', (c) => c.notNull())
    .addColumn('at', 'bigint', (c) => c.notNull())
    .addColumn('outcome', 'text', (c) => c.notNull())
    .addColumn('latency_ms', 'integer', (c) => c.notNull())
    .addColumn('status_code', 'integer')
    .addColumn('error', 'text')
    .execute();
  await db.schema.createIndex('probe_results_probe_at').on('probe_results').columns(['probe_id', 'at']).execute();
  await db.schema.createIndex('probe_results_at').on('probe_results').column('at').execute();

  // A service's current health and since when.
  await db.schema
    .createTable('service_health')
    .addColumn('service_id', 'text', (c) => c.primaryKey().references('services.id'))
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('since', 'bigint', (c) => c.notNull())
    .execute();

  // Every change of a probe's or a service's state (outages and recoveries), kept.
  await db.schema
    .createTable('health_changes')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('service_id', 'text', (c) => c.notNull())
    .addColumn('probe_id', 'text')
    .addColumn('from_state', 'text', (c) => c.notNull())
    .addColumn('to_state', 'text', (c) => c.notNull())
    .addColumn('at', 'bigint', (c) => c.notNull())
    .addColumn('reason', 'text')
    .execute();
  await db.schema.createIndex('health_changes_service_at').on('health_changes').columns(['service_id', 'at']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('health_changes').execute();
  await db.schema.dropTable('service_health').execute();
  await db.schema.dropTable('probe_results').execute();
  await db.schema.dropTable('probes').execute();
}
