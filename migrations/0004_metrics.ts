/** Metrics: series (name + canonical labels, last value) and their points, pruned after the retention period. */
import type { Kysely } from 'kysely';

// Portable types only: text, bigint (epoch ms), double precision (REAL on SQLite).
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('metric_series')
    .addColumn('id', 'text', (c) => c.primaryKey())
    // SHA-256 of name + canonical labels: a short unique key however long the labels are.
    .addColumn('series_key', 'text', (c) => c.notNull().unique())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('labels', 'text', (c) => c.notNull())
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('last_value', 'double precision')
    .addColumn('last_time', 'bigint')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('metric_series_name').on('metric_series').columns(['name', 'id']).execute();
  await db.schema.createIndex('metric_series_last_time').on('metric_series').column('last_time').execute();

  await db.schema
    .createTable('metric_points')
    .addColumn('series_id', 'text', (c) => c.notNull().references('metric_series.id'))
    .addColumn('time', 'bigint', (c) => c.notNull())
    .addColumn('value', 'double precision', (c) => c.notNull())
    .addPrimaryKeyConstraint('metric_points_pk', ['series_id', 'time'])
    .execute();
  await db.schema.createIndex('metric_points_time').on('metric_points').column('time').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('metric_points').execute();
  await db.schema.dropTable('metric_series').execute();
}
