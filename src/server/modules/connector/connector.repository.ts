/** SQL for connectors and action runs. */
import type { ActionRunsTable, ConnectorsTable, Db } from '../../platform/db/types.js';

export type ConnectorRow = ConnectorsTable;
export type ActionRunRow = ActionRunsTable;

export const findConnector = (db: Db, name: string): Promise<ConnectorRow | undefined> =>
  db.selectFrom('connectors').selectAll().where('name', '=', name).executeTakeFirst();

export const listConnectors = (db: Db): Promise<ConnectorRow[]> =>
  db.selectFrom('connectors').selectAll().orderBy('name').limit(1000).execute();

export async function insertConnector(db: Db, row: ConnectorRow): Promise<void> {
  await db.insertInto('connectors').values(row).execute();
}

export async function updateConnector(db: Db, id: string, patch: Partial<ConnectorRow>): Promise<void> {
  await db.updateTable('connectors').set(patch).where('id', '=', id).execute();
}

export async function deleteConnector(db: Db, id: string): Promise<void> {
  await db.deleteFrom('connectors').where('id', '=', id).execute();
}

export const findRun = (db: Db, id: string): Promise<ActionRunRow | undefined> =>
  db.selectFrom('action_runs').selectAll().where('id', '=', id).executeTakeFirst();

export const findRunByKey = (db: Db, key: string): Promise<ActionRunRow | undefined> =>
  db.selectFrom('action_runs').selectAll().where('idempotency_key', '=', key).executeTakeFirst();

export const runsOfIncident = (db: Db, incidentId: string): Promise<ActionRunRow[]> =>
  db
    .selectFrom('action_runs')
    .selectAll()
    .where('incident_id', '=', incidentId)
    .orderBy('created_at')
    .orderBy('id')
    .limit(500)
    .execute();

/** Inserts the run unless its idempotency key is taken; whether it was inserted. */
export async function insertRun(db: Db, row: ActionRunRow): Promise<boolean> {
  const r = await db
    .insertInto('action_runs')
    .values(row)
    .onConflict((oc) => oc.column('idempotency_key').doNothing())
    .executeTakeFirst();
  return Number(r.numInsertedOrUpdatedRows ?? 0) > 0;
}

/** Moves a run on, only from one of `from` (so a stale handler changes nothing); whether it moved. */
export async function updateRun(
  db: Db,
  id: string,
  from: readonly ActionRunRow['state'][],
  patch: Partial<ActionRunRow>,
): Promise<boolean> {
  const r = await db
    .updateTable('action_runs')
    .set(patch)
    .where('id', '=', id)
    .where('state', 'in', [...from])
    .executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}
