/** SQL of investigation reports (one per incident). */
import type { Db, InvestigationReportsTable } from '../../platform/db/types.js';

export type InvestigationReportRow = InvestigationReportsTable;

export const reportOfIncident = (db: Db, incidentId: string) =>
  db.selectFrom('investigation_reports').selectAll().where('incident_id', '=', incidentId).executeTakeFirst();

export async function insertInvestigationReport(db: Db, row: InvestigationReportRow): Promise<void> {
  await db.insertInto('investigation_reports').values(row).execute();
}

export async function updateInvestigationReport(
  db: Db,
  id: string,
  set: Partial<Omit<InvestigationReportRow, 'id' | 'incident_id'>>,
): Promise<void> {
  await db.updateTable('investigation_reports').set(set).where('id', '=', id).execute();
}
