/**
 * Emergency plans (issue 9): `plans` (one row per plan document id) and `plan_versions` (every version of
 * its YAML source, kept whole with the parsed document, its SHA-256 and its review state). At most one
 * version of a plan is active: a partial unique index on `(plan_id) WHERE status = 'active'`, which both
 * SQLite and PostgreSQL enforce.
 */
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('plans')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name_zh', 'text', (c) => c.notNull())
    .addColumn('name_en', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('plan_versions')
    .addColumn('plan_id', 'text', (c) => c.notNull().references('plans.id'))
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('document', 'text', (c) => c.notNull())
    .addColumn('sha256', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text')
    .addColumn('created_by_label', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('approved_by', 'text')
    .addColumn('approved_by_label', 'text')
    .addColumn('approved_at', 'bigint')
    .addColumn('activated_by', 'text')
    .addColumn('activated_by_label', 'text')
    .addColumn('activated_at', 'bigint')
    .addColumn('retired_at', 'bigint')
    .addPrimaryKeyConstraint('plan_versions_pk', ['plan_id', 'version'])
    .execute();
  await db.schema
    .createIndex('plan_versions_one_active')
    .on('plan_versions')
    .column('plan_id')
    .unique()
    .where(sql.ref('status'), '=', 'active')
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('plan_versions').ifExists().execute();
  await db.schema.dropTable('plans').ifExists().execute();
}
