/** Ingest: event ids seen per source (idempotent re-sending) and customer complaints. */
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('ingest_seen')
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('event_id', 'text', (c) => c.notNull())
    .addColumn('seen_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('ingest_seen_pk', ['source', 'event_id'])
    .execute();
  await db.schema.createIndex('ingest_seen_age').on('ingest_seen').columns(['source', 'seen_at']).execute();

  await db.schema
    .createTable('complaints')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('channel', 'text', (c) => c.notNull())
    .addColumn('topic', 'text')
    .addColumn('text', 'text', (c) => c.notNull())
    .addColumn('customer_ref', 'text')
    .addColumn('time', 'bigint', (c) => c.notNull())
    .addColumn('received_at', 'bigint', (c) => c.notNull())
    .addColumn('created_by', 'text')
    .execute();
  await db.schema.createIndex('complaints_time').on('complaints').column('time').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('complaints').execute();
  await db.schema.dropTable('ingest_seen').execute();
}
