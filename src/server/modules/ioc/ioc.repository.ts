/** SQL of IOCs (table `iocs`, migration 0042). */
import type { Db, IocsTable } from '../../platform/db/types.js';
import { visibleTo } from '../incident/index.js';

export type IocRow = IocsTable;

export const iocsOfIncident = (db: Db, incidentId: string) =>
  db
    .selectFrom('iocs')
    .selectAll()
    .where('incident_id', '=', incidentId)
    .orderBy('created_at', 'asc')
    .orderBy('id', 'asc')
    .execute();

export const iocById = (db: Db, id: string) =>
  db.selectFrom('iocs').selectAll().where('id', '=', id).executeTakeFirst();

export const iocByValue = (db: Db, incidentId: string, type: string, value: string) =>
  db
    .selectFrom('iocs')
    .selectAll()
    .where('incident_id', '=', incidentId)
    .where('type', '=', type)
    .where('value', '=', value)
    .executeTakeFirst();

export async function insertIoc(db: Db, row: IocRow): Promise<void> {
  await db.insertInto('iocs').values(row).execute();
}

export async function updateIoc(db: Db, id: string, set: Partial<IocRow>): Promise<void> {
  await db.updateTable('iocs').set(set).where('id', '=', id).execute();
}

/**
 * Shareable indicators for TAXII: TLP clear or green, not revoked, of incidents `viewer` may see (null:
 * an administrator, who sees all), changed after `after` (epoch ms) or after the cursor's (time, id),
 * in the order they were added or changed; `limit` rows at most.
 */
export function shareableIocs(
  db: Db,
  q: { viewer: string | null; after?: number; cursor?: readonly [number, string]; limit: number },
) {
  let query = db.selectFrom('iocs').selectAll().where('tlp', 'in', ['clear', 'green']).where('revoked', '=', 0);
  if (q.viewer !== null) query = query.where(visibleTo(q.viewer, 'iocs.incident_id'));
  if (q.after !== undefined) query = query.where('updated_at', '>', q.after);
  if (q.cursor) {
    const [t, id] = q.cursor;
    query = query.where((eb) =>
      eb.or([eb('updated_at', '>', t), eb.and([eb('updated_at', '=', t), eb('id', '>', id)])]),
    );
  }
  return query.orderBy('updated_at', 'asc').orderBy('id', 'asc').limit(q.limit).execute();
}
