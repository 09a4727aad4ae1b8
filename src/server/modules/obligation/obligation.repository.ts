/**
 * SQL of the live obligation clocks (migration 0029_obligation_clocks): the firm's profile (one row),
 * the regulatory facts recorded on incidents, the clocks of each incident and the warnings they fired.
 */
import type {
  Db,
  FirmProfileTable,
  IncidentRegulatoryFactsTable,
  ObligationClocksTable,
  ObligationWarningsTable,
} from '../../platform/db/types.js';
import { sendRead } from '../../platform/db/pipeline.js';

export type ClockRow = ObligationClocksTable;
export type WarningRow = ObligationWarningsTable;
type FactsRow = IncidentRegulatoryFactsTable;

const FIRM = 'firm';

/** The firm's profile row; sent at once (pipelined) in a transaction of Store.transaction on PostgreSQL. */
export const firmProfileRow = async (db: Db): Promise<FirmProfileTable | undefined> =>
  (await sendRead(db, db.selectFrom('firm_profile').selectAll().where('id', '=', FIRM)))[0];

export async function putFirmProfile(db: Db, row: Omit<FirmProfileTable, 'id'>): Promise<void> {
  await db
    .insertInto('firm_profile')
    .values({ id: FIRM, ...row })
    .onConflict((oc) => oc.column('id').doUpdateSet(row))
    .execute();
}

export const factsRow = (db: Db, incidentId: string): Promise<FactsRow | undefined> =>
  db.selectFrom('incident_regulatory_facts').selectAll().where('incident_id', '=', incidentId).executeTakeFirst();

export async function putFacts(db: Db, row: FactsRow): Promise<void> {
  const { incident_id: _, ...set } = row;
  await db
    .insertInto('incident_regulatory_facts')
    .values(row)
    .onConflict((oc) => oc.column('incident_id').doUpdateSet(set))
    .execute();
}

export const clocksOf = (db: Db, incidentId: string): Promise<ClockRow[]> =>
  db
    .selectFrom('obligation_clocks')
    .selectAll()
    .where('incident_id', '=', incidentId)
    .orderBy('created_at')
    .orderBy('obligation')
    .orderBy('stage')
    .execute();

export const clockOf = (db: Db, incidentId: string, obligation: string, stage: string) =>
  db
    .selectFrom('obligation_clocks')
    .selectAll()
    .where('incident_id', '=', incidentId)
    .where('obligation', '=', obligation)
    .where('stage', '=', stage)
    .executeTakeFirst();

export async function insertClock(db: Db, row: ClockRow): Promise<void> {
  await db.insertInto('obligation_clocks').values(row).execute();
}

export async function updateClock(db: Db, id: string, set: Partial<ClockRow>): Promise<void> {
  await db.updateTable('obligation_clocks').set(set).where('id', '=', id).execute();
}

/** Running clocks with a deadline (every one may have a warning point reached). */
export const runningClocksWithDue = (db: Db, limit: number): Promise<ClockRow[]> =>
  db
    .selectFrom('obligation_clocks')
    .selectAll()
    .where('status', '=', 'running')
    .where('due_at', 'is not', null)
    .orderBy('due_at')
    .limit(limit)
    .execute();

export const warningsOf = (db: Db, clockIds: string[]): Promise<WarningRow[]> =>
  clockIds.length
    ? db.selectFrom('obligation_warnings').selectAll().where('clock_id', 'in', clockIds).orderBy('fired_at').execute()
    : Promise.resolve([]);

/** Records a warning unless its clock, point and deadline have one: whether it was new. */
export async function insertWarning(db: Db, row: WarningRow): Promise<boolean> {
  const r = await db
    .insertInto('obligation_warnings')
    .values(row)
    .onConflict((oc) => oc.columns(['clock_id', 'point', 'due_at']).doNothing())
    .returning('clock_id')
    .executeTakeFirst();
  return r !== undefined;
}

export async function setWarningPage(db: Db, clockId: string, point: string, dueAt: number, pageId: string) {
  await db
    .updateTable('obligation_warnings')
    .set({ page_id: pageId })
    .where('clock_id', '=', clockId)
    .where('point', '=', point)
    .where('due_at', '=', dueAt)
    .execute();
}

/** Per obligation and status, how many clocks (the on-time record). */
export const clockCounts = (db: Db) =>
  db
    .selectFrom('obligation_clocks')
    .select(['obligation', 'status', (eb) => eb.fn.countAll<number>().as('n')])
    .groupBy(['obligation', 'status'])
    .execute();
