/** Alerts: raised rule matches with their events, suppressions, maintenance windows, incident grouping keys. */
import type { Kysely } from 'kysely';

// Portable types only: text, integer, bigint (epoch ms and counters that may grow past 2^31).
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('alerts')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('rule_id', 'text', (c) => c.notNull())
    .addColumn('rule_title', 'text', (c) => c.notNull())
    .addColumn('level', 'text', (c) => c.notNull())
    .addColumn('severity', 'integer', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('tags', 'text', (c) => c.notNull())
    .addColumn('entities', 'text', (c) => c.notNull())
    .addColumn('services', 'text', (c) => c.notNull())
    .addColumn('group_json', 'text')
    .addColumn('fingerprint', 'text', (c) => c.notNull())
    .addColumn('count', 'bigint', (c) => c.notNull())
    .addColumn('event_count', 'bigint', (c) => c.notNull())
    .addColumn('events_stored', 'integer', (c) => c.notNull())
    .addColumn('first_seen', 'bigint', (c) => c.notNull())
    .addColumn('last_seen', 'bigint', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('held_kind', 'text')
    .addColumn('held_id', 'text')
    .addColumn('held_reason', 'text')
    .addColumn('incident_id', 'text', (c) => c.references('incidents.id'))
    .addColumn('suggested_category', 'text', (c) => c.notNull())
    .addColumn('suggested_grade', 'text', (c) => c.notNull())
    .addColumn('acknowledged_by', 'text', (c) => c.references('users.id'))
    .addColumn('acknowledged_at', 'bigint')
    .addColumn('fp_by', 'text', (c) => c.references('users.id'))
    .addColumn('fp_at', 'bigint')
    .addColumn('fp_reason', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('alerts_fingerprint').on('alerts').columns(['fingerprint', 'last_seen']).execute();
  await db.schema.createIndex('alerts_last_seen').on('alerts').columns(['last_seen', 'id']).execute();
  await db.schema.createIndex('alerts_status_last_seen').on('alerts').columns(['status', 'last_seen']).execute();
  await db.schema.createIndex('alerts_incident').on('alerts').columns(['incident_id', 'last_seen']).execute();
  await db.schema.createIndex('alerts_rule').on('alerts').column('rule_id').execute();

  // The first few events of each alert (bounded), kept as JSON text.
  await db.schema
    .createTable('alert_events')
    .addColumn('alert_id', 'text', (c) => c.notNull().references('alerts.id'))
    .addColumn('seq', 'integer', (c) => c.notNull())
    .addColumn('event_id', 'text', (c) => c.notNull())
    .addColumn('time', 'bigint', (c) => c.notNull())
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('logsource', 'text', (c) => c.notNull())
    .addColumn('fields', 'text', (c) => c.notNull())
    .addColumn('truncated', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('alert_events_pk', ['alert_id', 'seq'])
    .execute();

  await db.schema
    .createTable('suppressions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('rule_id', 'text')
    .addColumn('entity_kind', 'text')
    .addColumn('entity_value', 'text')
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'bigint')
    .addColumn('from_alert_id', 'text', (c) => c.references('alerts.id'))
    .addColumn('hits', 'bigint', (c) => c.notNull())
    .addColumn('last_hit_at', 'bigint')
    .addColumn('created_by', 'text', (c) => c.references('users.id'))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('deleted_by', 'text', (c) => c.references('users.id'))
    .addColumn('deleted_at', 'bigint')
    .execute();
  await db.schema.createIndex('suppressions_created').on('suppressions').columns(['created_at', 'id']).execute();

  await db.schema
    .createTable('maintenance_windows')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('services', 'text', (c) => c.notNull())
    .addColumn('rule_ids', 'text', (c) => c.notNull())
    .addColumn('entities', 'text', (c) => c.notNull())
    .addColumn('starts_at', 'bigint', (c) => c.notNull())
    .addColumn('ends_at', 'bigint', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('hits', 'bigint', (c) => c.notNull())
    .addColumn('last_hit_at', 'bigint')
    .addColumn('created_by', 'text', (c) => c.references('users.id'))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('deleted_by', 'text', (c) => c.references('users.id'))
    .addColumn('deleted_at', 'bigint')
    .execute();
  await db.schema
    .createIndex('maintenance_windows_ends')
    .on('maintenance_windows')
    .columns(['ends_at', 'id'])
    .execute();

  // Correlation key -> the incident its alerts go to while the key keeps being seen.
  await db.schema
    .createTable('alert_groups')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('incident_id', 'text', (c) => c.notNull().references('incidents.id'))
    .addColumn('last_seen', 'bigint', (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const t of ['alert_groups', 'maintenance_windows', 'suppressions', 'alert_events', 'alerts']) {
    await db.schema.dropTable(t).ifExists().execute();
  }
}
