/** SQL of owner pools (migration 0026_owners): branch pools and tier queues. */
import type { Db, OwnerPoolsTable } from '../../platform/db/types.js';

export type PoolRow = OwnerPoolsTable;

export const listPools = (db: Db) =>
  db.selectFrom('owner_pools').selectAll().orderBy('kind').orderBy('name').limit(1000).execute();

export const poolByName = (db: Db, kind: string, name: string) =>
  db.selectFrom('owner_pools').selectAll().where('kind', '=', kind).where('name', '=', name).executeTakeFirst();

export const poolById = (db: Db, id: string) =>
  db.selectFrom('owner_pools').selectAll().where('id', '=', id).executeTakeFirst();

export async function upsertPool(db: Db, row: PoolRow): Promise<void> {
  await db
    .insertInto('owner_pools')
    .values(row)
    .onConflict((oc) =>
      oc.columns(['kind', 'name']).doUpdateSet({
        user_ids: row.user_ids,
        updated_by: row.updated_by,
        updated_at: row.updated_at,
      }),
    )
    .execute();
}

export async function deletePool(db: Db, id: string): Promise<void> {
  await db.deleteFrom('owner_pools').where('id', '=', id).execute();
}
