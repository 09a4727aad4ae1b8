/** SQL of assessment runs and their per-customer results (migration 0031_compensation). */
import { sql } from 'kysely';
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

/** A run's compensation amounts counted and summed per bucket of `width` fen (bucket = amount / width). */
export async function resultBuckets(db: Db, runId: string, width: number) {
  // The width inlined (an integer of ours): select and group by must be the same expression on PostgreSQL.
  const bucket = sql<number>`compensation_minor / ${sql.lit(Math.trunc(width))}`;
  const rows = await db
    .selectFrom('compensation_results')
    .select([bucket.as('bucket'), sql<number>`count(*)`.as('n'), sql<number>`sum(compensation_minor)`.as('amount')])
    .where('run_id', '=', runId)
    .groupBy(bucket)
    .execute();
  return rows.map((r) => ({ bucket: Number(r.bucket), count: Number(r.n), amountMinor: Number(r.amount) }));
}

/** A run's largest compensation amounts, largest first. */
export const largestResults = (db: Db, runId: string, limit: number) =>
  db
    .selectFrom('compensation_results')
    .selectAll()
    .where('run_id', '=', runId)
    .orderBy('compensation_minor', 'desc')
    .orderBy('customer_no')
    .limit(limit)
    .execute();
