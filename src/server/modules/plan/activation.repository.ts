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

/** One entity value an action step named (`kind` `asked` with an empty value: the step was asked once). */
interface CoveredValue {
  kind: string;
  value: string;
}

/** Rows inserted at once (5 parameters each, well under SQLite's limit). */
const COVER_SLICE = 1000;

/**
 * Records that a step of an activation names these values in run `runKey`; the values not recorded
 * before (a value recorded by a concurrent transaction counts as recorded: the primary key decides).
 */
export async function coverValues(
  db: Db,
  at: { activationId: string; stepId: string; runKey: string; now: number },
  values: CoveredValue[],
): Promise<CoveredValue[]> {
  const fresh: CoveredValue[] = [];
  for (let i = 0; i < values.length; i += COVER_SLICE) {
    const rows = await db
      .insertInto('plan_action_coverage')
      .values(
        values.slice(i, i + COVER_SLICE).map((v) => ({
          activation_id: at.activationId,
          step_id: at.stepId,
          kind: v.kind,
          value: v.value,
          run_key: at.runKey,
          asked_at: at.now,
        })),
      )
      .onConflict((oc) => oc.columns(['activation_id', 'step_id', 'kind', 'value']).doNothing())
      .returning(['kind', 'value'])
      .execute();
    fresh.push(...rows);
  }
  return fresh;
}

/** The steps of an activation that were asked at least once. */
export async function stepsAsked(db: Db, activationId: string): Promise<Set<string>> {
  const rows = await db
    .selectFrom('plan_action_coverage')
    .select('step_id')
    .where('activation_id', '=', activationId)
    .where('kind', '=', 'asked')
    .execute();
  return new Set(rows.map((r) => r.step_id));
}
