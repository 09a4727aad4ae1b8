/** SQL for login sessions and API tokens. */
import type { ApiTokensTable, Db, SessionsTable } from '../../platform/db/types.js';

export const findSession = (db: Db, id: string) =>
  db.selectFrom('sessions').selectAll().where('id', '=', id).executeTakeFirst();

export async function insertSession(db: Db, row: SessionsTable): Promise<void> {
  await db.insertInto('sessions').values(row).execute();
}

export async function updateSession(db: Db, id: string, patch: Partial<SessionsTable>): Promise<void> {
  await db.updateTable('sessions').set(patch).where('id', '=', id).execute();
}

/** Ends a session; whether it was still there (two requests racing to end it: one does). */
export async function deleteSession(db: Db, id: string): Promise<boolean> {
  const r = await db.deleteFrom('sessions').where('id', '=', id).executeTakeFirst();
  return Number(r.numDeletedRows) > 0;
}

export async function deleteExpiredSessions(db: Db, now: number): Promise<void> {
  await db.deleteFrom('sessions').where('expires_at', '<', now).execute();
}

export const findTokenByHash = (db: Db, hash: string) =>
  db.selectFrom('api_tokens').selectAll().where('token_hash', '=', hash).executeTakeFirst();

export const findToken = (db: Db, id: string) =>
  db.selectFrom('api_tokens').selectAll().where('id', '=', id).executeTakeFirst();

export async function insertToken(db: Db, row: ApiTokensTable): Promise<void> {
  await db.insertInto('api_tokens').values(row).execute();
}

export async function updateToken(db: Db, id: string, patch: Partial<ApiTokensTable>): Promise<void> {
  await db.updateTable('api_tokens').set(patch).where('id', '=', id).execute();
}

/** Tokens of one user, or of everyone when `userId` is undefined; newest first. */
export const listTokens = (db: Db, userId: string | undefined, beforeId: string | undefined, limit: number) => {
  let q = db.selectFrom('api_tokens').selectAll();
  if (userId) q = q.where('user_id', '=', userId);
  if (beforeId) q = q.where('id', '<', beforeId);
  return q.orderBy('id', 'desc').limit(limit).execute();
};

/** Ends a user's sessions, all of them or all but `keepId`; returns how many ended. */
export async function deleteSessionsOfUser(db: Db, userId: string, keepId?: string): Promise<number> {
  let q = db.deleteFrom('sessions').where('user_id', '=', userId);
  if (keepId) q = q.where('id', '!=', keepId);
  const r = await q.executeTakeFirst();
  return Number(r.numDeletedRows);
}

/** How many unexpired sessions each user has (users without any are absent). */
export async function activeSessionCounts(db: Db, now: number): Promise<Map<string, number>> {
  const rows = await db
    .selectFrom('sessions')
    .select((eb) => ['user_id', eb.fn.countAll<number | string | bigint>().as('n')])
    .where('expires_at', '>', now)
    .groupBy('user_id')
    .execute();
  return new Map(rows.map((r) => [r.user_id, Number(r.n)]));
}
