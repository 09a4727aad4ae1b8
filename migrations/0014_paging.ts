/**
 * Paging (issue 9): pages raised for incidents, each with its escalation policy as it was when paged
 * (JSON), the deliveries of each step (one per recipient and contact route; the delivery id is also the
 * id of that message's one-time acknowledge link), and the staff's contact routes. On-call schedules
 * gain the token of their calendar feed (a capability URL; null until an administrator makes one).
 */
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('pages')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('key', 'text', (c) => c.notNull().unique())
    .addColumn('incident_id', 'text', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('policy_id', 'text')
    .addColumn('policy', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('paged_at', 'bigint', (c) => c.notNull())
    .addColumn('sent', 'integer', (c) => c.notNull())
    .addColumn('acknowledged_at', 'bigint')
    .addColumn('acknowledged_by', 'text')
    .addColumn('problems', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('pages_incident').on('pages').columns(['incident_id', 'paged_at']).execute();

  await db.schema
    .createTable('page_deliveries')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('page_id', 'text', (c) => c.notNull())
    .addColumn('step', 'integer', (c) => c.notNull())
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('channel', 'text', (c) => c.notNull())
    .addColumn('address', 'text', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('detail', 'text')
    .addColumn('ack_expires_at', 'bigint', (c) => c.notNull())
    .addColumn('ack_used_at', 'bigint')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('page_deliveries_page').on('page_deliveries').columns(['page_id', 'step']).execute();

  await db.schema
    .createTable('contact_routes')
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('channel', 'text', (c) => c.notNull())
    .addColumn('address', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('contact_routes_pk', ['user_id', 'position'])
    .execute();

  await db.schema.alterTable('oncall_schedules').addColumn('feed_token', 'text').execute();
  await db.schema.createIndex('oncall_schedules_feed').on('oncall_schedules').column('feed_token').unique().execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('oncall_schedules_feed').ifExists().execute();
  await db.schema.alterTable('oncall_schedules').dropColumn('feed_token').execute();
  await db.schema.dropTable('contact_routes').ifExists().execute();
  await db.schema.dropTable('page_deliveries').ifExists().execute();
  await db.schema.dropTable('pages').ifExists().execute();
}
