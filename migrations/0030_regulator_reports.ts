/**
 * Regulator reports (issue 13): one row per report of an incident for an obligation and stage, every
 * save a version, the receipt of its filing kept with its SHA-256 (docs/regulator-reports.md).
 */
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('regulator_reports')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('incident_id', 'text', (c) => c.notNull().references('incidents.id'))
    .addColumn('obligation', 'text', (c) => c.notNull())
    .addColumn('stage', 'text', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('current_version', 'integer', (c) => c.notNull())
    .addColumn('created_by', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addColumn('reject_reason', 'text')
    .addColumn('approved_by', 'text')
    .addColumn('approved_at', 'bigint')
    .addColumn('submitted_by', 'text')
    .addColumn('submitted_at', 'bigint')
    .addColumn('channel', 'text')
    .addColumn('reference', 'text')
    .addColumn('receipt_name', 'text')
    .addColumn('receipt_type', 'text')
    .addColumn('receipt_size', 'integer')
    .addColumn('receipt_sha256', 'text')
    .execute();
  await db.schema
    .createIndex('regulator_reports_incident')
    .on('regulator_reports')
    .columns(['incident_id', 'id'])
    .execute();

  await db.schema
    .createTable('regulator_report_versions')
    .addColumn('report_id', 'text', (c) => c.notNull().references('regulator_reports.id'))
    .addColumn('n', 'integer', (c) => c.notNull())
    .addColumn('fields', 'text', (c) => c.notNull())
    .addColumn('author_id', 'text')
    .addColumn('author_label', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('regulator_report_versions_pk', ['report_id', 'n'])
    .execute();

  // The receipt's bytes (base64), apart from the report row so lists never read them.
  await db.schema
    .createTable('regulator_report_receipts')
    .addColumn('report_id', 'text', (c) => c.primaryKey().references('regulator_reports.id'))
    .addColumn('content', 'text', (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('regulator_report_receipts').ifExists().execute();
  await db.schema.dropTable('regulator_report_versions').ifExists().execute();
  await db.schema.dropTable('regulator_reports').ifExists().execute();
}
