/**
 * Idempotent alert intake (issue 10): the matches already counted, by a digest of rule, kind, time,
 * group and event ids, so a batch delivered twice (detection across processes is at least once) never
 * raises an alert or counts a match twice. Rows older than a day are pruned by intake.
 */
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('alert_matches')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('alert_id', 'text', (c) => c.notNull())
    .addColumn('seen_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('alert_matches_seen_at').on('alert_matches').column('seen_at').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('alert_matches').ifExists().execute();
}
