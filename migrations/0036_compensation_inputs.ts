/**
 * The firm's extracts an assessment runs on (issue 14: orders and prices for `outage-price-diff`, item
 * lists for the other methods), uploaded through the API before the engine runs on them in the server.
 * The bytes are sealed by the secret box, bound to the row's id (customer numbers and accounts are in
 * them); their SHA-256 is kept in the clear so a run can name exactly what it read.
 */
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('compensation_inputs')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('incident_id', 'text', (c) => c.notNull().references('incidents.id'))
    /** orders | prices | items */
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('bytes', 'integer', (c) => c.notNull())
    .addColumn('sha256', 'text', (c) => c.notNull())
    /** The file's bytes as base64, sealed (secret box, bound to the id). */
    .addColumn('content', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('compensation_inputs_incident')
    .on('compensation_inputs')
    .columns(['incident_id', 'created_at'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('compensation_inputs').ifExists().execute();
}
