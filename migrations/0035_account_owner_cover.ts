/**
 * Scoping looks up the customer of every account its activity groups name — nearly half a million
 * lookups in issue 12's scope case. The account index now carries the customer id, so a lookup reads
 * only the index, not the table row: on PostgreSQL the primary key itself gets `INCLUDE (customer_id)`
 * (no second index to maintain), on SQLite a covering index (account_no, customer_id) beside the key.
 */
import { type Kysely, PostgresAdapter, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  if (db.getExecutor().adapter instanceof PostgresAdapter)
    await sql`alter table customer_accounts drop constraint customer_accounts_pkey,
      add constraint customer_accounts_pkey primary key (account_no) include (customer_id)`.execute(db);
  else
    await db.schema
      .createIndex('customer_accounts_owner')
      .on('customer_accounts')
      .columns(['account_no', 'customer_id'])
      .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  if (db.getExecutor().adapter instanceof PostgresAdapter)
    await sql`alter table customer_accounts drop constraint customer_accounts_pkey,
      add constraint customer_accounts_pkey primary key (account_no)`.execute(db);
  else await db.schema.dropIndex('customer_accounts_owner').ifExists().execute();
}
