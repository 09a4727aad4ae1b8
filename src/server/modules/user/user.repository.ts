/** SQL for user accounts. */
import type { Db, UsersTable } from '../../platform/db/types.js';

export type UserRow = UsersTable;

export const findById = (db: Db, id: string) =>
  db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();

export const findByEmail = (db: Db, email: string) =>
  db.selectFrom('users').selectAll().where('email', '=', email.toLowerCase()).executeTakeFirst();

export const findByIds = (db: Db, ids: string[]) =>
  ids.length === 0 ? Promise.resolve([]) : db.selectFrom('users').selectAll().where('id', 'in', ids).execute();

export async function insertUser(db: Db, row: UserRow): Promise<void> {
  await db.insertInto('users').values(row).execute();
}

export async function updateUser(db: Db, id: string, patch: Partial<UserRow>): Promise<void> {
  await db.updateTable('users').set(patch).where('id', '=', id).execute();
}

/** Records TOTP step `step` as spent unless it (or a later one) is already: true when this call took it. */
export async function acceptTotpStep(db: Db, id: string, step: number): Promise<boolean> {
  const r = await db
    .updateTable('users')
    .set({ mfa_last_step: step })
    .where('id', '=', id)
    .where((eb) => eb.or([eb('mfa_last_step', 'is', null), eb('mfa_last_step', '<', step)]))
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export async function countUsers(db: Db): Promise<number> {
  const r = await db
    .selectFrom('users')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

/** Ordered by email; `after` is the last email of the previous page. */
export const listUsers = (db: Db, after: string | undefined, limit: number) => {
  let q = db.selectFrom('users').selectAll();
  if (after) q = q.where('email', '>', after);
  return q.orderBy('email').limit(limit).execute();
};

export async function deleteSessionsOf(db: Db, userId: string): Promise<void> {
  await db.deleteFrom('sessions').where('user_id', '=', userId).execute();
}

/** Active (not disabled) users of `role`, by id (the customer owners' default queue). */
export const findActiveWithRole = (db: Db, role: string) =>
  db
    .selectFrom('users')
    .selectAll()
    .where('role', '=', role)
    .where('disabled', '=', 0)
    .orderBy('id')
    .limit(1000)
    .execute();
