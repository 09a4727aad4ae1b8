/** SQL for stored plans and their versions. */
import type { Db, PlansTable, PlanVersionsTable } from '../../platform/db/types.js';

export const findPlan = (db: Db, id: string) =>
  db.selectFrom('plans').selectAll().where('id', '=', id).executeTakeFirst();

export const listPlanRows = (db: Db) => db.selectFrom('plans').selectAll().orderBy('id').execute();

export async function insertPlan(db: Db, row: PlansTable): Promise<void> {
  await db.insertInto('plans').values(row).execute();
}

export async function touchPlan(db: Db, id: string, names: { name_zh: string; name_en: string }, at: number) {
  await db
    .updateTable('plans')
    .set({ ...names, updated_at: at })
    .where('id', '=', id)
    .execute();
}

/** Every version of a plan, newest first. */
export const listVersions = (db: Db, planId: string) =>
  db.selectFrom('plan_versions').selectAll().where('plan_id', '=', planId).orderBy('version', 'desc').execute();

/** The version numbers and states of every plan (the list), newest first per plan. */
export const listVersionStates = (db: Db) =>
  db
    .selectFrom('plan_versions')
    .select(['plan_id', 'version', 'status'])
    .orderBy('plan_id')
    .orderBy('version', 'desc')
    .execute();

export const findVersion = (db: Db, planId: string, version: number) =>
  db
    .selectFrom('plan_versions')
    .selectAll()
    .where('plan_id', '=', planId)
    .where('version', '=', version)
    .executeTakeFirst();

export const latestVersion = (db: Db, planId: string) =>
  db
    .selectFrom('plan_versions')
    .selectAll()
    .where('plan_id', '=', planId)
    .orderBy('version', 'desc')
    .limit(1)
    .executeTakeFirst();

export const activeVersion = (db: Db, planId: string) =>
  db
    .selectFrom('plan_versions')
    .selectAll()
    .where('plan_id', '=', planId)
    .where('status', '=', 'active')
    .executeTakeFirst();

/** The active version of every plan, by plan id. */
export const activeVersions = (db: Db) =>
  db
    .selectFrom('plan_versions')
    .select(['plan_id', 'version', 'document', 'approved_at'])
    .where('status', '=', 'active')
    .orderBy('plan_id')
    .execute();

export async function insertVersion(db: Db, row: PlanVersionsTable): Promise<void> {
  await db.insertInto('plan_versions').values(row).execute();
}

export async function updateVersion(
  db: Db,
  planId: string,
  version: number,
  set: Partial<Omit<PlanVersionsTable, 'plan_id' | 'version'>>,
): Promise<void> {
  await db.updateTable('plan_versions').set(set).where('plan_id', '=', planId).where('version', '=', version).execute();
}
