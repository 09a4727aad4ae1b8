/** SQL of the notices to customers on claim events (migration 0039_compensation_portal). */
import type { CompensationNoticesTable, Db } from '../../platform/db/types.js';

export type NoticeRow = CompensationNoticesTable;

export async function insertNotices(db: Db, rows: NoticeRow[]): Promise<void> {
  for (let i = 0; i < rows.length; i += 500)
    await db
      .insertInto('compensation_notices')
      .values(rows.slice(i, i + 500))
      .execute();
}

export const noticeById = (db: Db, id: string) =>
  db.selectFrom('compensation_notices').selectAll().where('id', '=', id).executeTakeFirst();

export async function updateNotice(db: Db, id: string, set: Partial<NoticeRow>): Promise<void> {
  await db.updateTable('compensation_notices').set(set).where('id', '=', id).execute();
}

/** A claim's notices, oldest first. */
export const noticesOfClaim = (db: Db, claimId: string) =>
  db
    .selectFrom('compensation_notices')
    .selectAll()
    .where('claim_id', '=', claimId)
    .orderBy('created_at')
    .orderBy('id')
    .limit(1000)
    .execute();
