/** SQL of drills and their injects. */
import type { Db, DrillInjectsTable, DrillsTable } from '../../platform/db/types.js';

export type DrillRow = DrillsTable;
export type InjectRow = DrillInjectsTable;

export const drillById = (db: Db, id: string) =>
  db.selectFrom('drills').selectAll().where('id', '=', id).executeTakeFirst();

export async function insertDrill(db: Db, row: DrillRow, injects: InjectRow[]): Promise<void> {
  await db.insertInto('drills').values(row).execute();
  if (injects.length) await db.insertInto('drill_injects').values(injects).execute();
}

export async function updateDrill(db: Db, id: string, set: Partial<Omit<DrillRow, 'id'>>): Promise<void> {
  await db.updateTable('drills').set(set).where('id', '=', id).execute();
}

/** Drills scheduled in [from, to), by time (all when no bounds), at most `limit`. */
export function listDrills(db: Db, q: { from?: number; to?: number; status?: string; limit: number }) {
  let sel = db.selectFrom('drills').selectAll();
  if (q.from !== undefined) sel = sel.where('scheduled_at', '>=', q.from);
  if (q.to !== undefined) sel = sel.where('scheduled_at', '<', q.to);
  if (q.status) sel = sel.where('status', '=', q.status);
  return sel.orderBy('scheduled_at').orderBy('id').limit(q.limit).execute();
}

/** The last completed drill of each plan. */
export function lastCompletedByPlan(db: Db) {
  return db
    .selectFrom('drills')
    .select(['id', 'title', 'plan_id', 'ended_at'])
    .where('status', '=', 'completed')
    .where('plan_id', 'is not', null)
    .orderBy('ended_at', 'desc')
    .execute();
}

export const injectsOf = (db: Db, drillId: string) =>
  db
    .selectFrom('drill_injects')
    .selectAll()
    .where('drill_id', '=', drillId)
    .orderBy('offset_minutes')
    .orderBy('id')
    .execute();

export async function insertInjects(db: Db, rows: InjectRow[]): Promise<void> {
  if (rows.length) await db.insertInto('drill_injects').values(rows).execute();
}

/** Marks an inject released unless it was already; whether this call released it. */
export async function markReleased(
  db: Db,
  id: string,
  set: { released_at: number; released_by: string | null },
): Promise<boolean> {
  const r = await db
    .updateTable('drill_injects')
    .set(set)
    .where('id', '=', id)
    .where('released_at', 'is', null)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}

export async function setInjectEntry(db: Db, id: string, entryId: string): Promise<void> {
  await db.updateTable('drill_injects').set({ entry_id: entryId }).where('id', '=', id).execute();
}
