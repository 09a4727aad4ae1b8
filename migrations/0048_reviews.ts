/**
 * Post-incident reviews and action items (issue 16): one review per incident (opened when it is resolved,
 * docs/reviews.md), its blameless sections and contributing factors as JSON; action items are generic
 * (reviews, drills and the risk register create them) with their history of changes in `action_item_events`
 * and the reminder points already fired in `reminded`.
 */
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('reviews')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('incident_id', 'text', (c) => c.notNull().unique().references('incidents.id'))
    /** draft | in_review | closed */
    .addColumn('state', 'text', (c) => c.notNull())
    /** 1: required by the incident's grade (I-III), 0: opened by hand */
    .addColumn('required', 'integer', (c) => c.notNull())
    .addColumn('due_at', 'bigint', (c) => c.notNull())
    .addColumn('revision', 'integer', (c) => c.notNull())
    /** JSON: whatHappened, wentWell, wentBadly, lucky (Markdown). */
    .addColumn('sections', 'text', (c) => c.notNull())
    /** JSON array: { category, title, whys[] }. */
    .addColumn('factors', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_by', 'text')
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addColumn('submitted_by', 'text')
    .addColumn('submitted_at', 'bigint')
    .addColumn('closed_by', 'text')
    .addColumn('closed_at', 'bigint')
    .execute();
  await db.schema.createIndex('reviews_state_due').on('reviews').columns(['state', 'due_at']).execute();

  await db.schema
    .createTable('action_items')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull())
    .addColumn('owner_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('due_at', 'bigint', (c) => c.notNull())
    /** p1..p4 */
    .addColumn('priority', 'text', (c) => c.notNull())
    /** open | in_progress | done | accepted_risk | cancelled */
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('status_reason', 'text')
    .addColumn('accepted_by', 'text')
    .addColumn('accepted_at', 'bigint')
    .addColumn('closed_at', 'bigint')
    /** review | drill | risk | none; the id of the source record (no foreign key: several tables) */
    .addColumn('source_kind', 'text', (c) => c.notNull())
    .addColumn('source_id', 'text')
    /** vulnerability | risk and its id (those modules' tables: no foreign key) */
    .addColumn('treats_kind', 'text')
    .addColumn('treats_id', 'text')
    /** The incident it came from (need-to-know, who is paged); null when none. */
    .addColumn('incident_id', 'text', (c) => c.references('incidents.id'))
    /** JSON array of the reminder points fired, `point@due`. */
    .addColumn('reminded', 'text', (c) => c.notNull())
    .addColumn('escalated_at', 'bigint')
    .addColumn('created_by', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('action_items_status_due').on('action_items').columns(['status', 'due_at']).execute();
  await db.schema.createIndex('action_items_owner').on('action_items').columns(['owner_id', 'status']).execute();
  await db.schema.createIndex('action_items_source').on('action_items').columns(['source_kind', 'source_id']).execute();

  await db.schema
    .createTable('action_item_events')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('item_id', 'text', (c) => c.notNull().references('action_items.id'))
    .addColumn('at', 'bigint', (c) => c.notNull())
    .addColumn('actor_id', 'text')
    /** created | updated | status | reminded | escalated */
    .addColumn('kind', 'text', (c) => c.notNull())
    /** JSON: what changed (before/after), the reminder point, who was paged. */
    .addColumn('data', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('action_item_events_item').on('action_item_events').columns(['item_id', 'at']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('action_item_events').ifExists().execute();
  await db.schema.dropTable('action_items').ifExists().execute();
  await db.schema.dropTable('reviews').ifExists().execute();
}
