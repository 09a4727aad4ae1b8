/** SQL of assessment runs and their per-customer results (migration 0031_compensation). */
import type { CompensationResultsTable, CompensationRunsTable, Db } from '../../platform/db/types.js';

export type RunRow = CompensationRunsTable;
export type ResultRow = CompensationResultsTable;

export async function insertRun(db: Db, row: RunRow): Promise<void> {
  await db.insertInto('compensation_runs').values(row).execute();
}

export async function insertResults(db: Db, rows: ResultRow[]): Promise<void> {
  for (let i = 0; i < rows.length; i += 500)
    await db
      .insertInto('compensation_results')
      .values(rows.slice(i, i + 500))
      .execute();
}

export const runById = (db: Db, id: string) =>
  db.selectFrom('compensation_runs').selectAll().where('id', '=', id).executeTakeFirst();

export const runsOfIncident = (db: Db, incidentId: string) =>
  db
    .selectFrom('compensation_runs')
    .selectAll()
    .where('incident_id', '=', incidentId)
    .orderBy('id', 'desc')
    .limit(200)
    .execute();

export async function updateRun(db: Db, id: string, set: Partial<RunRow>): Promise<void> {
  await db.updateTable('compensation_runs').set(set).where('id', '=', id).execute();
}

/** A run's results after customer number `after`, in customer-number order. */
export const resultsPage = (db: Db, runId: string, after: string | null, limit: number) => {
  let q = db.selectFrom('compensation_results').selectAll().where('run_id', '=', runId);
  if (after !== null) q = q.where('customer_no', '>', after);
  return q.orderBy('customer_no').limit(limit).execute();
};
