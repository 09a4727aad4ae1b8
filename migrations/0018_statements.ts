/**
 * Statements (issue 11): one row per statement of an incident, every edit a version, every review a row.
 * A plan step drafts at most one statement per incident (`origin_key` unique; NULLs do not collide on
 * either store).
 */
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('statements')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('incident_id', 'text', (c) => c.notNull().references('incidents.id'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('scenario', 'text', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('current_version', 'integer', (c) => c.notNull())
    .addColumn('required_reviews', 'text', (c) => c.notNull())
    .addColumn('flags', 'text', (c) => c.notNull())
    .addColumn('emergency', 'text')
    .addColumn('publication', 'text')
    .addColumn('origin_key', 'text', (c) => c.unique())
    .addColumn('origin_plan', 'text')
    .addColumn('origin_step', 'text')
    .addColumn('created_by', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addColumn('published_at', 'bigint')
    .addColumn('published_by', 'text')
    .addColumn('withdrawn_at', 'bigint')
    .addColumn('withdraw_reason', 'text')
    .execute();
  await db.schema.createIndex('statements_incident').on('statements').columns(['incident_id', 'id']).execute();
  // The approval inbox lists statements by state.
  await db.schema.createIndex('statements_state').on('statements').columns(['state', 'id']).execute();

  await db.schema
    .createTable('statement_versions')
    .addColumn('statement_id', 'text', (c) => c.notNull().references('statements.id'))
    .addColumn('n', 'integer', (c) => c.notNull())
    .addColumn('title_zh', 'text', (c) => c.notNull())
    .addColumn('title_en', 'text', (c) => c.notNull())
    .addColumn('body_zh', 'text', (c) => c.notNull())
    .addColumn('body_en', 'text', (c) => c.notNull())
    .addColumn('fields', 'text', (c) => c.notNull())
    .addColumn('author_id', 'text')
    .addColumn('author_label', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('statement_versions_pk', ['statement_id', 'n'])
    .execute();

  await db.schema
    .createTable('statement_reviews')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('statement_id', 'text', (c) => c.notNull().references('statements.id'))
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('reviewer_id', 'text', (c) => c.notNull())
    .addColumn('reviewer_role', 'text', (c) => c.notNull())
    .addColumn('verdict', 'text', (c) => c.notNull())
    .addColumn('comment', 'text', (c) => c.notNull())
    .addColumn('at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('statement_reviews_statement')
    .on('statement_reviews')
    .columns(['statement_id', 'version'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('statement_reviews').ifExists().execute();
  await db.schema.dropTable('statement_versions').ifExists().execute();
  await db.schema.dropTable('statements').ifExists().execute();
}
