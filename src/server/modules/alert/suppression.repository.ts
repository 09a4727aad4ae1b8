/** SQL for suppressions and maintenance windows (deleted ones are kept, marked deleted, for the record). */
import { sql } from 'kysely';
import type { Db, MaintenanceWindowsTable, SuppressionsTable } from '../../platform/db/types.js';
import { visibleTo } from '../incident/index.js';
import { sendRead } from '../../platform/db/pipeline.js';

export type SuppressionRow = SuppressionsTable;
export type WindowRow = MaintenanceWindowsTable;

/**
 * Whether suppression `s` was asked for from an alert of a restricted incident that `viewer` is not
 * part of (no viewer: that anyone outside it could read). Its reason was written inside that incident.
 */
const restrictedOrigin = (viewer: string | null) =>
  sql<number>`(case when exists (
    select 1 from alerts fa where fa.id = s.from_alert_id and not (${visibleTo(viewer, 'fa.incident_id')})
  ) then 1 else 0 end)`;

/** Suppressions in force at `now`; `withheld` = 1 when the reason must not travel onto the alerts it holds. */
export const activeSuppressions = (db: Db, now: number) =>
  sendRead(
    db,
    db
      .selectFrom('suppressions as s')
      .selectAll('s')
      .select(restrictedOrigin(null).as('withheld'))
      .where('s.deleted_at', 'is', null)
      .where((eb) => eb.or([eb('s.expires_at', 'is', null), eb('s.expires_at', '>', now)])),
  );

/** Windows that overlap [from, to]. */
export const windowsOverlapping = (db: Db, from: number, to: number) =>
  sendRead(
    db,
    db
      .selectFrom('maintenance_windows')
      .selectAll()
      .where('deleted_at', 'is', null)
      .where('ends_at', '>', from)
      .where('starts_at', '<=', to),
  );

export async function countHits(
  db: Db,
  table: 'suppressions' | 'maintenance_windows',
  id: string,
  n: number,
  at: number,
): Promise<void> {
  await db
    .updateTable(table)
    .set((eb) => ({ hits: eb('hits', '+', n), last_hit_at: at }))
    .where('id', '=', id)
    .execute();
}

export async function insertSuppression(db: Db, row: SuppressionRow): Promise<void> {
  await db.insertInto('suppressions').values(row).execute();
}

/** One suppression; `withheld` = 1 when it came from a restricted incident `viewerId` is not part of (no viewer: 0, sees all). */
export const findSuppression = (db: Db, id: string, viewerId?: string) =>
  db
    .selectFrom('suppressions as s')
    .leftJoin('users as u', 'u.id', 's.created_by')
    .selectAll('s')
    .select('u.name as creator_name')
    .select(viewerId ? restrictedOrigin(viewerId).as('withheld') : sql<number>`0`.as('withheld'))
    .where('s.id', '=', id)
    .executeTakeFirst();

/** Not deleted, newest first (UUIDv7 ids are time-ordered). `viewerId` (not for admins) withholds reasons from restricted incidents. */
export function listSuppressions(db: Db, beforeId: string | undefined, limit: number, viewerId?: string) {
  let q = db
    .selectFrom('suppressions as s')
    .leftJoin('users as u', 'u.id', 's.created_by')
    .selectAll('s')
    .select('u.name as creator_name')
    .select(viewerId ? restrictedOrigin(viewerId).as('withheld') : sql<number>`0`.as('withheld'))
    .where('s.deleted_at', 'is', null);
  if (beforeId) q = q.where('s.id', '<', beforeId);
  return q.orderBy('s.id', 'desc').limit(limit).execute();
}

export async function deleteSuppression(db: Db, id: string, by: string, at: number): Promise<boolean> {
  const r = await db
    .updateTable('suppressions')
    .set({ deleted_by: by, deleted_at: at })
    .where('id', '=', id)
    .where('deleted_at', 'is', null)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}

export async function insertWindow(db: Db, row: WindowRow): Promise<void> {
  await db.insertInto('maintenance_windows').values(row).execute();
}

export const findWindow = (db: Db, id: string) =>
  db
    .selectFrom('maintenance_windows as w')
    .leftJoin('users as u', 'u.id', 'w.created_by')
    .selectAll('w')
    .select('u.name as creator_name')
    .where('w.id', '=', id)
    .executeTakeFirst();

/** Not deleted, newest first. */
export function listWindows(db: Db, beforeId: string | undefined, limit: number) {
  let q = db
    .selectFrom('maintenance_windows as w')
    .leftJoin('users as u', 'u.id', 'w.created_by')
    .selectAll('w')
    .select('u.name as creator_name')
    .where('w.deleted_at', 'is', null);
  if (beforeId) q = q.where('w.id', '<', beforeId);
  return q.orderBy('w.id', 'desc').limit(limit).execute();
}

export async function deleteWindow(db: Db, id: string, by: string, at: number): Promise<boolean> {
  const r = await db
    .updateTable('maintenance_windows')
    .set({ deleted_by: by, deleted_at: at })
    .where('id', '=', id)
    .where('deleted_at', 'is', null)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}
