/** SQL of evidence packages (migration 0044_evidence_packages); the ZIPs are in the blob store. */
import type { Db, EvidencePackagesTable } from '../../platform/db/types.js';
import type { EvidenceRow } from './evidence.repository.js';

export type PackageRow = EvidencePackagesTable;

export async function insertPackage(db: Db, row: PackageRow): Promise<void> {
  await db.insertInto('evidence_packages').values(row).execute();
}

export const packageById = (db: Db, id: string) =>
  db.selectFrom('evidence_packages').selectAll().where('id', '=', id).executeTakeFirst();

/** An incident's packages, newest first. */
export const packagesOf = (db: Db, incidentId: string) =>
  db
    .selectFrom('evidence_packages')
    .selectAll()
    .where('incident_id', '=', incidentId)
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .execute();

/** The incident's items among `ids` that are not deleted (chunked under SQLite's parameter limit). */
export async function liveItemsOf(db: Db, incidentId: string, ids: string[]): Promise<EvidenceRow[]> {
  const out: EvidenceRow[] = [];
  for (let i = 0; i < ids.length; i += 500)
    out.push(
      ...(await db
        .selectFrom('evidence_items')
        .selectAll()
        .where('incident_id', '=', incidentId)
        .where('deleted_at', 'is', null)
        .where('id', 'in', ids.slice(i, i + 500))
        .execute()),
    );
  return out;
}
