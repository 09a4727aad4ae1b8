/** SQL of paging: `pages`, `page_deliveries`, `contact_routes` (migration 0014_paging). */
import type { ContactRoutesTable, Db, PageDeliveriesTable, PagesTable } from '../../platform/db/types.js';

export type PageRow = PagesTable;
export type DeliveryRow = PageDeliveriesTable;

export async function insertPage(db: Db, row: PagesTable): Promise<void> {
  await db.insertInto('pages').values(row).execute();
}

export const pageByKey = (db: Db, key: string) =>
  db.selectFrom('pages').selectAll().where('key', '=', key).executeTakeFirst();

export const pageById = (db: Db, id: string) =>
  db.selectFrom('pages').selectAll().where('id', '=', id).executeTakeFirst();

export const pagesOfIncident = (db: Db, incidentId: string) =>
  db
    .selectFrom('pages')
    .selectAll()
    .where('incident_id', '=', incidentId)
    .orderBy('paged_at', 'desc')
    .limit(50)
    .execute();

export async function updatePage(
  db: Db,
  id: string,
  set: Partial<Pick<PagesTable, 'status' | 'sent' | 'acknowledged_at' | 'acknowledged_by' | 'problems' | 'updated_at'>>,
): Promise<void> {
  await db.updateTable('pages').set(set).where('id', '=', id).execute();
}

/** Acknowledges the page if it is not yet; whether this call did it. */
export async function acknowledgePage(db: Db, id: string, by: string | null, at: number): Promise<boolean> {
  const r = await db
    .updateTable('pages')
    .set({ status: 'acknowledged', acknowledged_at: at, acknowledged_by: by, updated_at: at })
    .where('id', '=', id)
    .where('acknowledged_at', 'is', null)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}

export async function insertDeliveries(db: Db, rows: PageDeliveriesTable[]): Promise<void> {
  if (rows.length > 0) await db.insertInto('page_deliveries').values(rows).execute();
}

export const deliveryById = (db: Db, id: string) =>
  db.selectFrom('page_deliveries').selectAll().where('id', '=', id).executeTakeFirst();

export const deliveriesOf = (db: Db, pageIds: readonly string[]) =>
  pageIds.length === 0
    ? Promise.resolve([] as PageDeliveriesTable[])
    : db
        .selectFrom('page_deliveries')
        .selectAll()
        .where('page_id', 'in', pageIds)
        .orderBy('step')
        .orderBy('user_id')
        .orderBy('position')
        .execute();

export async function setDeliveryState(
  db: Db,
  id: string,
  state: string,
  detail: string | null,
  at: number,
): Promise<void> {
  await db.updateTable('page_deliveries').set({ state, detail, updated_at: at }).where('id', '=', id).execute();
}

/** Marks a link used if it was not; whether this call did it. */
export async function useAckLink(db: Db, id: string, at: number): Promise<boolean> {
  const r = await db
    .updateTable('page_deliveries')
    .set({ ack_used_at: at })
    .where('id', '=', id)
    .where('ack_used_at', 'is', null)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}

export const contactRoutesOf = (db: Db, userIds: readonly string[]) =>
  userIds.length === 0
    ? Promise.resolve([] as ContactRoutesTable[])
    : db
        .selectFrom('contact_routes')
        .selectAll()
        .where('user_id', 'in', userIds)
        .orderBy('user_id')
        .orderBy('position')
        .execute();

export async function replaceContactRoutes(db: Db, userId: string, rows: ContactRoutesTable[]): Promise<void> {
  await db.deleteFrom('contact_routes').where('user_id', '=', userId).execute();
  if (rows.length > 0) await db.insertInto('contact_routes').values(rows).execute();
}
