/** SQL of evidence retention: items whose incident closed long ago, and what still refers to a blob. */
import type { Db } from '../../platform/db/types.js';
import type { EvidenceRow } from './evidence.repository.js';

/** Items not deleted and not on legal hold whose incident closed before `closedBefore` (at most `limit`). */
export const expiredItems = (db: Db, closedBefore: number, limit: number): Promise<EvidenceRow[]> =>
  db
    .selectFrom('evidence_items as e')
    .innerJoin('incidents as i', 'i.id', 'e.incident_id')
    .selectAll('e')
    .where('e.deleted_at', 'is', null)
    .where('e.legal_hold', '=', 0)
    .where('i.closed_at', 'is not', null)
    .where('i.closed_at', '<', closedBefore)
    .orderBy('e.created_at')
    .limit(limit)
    .execute();

/** Deletes (softly) the items that are still not on hold; answers those it deleted. */
export async function deleteUnheld(db: Db, ids: string[], at: number): Promise<string[]> {
  if (!ids.length) return [];
  const rows = await db
    .updateTable('evidence_items')
    .set({ deleted_at: at })
    .where('id', 'in', ids)
    .where('legal_hold', '=', 0)
    .where('deleted_at', 'is', null)
    .returning('id')
    .execute();
  return rows.map((r) => r.id);
}

/** Of these blobs, those a live evidence item or a claim's file still refers to. */
export async function blobsInUse(db: Db, sha256s: string[]): Promise<Set<string>> {
  if (!sha256s.length) return new Set();
  const items = await db
    .selectFrom('evidence_items')
    .select('sha256')
    .where('sha256', 'in', sha256s)
    .where('deleted_at', 'is', null)
    .execute();
  const files = await db
    .selectFrom('compensation_attachments')
    .select('sha256')
    .where('sha256', 'in', sha256s)
    .execute();
  return new Set([...items, ...files].map((r) => r.sha256));
}
