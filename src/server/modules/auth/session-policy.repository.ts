/** SQL for the session policy's one row (migration 0056). */
import type { Db, SessionPolicyTable } from '../../platform/db/types.js';

export const findSessionPolicy = (db: Db) =>
  db.selectFrom('session_policy').selectAll().where('id', '=', 1).executeTakeFirst();

export async function saveSessionPolicy(db: Db, row: Omit<SessionPolicyTable, 'id'>): Promise<void> {
  await db
    .insertInto('session_policy')
    .values({ id: 1, ...row })
    .onConflict((oc) => oc.column('id').doUpdateSet(row))
    .execute();
}
