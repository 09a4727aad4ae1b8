/**
 * The evidence locker (issue 15): one row per item an investigator preserved for an incident — a file
 * uploaded, or a snapshot Tocsin made (an alert with its events). The bytes are in the blob store
 * (content-addressed by SHA-256, read-only); the row says what they are, where they came from and how
 * they were acquired. Custody (views, downloads, holds, deletion) is in the audit chain, target `evidence`.
 */
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('evidence_items')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('incident_id', 'text', (c) => c.notNull().references('incidents.id'))
    .addColumn('sha256', 'text', (c) => c.notNull())
    .addColumn('md5', 'text', (c) => c.notNull())
    .addColumn('bytes', 'bigint', (c) => c.notNull())
    .addColumn('file_name', 'text', (c) => c.notNull())
    .addColumn('media_type', 'text', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull())
    .addColumn('source_system', 'text', (c) => c.notNull())
    .addColumn('acquisition_method', 'text', (c) => c.notNull())
    .addColumn('acquirer_sha256', 'text')
    .addColumn('hash_mismatch', 'integer', (c) => c.notNull().defaultTo(0))
    /** file | alert_events | timeline | connector_response */
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('legal_hold', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('uploaded_by', 'text')
    .addColumn('ip', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('deleted_at', 'bigint')
    .execute();
  await db.schema
    .createIndex('evidence_items_incident')
    .on('evidence_items')
    .columns(['incident_id', 'created_at'])
    .execute();
  await db.schema.createIndex('evidence_items_sha256').on('evidence_items').column('sha256').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('evidence_items').execute();
}
