/** SQL of management reports and their scheduled deliveries. */
import type { Db, ManagementReportDeliveriesTable, ManagementReportsTable } from '../../platform/db/types.js';

export type ManagementReportRow = ManagementReportsTable;
export type DeliveryRow = ManagementReportDeliveriesTable;

export const insertReport = async (db: Db, row: ManagementReportRow) => {
  await db.insertInto('management_reports').values(row).execute();
};

export const reportById = (db: Db, id: string) =>
  db.selectFrom('management_reports').selectAll().where('id', '=', id).executeTakeFirst();

/** The latest generations first, at most `limit`. */
export function listReports(db: Db, q: { kind?: string; limit: number }) {
  let sel = db.selectFrom('management_reports').selectAll();
  if (q.kind) sel = sel.where('kind', '=', q.kind);
  return sel.orderBy('generated_at', 'desc').orderBy('id', 'desc').limit(q.limit).execute();
}

/** Records a delivery to make unless one of this kind, period and language exists; true when added. */
export async function addDelivery(db: Db, row: DeliveryRow): Promise<boolean> {
  const r = await db
    .insertInto('management_report_deliveries')
    .values(row)
    .onConflict((oc) => oc.columns(['kind', 'period', 'lang']).doNothing())
    .executeTakeFirst();
  return Number(r.numInsertedOrUpdatedRows ?? 0) > 0;
}

/** Deliveries not yet sent, oldest first. */
export const pendingDeliveries = (db: Db, maxAttempts: number) =>
  db
    .selectFrom('management_report_deliveries')
    .selectAll()
    .where('sent_at', 'is', null)
    .where('attempts', '<', maxAttempts)
    .orderBy('created_at')
    .orderBy('kind')
    .orderBy('period')
    .orderBy('lang')
    .execute();

export async function updateDelivery(
  db: Db,
  key: { kind: string; period: string; lang: string },
  set: Partial<Pick<DeliveryRow, 'report_id' | 'attempts' | 'last_error' | 'sent_at'>>,
): Promise<void> {
  await db
    .updateTable('management_report_deliveries')
    .set(set)
    .where('kind', '=', key.kind)
    .where('period', '=', key.period)
    .where('lang', '=', key.lang)
    .execute();
}

export const deliveryOf = (db: Db, key: { kind: string; period: string; lang: string }) =>
  db
    .selectFrom('management_report_deliveries')
    .selectAll()
    .where('kind', '=', key.kind)
    .where('period', '=', key.period)
    .where('lang', '=', key.lang)
    .executeTakeFirst();
