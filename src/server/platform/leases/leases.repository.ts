/** SQL of leases (migration 0016): each change is one atomic statement, the same on SQLite and PostgreSQL. */
import { sql } from 'kysely';
import type { Db, LeasesTable } from '../db/types.js';

export type LeaseRow = LeasesTable;

/**
 * Takes `name` for `holder` until `now + ttlMs` when it is free, ended (`until_ms <= now`) or already
 * `holder`'s (then it is renewed and keeps its `acquired_at_ms`): one upsert whose update applies only
 * under that condition. The row as it is now when taken, undefined when another holds it.
 */
export async function acquireLease(
  db: Db,
  p: { name: string; holder: string; now: number; ttlMs: number },
): Promise<LeaseRow | undefined> {
  return db
    .insertInto('leases')
    .values({ name: p.name, holder: p.holder, until_ms: p.now + p.ttlMs, acquired_at_ms: p.now })
    .onConflict((oc) =>
      oc
        .column('name')
        .doUpdateSet({
          holder: (eb) => eb.ref('excluded.holder'),
          until_ms: (eb) => eb.ref('excluded.until_ms'),
          acquired_at_ms: sql<number>`case when leases.holder = excluded.holder then leases.acquired_at_ms else excluded.acquired_at_ms end`,
        })
        .where((eb) => eb.or([eb('leases.holder', '=', p.holder), eb('leases.until_ms', '<=', p.now)])),
    )
    .returningAll()
    .executeTakeFirst();
}

/** Extends `holder`'s lease on `name` to `now + ttlMs`; false when `holder` does not hold it (any more). */
export async function renewLease(
  db: Db,
  p: { name: string; holder: string; now: number; ttlMs: number },
): Promise<boolean> {
  const r = await db
    .updateTable('leases')
    .set({ until_ms: p.now + p.ttlMs })
    .where('name', '=', p.name)
    .where('holder', '=', p.holder)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}

/** Gives `name` up if `holder` holds it; false when it did not. */
export async function releaseLease(db: Db, p: { name: string; holder: string }): Promise<boolean> {
  const r = await db.deleteFrom('leases').where('name', '=', p.name).where('holder', '=', p.holder).executeTakeFirst();
  return Number(r.numDeletedRows) > 0;
}

/** Takes `name` from `from` (a holder known to be gone), whatever its time left; false when `from` no longer holds it. */
export async function takeLeaseFrom(
  db: Db,
  p: { name: string; from: string; holder: string; now: number; ttlMs: number },
): Promise<boolean> {
  const r = await db
    .updateTable('leases')
    .set({ holder: p.holder, until_ms: p.now + p.ttlMs, acquired_at_ms: p.now })
    .where('name', '=', p.name)
    .where('holder', '=', p.from)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}

export async function leaseByName(db: Db, name: string): Promise<LeaseRow | undefined> {
  return db.selectFrom('leases').selectAll().where('name', '=', name).executeTakeFirst();
}
