/** SQL of the evidence locker (migration 0041_evidence); the bytes are in the blob store. */
import type { Db, EvidenceItemsTable } from '../../platform/db/types.js';

export type EvidenceRow = EvidenceItemsTable;

export async function insertItem(db: Db, row: EvidenceRow): Promise<void> {
  await db.insertInto('evidence_items').values(row).execute();
}

export const itemById = (db: Db, id: string) =>
  db.selectFrom('evidence_items').selectAll().where('id', '=', id).executeTakeFirst();

/** An incident's items not deleted, oldest first. */
export const itemsOf = (db: Db, incidentId: string) =>
  db
    .selectFrom('evidence_items')
    .selectAll()
    .where('incident_id', '=', incidentId)
    .where('deleted_at', 'is', null)
    .orderBy('created_at')
    .orderBy('id')
    .execute();

/** Items not deleted (of one incident, or all), by id, a page after `afterId`: for `evidence verify`. */
export const storedItems = (db: Db, incidentId: string | null, afterId: string, limit: number) => {
  let q = db
    .selectFrom('evidence_items')
    .select(['id', 'incident_id', 'sha256', 'bytes', 'file_name'])
    .where('deleted_at', 'is', null)
    .where('id', '>', afterId);
  if (incidentId) q = q.where('incident_id', '=', incidentId);
  return q.orderBy('id').limit(limit).execute();
};

export async function updateItem(db: Db, id: string, set: Partial<EvidenceRow>): Promise<void> {
  await db.updateTable('evidence_items').set(set).where('id', '=', id).execute();
}

/** An incident's id by its key (the CLI, which acts for no principal). */
export async function incidentIdByKey(db: Db, key: string): Promise<string | null> {
  const r = await db.selectFrom('incidents').select('id').where('key', '=', key).executeTakeFirst();
  return r?.id ?? null;
}
