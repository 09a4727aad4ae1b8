/**
 * Sign-in: throttling per (account, address) with growing delays instead of an account lock, and
 * passwords that must be changed (generated or reset ones).
 */
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('users')
    .addColumn('must_change_password', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema.alterTable('users').addColumn('password_changed_at', 'bigint').execute();

  // One row per (account, address): failures since the last success there, and when the next try may come.
  // `email` rather than a user id: unknown accounts are throttled alike, so the throttle does not reveal them.
  await db.schema
    .createTable('sign_in_pairs')
    .addColumn('email', 'text', (c) => c.notNull())
    .addColumn('address', 'text', (c) => c.notNull())
    .addColumn('failures', 'integer', (c) => c.notNull())
    .addColumn('last_failure_at', 'bigint')
    .addColumn('next_at', 'bigint')
    .addColumn('last_success_at', 'bigint')
    .addColumn('last_refused_at', 'bigint')
    .addColumn('bypass_until', 'bigint')
    .addPrimaryKeyConstraint('sign_in_pairs_pk', ['email', 'address'])
    .execute();
  await db.schema.createIndex('sign_in_pairs_address').on('sign_in_pairs').column('address').execute();

  // login_throttle keeps the address-wide (ip:) and account-wide (acct:) budgets. The old account rows
  // counted toward a hard lock that no longer exists: start them afresh.
  await sql`delete from login_throttle where key like 'acct:%'`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('sign_in_pairs').ifExists().execute();
  await db.schema.alterTable('users').dropColumn('password_changed_at').execute();
  await db.schema.alterTable('users').dropColumn('must_change_password').execute();
}
