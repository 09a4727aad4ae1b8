/** SQL of the incidents open to claims on the portal (migration 0040_compensation_filing). */
import type { CompensationPortalOpeningsTable, Db } from '../../platform/db/types.js';

export type OpeningRow = CompensationPortalOpeningsTable;

export const openingOf = (db: Db, incidentId: string) =>
  db.selectFrom('compensation_portal_openings').selectAll().where('incident_id', '=', incidentId).executeTakeFirst();

export async function putOpening(db: Db, row: OpeningRow): Promise<void> {
  const { incident_id, ...rest } = row;
  await db
    .insertInto('compensation_portal_openings')
    .values(row)
    .onConflict((oc) => oc.column('incident_id').doUpdateSet(rest))
    .execute();
}

/** The openings taking claims at `now`, newest first. */
export const liveOpenings = (db: Db, now: number) =>
  db
    .selectFrom('compensation_portal_openings')
    .selectAll()
    .where('closed_at', 'is', null)
    .where((eb) => eb.or([eb('closes_at', 'is', null), eb('closes_at', '>', now)]))
    .orderBy('opened_at', 'desc')
    .limit(50)
    .execute();

export const isLive = (row: OpeningRow | undefined, now: number): row is OpeningRow =>
  !!row && row.closed_at === null && (row.closes_at === null || Number(row.closes_at) > now);

/** Claims customers filed on the portal in the incident. */
export async function portalClaimCount(db: Db, incidentId: string): Promise<number> {
  const r = await db
    .selectFrom('compensation_claims')
    .select((eb) => eb.fn.countAll<string | number>().as('n'))
    .where('incident_id', '=', incidentId)
    .where('source', '=', 'portal')
    .executeTakeFirst();
  return Number(r?.n ?? 0);
}
