/** SQL of what owners record per assignment (migration 0026_owners): contacts, callbacks, notes, concerns, requests. */
import type { Db, OwnerActivitiesTable } from '../../platform/db/types.js';

export type ActivityRow = OwnerActivitiesTable;

export async function insertActivity(db: Db, row: ActivityRow): Promise<void> {
  await db.insertInto('owner_activities').values(row).execute();
}

export async function updateActivityStatus(db: Db, id: string, status: string, now: number): Promise<void> {
  await db.updateTable('owner_activities').set({ status, updated_at: now }).where('id', '=', id).execute();
}

export const activityById = (db: Db, id: string) =>
  db.selectFrom('owner_activities').selectAll().where('id', '=', id).executeTakeFirst();

/** An assignment's activities, newest first (at most 500). */
export const activitiesOf = (db: Db, assignmentId: string) =>
  db
    .selectFrom('owner_activities')
    .selectAll()
    .where('assignment_id', '=', assignmentId)
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(500)
    .execute();

/** The soonest open callback of each of these assignments. */
export async function nextCallbacks(db: Db, assignmentIds: string[]): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  for (let i = 0; i < assignmentIds.length; i += 1000) {
    const part = assignmentIds.slice(i, i + 1000);
    if (part.length === 0) continue;
    const rows = await db
      .selectFrom('owner_activities')
      .select((eb) => ['assignment_id', eb.fn.min<number>('due_at').as('due')])
      .where('assignment_id', 'in', part)
      .where('kind', '=', 'callback')
      .where('status', '=', 'open')
      .groupBy('assignment_id')
      .execute();
    for (const r of rows) if (r.due !== null) out.set(r.assignment_id, Number(r.due));
  }
  return out;
}
