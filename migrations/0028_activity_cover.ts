/**
 * Scoping by address reads only an index (issue 12's bench: 200 addresses in a 2-hour window over 50 M
 * activity rows): the (ip_key, at) index becomes one that also carries what the query groups and
 * returns, so no table row is fetched — on PostgreSQL as INCLUDE columns (index-only scan), on SQLite as
 * trailing key columns (a covering index). The address index is replaced, not added beside, so ingest
 * keeps three indexes to maintain.
 */
import { type Kysely, PostgresAdapter, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  const postgres = db.getExecutor().adapter instanceof PostgresAdapter;
  await db.schema.dropIndex('account_activity_ip_at').ifExists().execute();
  if (postgres)
    await sql`create index account_activity_ip_cover on account_activity (ip_key, at) include (account_no, action, outcome, ip, customer_no)`.execute(
      db,
    );
  else
    await db.schema
      .createIndex('account_activity_ip_cover')
      .on('account_activity')
      .columns(['ip_key', 'at', 'account_no', 'action', 'outcome', 'ip', 'customer_no'])
      .execute();
}
