/**
 * Impact scoping (issue 12): the account-activity index (who logged in, ordered or transferred, from
 * where, how it went — fed from ingested events and imported extracts, pruned after
 * TOCSIN_ACTIVITY_RETENTION_DAYS) and the affected-customer sets of incidents, versioned.
 *
 * `account_activity` has no key of its own (tens of millions of rows: SQLite's rowid, a heap on
 * PostgreSQL); `ip_key` is the address as fixed-width hex (IPv4 8 digits, IPv6 32) so that a CIDR block
 * is one range of the (ip_key, at) index.
 */
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('account_activity')
    .addColumn('at', 'bigint', (c) => c.notNull())
    .addColumn('account_no', 'text', (c) => c.notNull())
    /** The customer number when the event or extract named it or the account was known at write time. */
    .addColumn('customer_no', 'text')
    .addColumn('ip', 'text')
    .addColumn('ip_key', 'text')
    .addColumn('device', 'text')
    /** login | order | transfer | other */
    .addColumn('action', 'text', (c) => c.notNull())
    /** success | failure | rejected | another word the source used (lower case); null: not said. */
    .addColumn('outcome', 'text')
    /** The ingest source, or `extract:<file>`. */
    .addColumn('source', 'text', (c) => c.notNull())
    /** The event's id (ingest) or the extract's line. */
    .addColumn('event_ref', 'text')
    .execute();
  await db.schema.createIndex('account_activity_ip_at').on('account_activity').columns(['ip_key', 'at']).execute();
  await db.schema
    .createIndex('account_activity_account_at')
    .on('account_activity')
    .columns(['account_no', 'at'])
    .execute();
  await db.schema.createIndex('account_activity_at').on('account_activity').columns(['at']).execute();

  await db.schema
    .createTable('affected_sets')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('incident_id', 'text', (c) => c.notNull().references('incidents.id'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    /** Members of the current version (customers, and accounts of no known customer). */
    .addColumn('customer_count', 'integer', (c) => c.notNull())
    /** 0 | 1: the set whose count is the incident's customers_affected (none: the largest). */
    .addColumn('is_primary', 'integer', (c) => c.notNull())
    .addColumn('created_by', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('affected_sets_incident').on('affected_sets').columns(['incident_id']).execute();

  await db.schema
    .createTable('affected_set_versions')
    .addColumn('set_id', 'text', (c) => c.notNull().references('affected_sets.id'))
    .addColumn('version', 'integer', (c) => c.notNull())
    /** JSON: the definition evaluated. */
    .addColumn('definition', 'text', (c) => c.notNull())
    .addColumn('customer_count', 'integer', (c) => c.notNull())
    .addColumn('created_by', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('affected_set_versions_pk', ['set_id', 'version'])
    .execute();

  await db.schema
    .createTable('affected_set_members')
    .addColumn('set_id', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    /** The customer's id, or `acct:<account_no>` when the account's customer is unknown. */
    .addColumn('member_key', 'text', (c) => c.notNull())
    .addColumn('customer_id', 'text')
    .addColumn('account_no', 'text')
    /** JSON array of at most a few reasons ({ kind, ... }). */
    .addColumn('reasons', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('affected_set_members_pk', ['set_id', 'version', 'member_key'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const t of ['affected_set_members', 'affected_set_versions', 'affected_sets', 'account_activity'])
    await db.schema.dropTable(t).ifExists().execute();
}
