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

/**
 * A claim's notices, oldest first, each with `due_at`: when its delivery job is due next (after quiet
 * hours, after a retry's backoff), null when the job is gone (done and pruned). `job` is the job kind.
 */
export const noticesOfClaim = (db: Db, claimId: string, job: string) =>
  db
    .selectFrom('compensation_notices as n')
    .leftJoin('jobs as j', (on) => on.on('j.kind', '=', job).onRef('j.key', '=', 'n.id'))
    .selectAll('n')
    .select('j.run_at as due_at')
    .where('n.claim_id', '=', claimId)
    .orderBy('n.created_at')
    .orderBy('n.id')
    .limit(1000)
    .execute();
