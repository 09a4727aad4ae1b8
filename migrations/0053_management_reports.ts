/**
 * Management reports (issue 16, docs/management-reports.md): each generation of a monthly, quarterly or
 * annual report in one language, its PDF and XLSX kept in the blob store by SHA-256; and the scheduled
 * deliveries by email, one row per kind, period and language, so a restart never sends one twice.
 */
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('management_reports')
    .addColumn('id', 'text', (c) => c.primaryKey())
    /** monthly | quarterly | annual */
    .addColumn('kind', 'text', (c) => c.notNull())
    /** `2026-11`, `2026-Q4`, `2026` */
    .addColumn('period', 'text', (c) => c.notNull())
    /** zh | en */
    .addColumn('lang', 'text', (c) => c.notNull())
    /** schedule | request */
    .addColumn('origin', 'text', (c) => c.notNull())
    .addColumn('pdf_sha256', 'text', (c) => c.notNull())
    .addColumn('pdf_bytes', 'integer', (c) => c.notNull())
    .addColumn('xlsx_sha256', 'text', (c) => c.notNull())
    .addColumn('xlsx_bytes', 'integer', (c) => c.notNull())
    .addColumn('generated_by', 'text', (c) => c.references('users.id'))
    .addColumn('generated_by_name', 'text', (c) => c.notNull())
    .addColumn('generated_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('management_reports_generated')
    .on('management_reports')
    .columns(['generated_at', 'id'])
    .execute();
  await db.schema
    .createTable('management_report_deliveries')
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('period', 'text', (c) => c.notNull())
    .addColumn('lang', 'text', (c) => c.notNull())
    /** The report made for this delivery (kept, so a retry sends the same files). */
    .addColumn('report_id', 'text', (c) => c.references('management_reports.id'))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull())
    .addColumn('last_error', 'text')
    .addColumn('sent_at', 'bigint')
    .addPrimaryKeyConstraint('management_report_deliveries_pk', ['kind', 'period', 'lang'])
    .execute();
}
