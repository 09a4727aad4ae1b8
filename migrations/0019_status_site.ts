/**
 * The public status site (issue 11): which catalog services are shown and how (groups, order, public
 * descriptions), people's state overrides with their history (the uptime bars read it), scheduled
 * maintenance, and announcements with their updates — written only when an approved statement is
 * published (the status module's publisher).
 */
import type { Kysely } from 'kysely';

// Portable types only: text, integer, bigint (epoch ms). JSON is text.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('status_groups')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('name_zh', 'text', (c) => c.notNull())
    .addColumn('name_en', 'text', (c) => c.notNull())
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();

  // A catalog service's public settings; a service without a row is not shown.
  await db.schema
    .createTable('status_components')
    .addColumn('service_id', 'text', (c) => c.primaryKey().references('services.id'))
    .addColumn('public', 'integer', (c) => c.notNull())
    .addColumn('group_key', 'text')
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('description_zh', 'text', (c) => c.notNull())
    .addColumn('description_en', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();

  // A person's override of a service's public state, kept after it is cleared (ended_at) for the bars.
  await db.schema
    .createTable('status_overrides')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('service_id', 'text', (c) => c.notNull().references('services.id'))
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('set_by', 'text')
    .addColumn('set_by_label', 'text', (c) => c.notNull())
    .addColumn('started_at', 'bigint', (c) => c.notNull())
    .addColumn('ended_at', 'bigint')
    .addColumn('ended_by', 'text')
    .execute();
  await db.schema
    .createIndex('status_overrides_service')
    .on('status_overrides')
    .columns(['service_id', 'started_at'])
    .execute();
  await db.schema.createIndex('status_overrides_ended').on('status_overrides').column('ended_at').execute();

  await db.schema
    .createTable('status_maintenances')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('title_zh', 'text', (c) => c.notNull())
    .addColumn('title_en', 'text', (c) => c.notNull())
    /** Markdown. */
    .addColumn('body_zh', 'text', (c) => c.notNull())
    .addColumn('body_en', 'text', (c) => c.notNull())
    /** JSON array of service keys. */
    .addColumn('services', 'text', (c) => c.notNull())
    .addColumn('starts_at', 'bigint', (c) => c.notNull())
    .addColumn('ends_at', 'bigint', (c) => c.notNull())
    .addColumn('created_by', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('status_maintenances_ends').on('status_maintenances').column('ends_at').execute();

  await db.schema
    .createTable('status_announcements')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('slug', 'text', (c) => c.notNull().unique())
    .addColumn('incident_id', 'text', (c) => c.notNull().references('incidents.id'))
    .addColumn('title_zh', 'text', (c) => c.notNull())
    .addColumn('title_en', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('impact', 'text', (c) => c.notNull())
    .addColumn('started_at', 'bigint')
    .addColumn('detected_at', 'bigint')
    .addColumn('resolved_at', 'bigint')
    /** JSON {zh, en} of Markdown each. */
    .addColumn('cause', 'text', (c) => c.notNull())
    .addColumn('measures', 'text', (c) => c.notNull())
    .addColumn('customer_action', 'text', (c) => c.notNull())
    /** JSON: service keys; [{zh, en}] customer groups and regions. */
    .addColumn('services', 'text', (c) => c.notNull())
    .addColumn('customer_groups', 'text', (c) => c.notNull())
    .addColumn('regions', 'text', (c) => c.notNull())
    .addColumn('next_update_at', 'bigint')
    /** JSON {zh, en} of Markdown; null: no investigation results published yet. */
    .addColumn('investigation', 'text')
    .addColumn('investigation_at', 'bigint')
    .addColumn('published_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('status_announcements_incident')
    .on('status_announcements')
    .columns(['incident_id', 'published_at'])
    .execute();
  await db.schema.createIndex('status_announcements_updated').on('status_announcements').column('updated_at').execute();

  // One row per published statement (opening, updates, the investigation result): a statement published twice stores nothing.
  await db.schema
    .createTable('status_announcement_updates')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('announcement_id', 'text', (c) => c.notNull().references('status_announcements.id'))
    .addColumn('statement_id', 'text', (c) => c.notNull().unique())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    /** Markdown. */
    .addColumn('body_zh', 'text', (c) => c.notNull())
    .addColumn('body_en', 'text', (c) => c.notNull())
    .addColumn('at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('status_announcement_updates_announcement')
    .on('status_announcement_updates')
    .columns(['announcement_id', 'at'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const t of [
    'status_announcement_updates',
    'status_announcements',
    'status_maintenances',
    'status_overrides',
    'status_components',
    'status_groups',
  ])
    await db.schema.dropTable(t).ifExists().execute();
}
