/** SQL of on-call: the `oncall_schedules` and `escalation_policies` tables (migration 0011_oncall). */
import type { Db, EscalationPoliciesTable, OncallSchedulesTable } from '../../platform/db/types.js';

export async function insertSchedule(db: Db, row: OncallSchedulesTable): Promise<void> {
  await db.insertInto('oncall_schedules').values(row).execute();
}

export async function updateScheduleOverrides(db: Db, id: string, overrides: string, at: number): Promise<void> {
  await db.updateTable('oncall_schedules').set({ overrides, updated_at: at }).where('id', '=', id).execute();
}

export const findSchedule = (db: Db, id: string) =>
  db.selectFrom('oncall_schedules').selectAll().where('id', '=', id).executeTakeFirst();

/** Those of `ids` that exist. */
export async function existingScheduleIds(db: Db, ids: readonly string[]): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const rows = await db.selectFrom('oncall_schedules').select('id').where('id', 'in', ids).execute();
  return new Set(rows.map((r) => r.id));
}

export const listSchedules = (db: Db) =>
  db.selectFrom('oncall_schedules').selectAll().orderBy('name').orderBy('id').execute();

export async function insertPolicy(db: Db, row: EscalationPoliciesTable): Promise<void> {
  await db.insertInto('escalation_policies').values(row).execute();
}

export const findPolicy = (db: Db, id: string) =>
  db.selectFrom('escalation_policies').selectAll().where('id', '=', id).executeTakeFirst();

export async function updateSchedule(
  db: Db,
  id: string,
  set: Pick<OncallSchedulesTable, 'name' | 'time_zone' | 'layers' | 'overrides' | 'updated_at'>,
): Promise<void> {
  await db.updateTable('oncall_schedules').set(set).where('id', '=', id).execute();
}

export async function deleteSchedule(db: Db, id: string): Promise<void> {
  await db.deleteFrom('oncall_schedules').where('id', '=', id).execute();
}

export async function setFeedToken(db: Db, id: string, token: string, at: number): Promise<void> {
  await db.updateTable('oncall_schedules').set({ feed_token: token, updated_at: at }).where('id', '=', id).execute();
}

export const scheduleByFeedToken = (db: Db, token: string) =>
  db.selectFrom('oncall_schedules').selectAll().where('feed_token', '=', token).executeTakeFirst();

export const listPolicies = (db: Db) =>
  db.selectFrom('escalation_policies').selectAll().orderBy('name').orderBy('id').execute();

export async function updatePolicy(
  db: Db,
  id: string,
  set: Pick<EscalationPoliciesTable, 'name' | 'levels' | 'repeat' | 'updated_at'>,
): Promise<void> {
  await db.updateTable('escalation_policies').set(set).where('id', '=', id).execute();
}

export async function deletePolicy(db: Db, id: string): Promise<void> {
  await db.deleteFrom('escalation_policies').where('id', '=', id).execute();
}

/** The first schedule named `name` (plans name schedules; oldest first when a name is repeated). */
export const scheduleByName = (db: Db, name: string) =>
  db
    .selectFrom('oncall_schedules')
    .selectAll()
    .where('name', '=', name)
    .orderBy('created_at')
    .orderBy('id')
    .limit(1)
    .executeTakeFirst();

/** The first escalation policy named `name`. */
export const policyByName = (db: Db, name: string) =>
  db
    .selectFrom('escalation_policies')
    .select('id')
    .where('name', '=', name)
    .orderBy('created_at')
    .orderBy('id')
    .limit(1)
    .executeTakeFirst();
