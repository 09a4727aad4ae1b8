/** Plan activations in the store. */
import type { Db, PlanActivationsTable } from '../../platform/db/types.js';

export type ActivationRow = PlanActivationsTable;

/** Inserts the activation unless the plan already runs for the incident; whether it was inserted. */
export async function insertActivation(db: Db, row: ActivationRow): Promise<boolean> {
  const r = await db
    .insertInto('plan_activations')
    .values(row)
    .onConflict((oc) => oc.columns(['incident_id', 'plan_id']).doNothing())
    .executeTakeFirst();
  return Number(r.numInsertedOrUpdatedRows ?? 0) > 0;
}

export const activationsOf = (db: Db, incidentId: string) =>
  db
    .selectFrom('plan_activations')
    .selectAll()
    .where('incident_id', '=', incidentId)
    .orderBy('activated_at', 'asc')
    .orderBy('id', 'asc')
    .execute();

export async function setActivationDetails(db: Db, id: string, details: string): Promise<void> {
  await db.updateTable('plan_activations').set({ details }).where('id', '=', id).execute();
}

export const activationById = (db: Db, id: string) =>
  db.selectFrom('plan_activations').selectAll().where('id', '=', id).executeTakeFirst();
