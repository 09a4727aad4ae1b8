/** SQL for the service catalog. */
import type { Db, ServicesTable } from '../../platform/db/types.js';

export const findServiceByKey = (db: Db, key: string) =>
  db.selectFrom('services').selectAll().where('key', '=', key).executeTakeFirst();

export async function insertService(db: Db, row: ServicesTable): Promise<void> {
  await db.insertInto('services').values(row).execute();
}

/** Ordered by key; `after` is the last key of the previous page. */
export const listServices = (db: Db, after: string | undefined, limit: number) => {
  let q = db.selectFrom('services').selectAll();
  if (after) q = q.where('key', '>', after);
  return q.orderBy('key').limit(limit).execute();
};
