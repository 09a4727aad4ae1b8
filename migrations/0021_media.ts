/**
 * Media desk (issue 11): the rumor-vs-fact register (every change kept as a version), media inquiries
 * and FAQ entries. An entry of the register may be site-wide (no incident).
 */
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('fact_checks')
    .addColumn('id', 'text', (c) => c.primaryKey())
    /** null: a site-wide entry. */
    .addColumn('incident_id', 'text', (c) => c.references('incidents.id'))
    .addColumn('claim_zh', 'text', (c) => c.notNull())
    .addColumn('claim_en', 'text', (c) => c.notNull())
    .addColumn('source', 'text')
    /** false | unverified | confirmed */
    .addColumn('verdict', 'text', (c) => c.notNull())
    /** Markdown. */
    .addColumn('rebuttal_zh', 'text', (c) => c.notNull())
    .addColumn('rebuttal_en', 'text', (c) => c.notNull())
    .addColumn('evidence_url', 'text')
    .addColumn('published', 'integer', (c) => c.notNull().defaultTo(0))
    /** When it was (last) published; null: never. */
    .addColumn('published_at', 'bigint')
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('created_by', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_by', 'text')
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('fact_checks_incident').on('fact_checks').columns(['incident_id']).execute();

  // Every version of an entry as it was after the change, with who and when (never updated or deleted).
  await db.schema
    .createTable('fact_check_versions')
    .addColumn('fact_check_id', 'text', (c) => c.notNull().references('fact_checks.id'))
    .addColumn('version', 'integer', (c) => c.notNull())
    /** create | update | publish | unpublish */
    .addColumn('change', 'text', (c) => c.notNull())
    /** JSON: the entry's fields after the change. */
    .addColumn('data', 'text', (c) => c.notNull())
    .addColumn('changed_by', 'text')
    .addColumn('changed_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('fact_check_versions_pk', ['fact_check_id', 'version'])
    .execute();

  await db.schema
    .createTable('media_inquiries')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('incident_id', 'text', (c) => c.notNull().references('incidents.id'))
    .addColumn('outlet', 'text', (c) => c.notNull())
    .addColumn('journalist', 'text', (c) => c.notNull())
    /** PII: shown masked in lists, never logged. */
    .addColumn('contact', 'text', (c) => c.notNull())
    .addColumn('question', 'text', (c) => c.notNull())
    .addColumn('deadline', 'bigint')
    .addColumn('spokesperson_id', 'text')
    /** The approved statement that answers it, or free text until statements exist. */
    .addColumn('answer_statement_id', 'text')
    .addColumn('answer_text', 'text')
    /** open | answered | closed */
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('answered_at', 'bigint')
    .addColumn('created_by', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('media_inquiries_incident')
    .on('media_inquiries')
    .columns(['incident_id', 'created_at'])
    .execute();
  await db.schema.createIndex('media_inquiries_due').on('media_inquiries').columns(['status', 'deadline']).execute();

  await db.schema
    .createTable('faq_entries')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('incident_id', 'text', (c) => c.notNull().references('incidents.id'))
    .addColumn('question_zh', 'text', (c) => c.notNull())
    .addColumn('question_en', 'text', (c) => c.notNull())
    /** Markdown. */
    .addColumn('answer_zh', 'text', (c) => c.notNull())
    .addColumn('answer_en', 'text', (c) => c.notNull())
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('published', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('published_at', 'bigint')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('faq_entries_incident').on('faq_entries').columns(['incident_id', 'position']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const t of ['faq_entries', 'media_inquiries', 'fact_check_versions', 'fact_checks'])
    await db.schema.dropTable(t).ifExists().execute();
}
