/**
 * Leases (platform/leases): named, time-bound claims that one process at a time holds — a scheduler
 * that must run once across processes (`scheduler:<name>`), or the one server process of a store
 * without NATS (`process:singleton`). A lease is held while `until_ms` is in the future; its holder
 * renews it, and once it ends anyone may take it.
 */
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('leases')
    .addColumn('name', 'text', (c) => c.primaryKey())
    /** `host:pid:random` of the process that holds it. */
    .addColumn('holder', 'text', (c) => c.notNull())
    /** Epoch ms: the lease ends then unless renewed. */
    .addColumn('until_ms', 'bigint', (c) => c.notNull())
    /** Epoch ms: when this holder took it (kept across renewals). */
    .addColumn('acquired_at_ms', 'bigint', (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('leases').ifExists().execute();
}
