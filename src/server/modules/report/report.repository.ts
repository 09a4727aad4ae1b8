/** SQL for regulator reports, their versions and receipts. */
import type { Db, RegulatorReportsTable, RegulatorReportVersionsTable } from '../../platform/db/types.js';

export async function insertReport(db: Db, row: RegulatorReportsTable): Promise<void> {
  await db.insertInto('regulator_reports').values(row).execute();
}

export const findReport = (db: Db, id: string) =>
  db.selectFrom('regulator_reports').selectAll().where('id', '=', id).executeTakeFirst();

export async function updateReport(
  db: Db,
  id: string,
  set: Partial<Omit<RegulatorReportsTable, 'id' | 'incident_id'>>,
): Promise<void> {
  await db.updateTable('regulator_reports').set(set).where('id', '=', id).execute();
}

/** An incident's reports, newest first (ids are UUIDv7). */
export const reportsOfIncident = (db: Db, incidentId: string) =>
  db
    .selectFrom('regulator_reports')
    .selectAll()
    .where('incident_id', '=', incidentId)
    .orderBy('id', 'desc')
    .limit(200)
    .execute();

export async function insertReportVersion(db: Db, row: RegulatorReportVersionsTable): Promise<void> {
  await db.insertInto('regulator_report_versions').values(row).execute();
}

export const findReportVersion = (db: Db, reportId: string, n: number) =>
  db
    .selectFrom('regulator_report_versions')
    .selectAll()
    .where('report_id', '=', reportId)
    .where('n', '=', n)
    .executeTakeFirst();

/** The current versions of several reports. */
export async function currentVersions(db: Db, pairs: { id: string; n: number }[]) {
  if (pairs.length === 0) return [];
  const rows = await db
    .selectFrom('regulator_report_versions')
    .selectAll()
    .where(
      'report_id',
      'in',
      pairs.map((p) => p.id),
    )
    .execute();
  return rows.filter((r) => pairs.some((p) => p.id === r.report_id && p.n === Number(r.n)));
}

export const reportVersions = (db: Db, reportId: string) =>
  db
    .selectFrom('regulator_report_versions')
    .selectAll()
    .where('report_id', '=', reportId)
    .orderBy('n', 'desc')
    .execute();

export async function insertReceipt(db: Db, reportId: string, content: Buffer): Promise<void> {
  await db
    .insertInto('regulator_report_receipts')
    .values({ report_id: reportId, content: content.toString('base64') })
    .execute();
}

export async function findReceipt(db: Db, reportId: string): Promise<Buffer | null> {
  const row = await db
    .selectFrom('regulator_report_receipts')
    .select('content')
    .where('report_id', '=', reportId)
    .executeTakeFirst();
  return row ? Buffer.from(row.content, 'base64') : null;
}
