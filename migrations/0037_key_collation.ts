/**
 * Identifiers compared by the million in scoping (issue 12's scope case: half a million account lookups
 * and member rows) are compared byte by byte on PostgreSQL: `customer_accounts.account_no` and
 * `affected_set_members.member_key` take the "C" collation. A database's default collation (even
 * C.UTF-8) compares through the C library with a copy of both strings per comparison and no abbreviated
 * sort keys; "C" is a memcmp. Account numbers and member keys are identifiers (ASCII in practice), so
 * nothing a person reads changes order. SQLite already compares text byte by byte (BINARY).
 */
import { type Kysely, PostgresAdapter, sql } from 'kysely';

const pg = (db: Kysely<unknown>) => db.getExecutor().adapter instanceof PostgresAdapter;

export async function up(db: Kysely<unknown>): Promise<void> {
  if (!pg(db)) return;
  await sql`alter table customer_accounts alter column account_no type text collate "C"`.execute(db);
  await sql`alter table affected_set_members alter column member_key type text collate "C"`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  if (!pg(db)) return;
  await sql`alter table customer_accounts alter column account_no type text collate "default"`.execute(db);
  await sql`alter table affected_set_members alter column member_key type text collate "default"`.execute(db);
}
