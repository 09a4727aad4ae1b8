/** SQL of post-incident reviews (one per incident). */
import type { Db, ReviewsTable } from '../../platform/db/types.js';
import { visibleTo } from '../incident/index.js';

export type ReviewRow = ReviewsTable;

export const reviewOfIncident = (db: Db, incidentId: string) =>
  db.selectFrom('reviews').selectAll().where('incident_id', '=', incidentId).executeTakeFirst();

/** Inserts the review unless the incident has one; false when it had. */
export async function insertReview(db: Db, row: ReviewRow): Promise<boolean> {
  const r = await db
    .insertInto('reviews')
    .values(row)
    .onConflict((oc) => oc.column('incident_id').doNothing())
    .execute();
  return Number(r[0]?.numInsertedOrUpdatedRows ?? 0) > 0;
}

export async function updateReview(db: Db, id: string, set: Partial<Omit<ReviewRow, 'id' | 'incident_id'>>) {
  await db.updateTable('reviews').set(set).where('id', '=', id).execute();
}

export interface ReviewFilter {
  /** null: an administrator. */
  viewer: string | null;
  state?: string;
  overdueAt?: number;
  limit: number;
}

/** Reviews with their incident's key, title and grade, soonest due first. */
export function listReviews(db: Db, f: ReviewFilter) {
  let q = db
    .selectFrom('reviews as r')
    .innerJoin('incidents as i', 'i.id', 'r.incident_id')
    .selectAll('r')
    .select(['i.key as incident_key', 'i.title as incident_title', 'i.grade as incident_grade']);
  if (f.viewer !== null) q = q.where(visibleTo(f.viewer, 'r.incident_id'));
  if (f.state === 'open') q = q.where('r.state', '<>', 'closed');
  else if (f.state) q = q.where('r.state', '=', f.state);
  if (f.overdueAt !== undefined) q = q.where('r.state', '<>', 'closed').where('r.due_at', '<', f.overdueAt);
  return q.orderBy('r.due_at').orderBy('r.id').limit(f.limit).execute();
}
