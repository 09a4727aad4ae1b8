/** SQL for statements, their versions and reviews. */
import type { Db, StatementReviewsTable, StatementsTable, StatementVersionsTable } from '../../platform/db/types.js';
import { visibleTo } from '../incident/index.js';

export async function insertStatement(db: Db, row: StatementsTable): Promise<void> {
  await db.insertInto('statements').values(row).execute();
}

export const findStatement = (db: Db, id: string) =>
  db.selectFrom('statements').selectAll().where('id', '=', id).executeTakeFirst();

export const findByOrigin = (db: Db, originKey: string) =>
  db.selectFrom('statements').selectAll().where('origin_key', '=', originKey).executeTakeFirst();

export async function updateStatement(
  db: Db,
  id: string,
  set: Partial<Omit<StatementsTable, 'id' | 'incident_id'>>,
): Promise<void> {
  await db.updateTable('statements').set(set).where('id', '=', id).execute();
}

/**
 * Statements newest first (ids are UUIDv7: time-ordered), after `afterId` when given. `viewer` null:
 * an administrator (sees every incident); else need-to-know applies.
 */
export function listStatements(
  db: Db,
  q: { incidentId?: string; state?: string; kind?: string; afterId?: string; limit: number; viewer: string | null },
) {
  let query = db.selectFrom('statements as s').selectAll('s');
  if (q.incidentId) query = query.where('s.incident_id', '=', q.incidentId);
  if (q.state) query = query.where('s.state', '=', q.state);
  if (q.kind) query = query.where('s.kind', '=', q.kind);
  if (q.afterId) query = query.where('s.id', '<', q.afterId);
  if (q.viewer !== null) query = query.where(visibleTo(q.viewer, 's.incident_id'));
  return query.orderBy('s.id', 'desc').limit(q.limit).execute();
}

export async function insertVersion(db: Db, row: StatementVersionsTable): Promise<void> {
  await db.insertInto('statement_versions').values(row).execute();
}

export const findVersion = (db: Db, statementId: string, n: number) =>
  db
    .selectFrom('statement_versions')
    .selectAll()
    .where('statement_id', '=', statementId)
    .where('n', '=', n)
    .executeTakeFirst();

/** The versions of several statements at their numbers (the current ones of a list). */
export async function versionsAt(db: Db, pairs: { id: string; n: number }[]): Promise<StatementVersionsTable[]> {
  if (pairs.length === 0) return [];
  const rows = await db
    .selectFrom('statement_versions')
    .selectAll()
    .where(
      'statement_id',
      'in',
      pairs.map((p) => p.id),
    )
    .execute();
  return rows.filter((r) => pairs.some((p) => p.id === r.statement_id && p.n === Number(r.n)));
}

export const listVersions = (db: Db, statementId: string) =>
  db
    .selectFrom('statement_versions')
    .selectAll()
    .where('statement_id', '=', statementId)
    .orderBy('n', 'desc')
    .execute();

export async function insertReview(db: Db, row: StatementReviewsTable): Promise<void> {
  await db.insertInto('statement_reviews').values(row).execute();
}

/** Reviews of the statements, oldest first. */
export async function reviewsOf(db: Db, statementIds: string[]): Promise<StatementReviewsTable[]> {
  if (statementIds.length === 0) return [];
  return db
    .selectFrom('statement_reviews')
    .selectAll()
    .where('statement_id', 'in', statementIds)
    .orderBy('at')
    .orderBy('id')
    .execute();
}
