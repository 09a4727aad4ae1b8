/**
 * The session policy (issue 17): idle and absolute timeouts, one session or many, IP allow-lists for the
 * console and API tokens, the longest lifetime of a new API token. One row (id 1), the policy as JSON
 * checked by the shared zod schema when read and written; no row means the defaults (today's behaviour).
 */
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('session_policy')
    .addColumn('id', 'integer', (c) => c.primaryKey())
    .addColumn('policy_json', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_by', 'text', (c) => c.references('users.id'))
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('session_policy').execute();
}
