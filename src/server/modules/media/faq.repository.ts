/** SQL of FAQ entries: `faq_entries` (migration 0021_media). */
import type { Db, FaqEntriesTable } from '../../platform/db/types.js';

export type FaqRow = FaqEntriesTable;

export async function insertFaq(db: Db, row: FaqRow): Promise<void> {
  await db.insertInto('faq_entries').values(row).execute();
}

export async function updateFaq(db: Db, row: FaqRow): Promise<void> {
  const { id, ...rest } = row;
  await db.updateTable('faq_entries').set(rest).where('id', '=', id).execute();
}

export const faqById = (db: Db, id: string) =>
  db.selectFrom('faq_entries').selectAll().where('id', '=', id).executeTakeFirst();

/** Entries of these incidents in their order (only the published ones when asked). */
export function faqOf(db: Db, incidentIds: readonly string[], publishedOnly: boolean) {
  if (incidentIds.length === 0) return Promise.resolve([] as FaqRow[]);
  let q = db.selectFrom('faq_entries').selectAll().where('incident_id', 'in', incidentIds);
  if (publishedOnly) q = q.where('published', '=', 1);
  return q.orderBy('position').orderBy('created_at').orderBy('id').execute();
}
