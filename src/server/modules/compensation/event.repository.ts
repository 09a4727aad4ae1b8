/** SQL of claim events (migration 0031_compensation): the negotiation log of a claim and the customer's record. */
import type { CompensationClaimEventsTable, Db } from '../../platform/db/types.js';
import { visibleTo } from '../incident/index.js';

export type EventRow = CompensationClaimEventsTable;

export async function insertEvents(db: Db, rows: EventRow[]): Promise<void> {
  for (let i = 0; i < rows.length; i += 500)
    await db
      .insertInto('compensation_claim_events')
      .values(rows.slice(i, i + 500))
      .execute();
}

/** A claim's events, oldest first (ids are time-ordered UUIDv7), at most 1000. */
export const eventsOfClaim = (db: Db, claimId: string) =>
  db
    .selectFrom('compensation_claim_events')
    .selectAll()
    .where('claim_id', '=', claimId)
    .orderBy('id')
    .limit(1000)
    .execute();

/** A customer's events across incidents `viewer` may see (undefined: all), newest first, before `before`. */
export function eventsOfCustomer(
  db: Db,
  customerId: string,
  viewer: string | undefined,
  before: string | null,
  limit: number,
): Promise<EventRow[]> {
  let q = db.selectFrom('compensation_claim_events as e').selectAll('e').where('e.customer_id', '=', customerId);
  if (viewer) q = q.where(visibleTo(viewer, 'e.incident_id'));
  if (before !== null) q = q.where('e.id', '<', before);
  return q.orderBy('e.id', 'desc').limit(limit).execute();
}

export const eventById = (db: Db, id: string) =>
  db.selectFrom('compensation_claim_events').selectAll().where('id', '=', id).executeTakeFirst();
