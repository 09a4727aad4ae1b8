/** Detection rules managed through the API: uploaded rules, enabled/disabled state, hit counters. */
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  // One row per uploaded rule (one YAML document): uploads of several documents are split.
  await db.schema
    .createTable('rule_uploads')
    .addColumn('rule_id', 'text', (c) => c.primaryKey())
    .addColumn('file_name', 'text', (c) => c.notNull())
    .addColumn('yaml', 'text', (c) => c.notNull())
    .addColumn('uploaded_by', 'text', (c) => c.references('users.id'))
    .addColumn('uploaded_at', 'bigint', (c) => c.notNull())
    .execute();

  // Only rules someone switched; a rule without a row is enabled.
  await db.schema
    .createTable('rule_states')
    .addColumn('rule_id', 'text', (c) => c.primaryKey())
    .addColumn('enabled', 'integer', (c) => c.notNull())
    .addColumn('changed_by', 'text', (c) => c.references('users.id'))
    .addColumn('changed_at', 'bigint', (c) => c.notNull())
    .execute();

  // Matches per rule, flushed from memory every few seconds (never a write per match).
  await db.schema
    .createTable('rule_hits')
    .addColumn('rule_id', 'text', (c) => c.primaryKey())
    .addColumn('hits', 'bigint', (c) => c.notNull())
    .addColumn('last_hit_at', 'bigint')
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const t of ['rule_hits', 'rule_states', 'rule_uploads']) await db.schema.dropTable(t).ifExists().execute();
}
