/**
 * Connectors and containment actions (issue 9):
 * - `connectors`: a named, configured instance of a connector kind (firewall, trading core, EDR,
 *   generic HTTP, command, staff channels). `config` and `allowed_hosts` are JSON text; `secrets` is
 *   the sealed text of the secret fields (platform/secret-box.ts, bound to the row's id), never shown.
 * - `action_runs`: one containment action asked of a connector, with its idempotency key (unique: the
 *   same key twice is the same run), state, approval, attempts, and what was sent and answered
 *   (secrets redacted, answers truncated).
 */
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('connectors')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull().unique())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('config', 'text', (c) => c.notNull())
    .addColumn('secrets', 'text')
    .addColumn('allowed_hosts', 'text', (c) => c.notNull())
    .addColumn('enabled', 'integer', (c) => c.notNull())
    .addColumn('created_by', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_by', 'text')
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('action_runs')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('incident_id', 'text')
    .addColumn('plan_id', 'text')
    .addColumn('plan_version', 'integer')
    .addColumn('step_id', 'text')
    .addColumn('connector', 'text', (c) => c.notNull())
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('parameters', 'text', (c) => c.notNull())
    .addColumn('idempotency_key', 'text', (c) => c.notNull().unique())
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('approval', 'text', (c) => c.notNull())
    .addColumn('requested_by', 'text')
    .addColumn('approved_by', 'text')
    .addColumn('approved_at', 'bigint')
    .addColumn('rejected_by', 'text')
    .addColumn('reason', 'text')
    .addColumn('dry_run', 'integer', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull())
    .addColumn('max_attempts', 'integer', (c) => c.notNull())
    .addColumn('request', 'text')
    .addColumn('response', 'text')
    .addColumn('error', 'text')
    .addColumn('rollback_request', 'text')
    .addColumn('rollback_response', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addColumn('finished_at', 'bigint')
    .execute();
  await db.schema
    .createIndex('action_runs_incident')
    .on('action_runs')
    .columns(['incident_id', 'created_at'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('action_runs').ifExists().execute();
  await db.schema.dropTable('connectors').ifExists().execute();
}
