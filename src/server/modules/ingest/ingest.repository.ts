/** SQL for ingest: the event ids seen per source (idempotent re-sending), and customer complaints. */
import { sql } from 'kysely';
import type { Store } from '../../platform/db/connect.js';
import type { ComplaintsTable, Db } from '../../platform/db/types.js';

// 3 parameters a row: well under SQLite's and PostgreSQL's limits on bound parameters.
const CHUNK = 500;

/**
 * Records `ids` (distinct) as seen for `source`; returns those that were not seen before (claimed by this
 * call). PostgreSQL: one statement with the ids as one array parameter, whatever their number — the same
 * text every time, so it is prepared once per connection (platform/db/prepared.ts) instead of a text per
 * slice size.
 */
export async function claimIds(store: Store, source: string, ids: string[], now: number): Promise<Set<string>> {
  const fresh = new Set<string>();
  const db = store.db;
  if (store.dialect === 'postgres') {
    const r = await sql<{ event_id: string }>`insert into ingest_seen (source, event_id, seen_at)
      select ${source}::text, u.id, ${now}::bigint from unnest(${ids}::text[]) as u(id)
      on conflict (source, event_id) do nothing returning event_id`.execute(db);
    for (const row of r.rows) fresh.add(row.event_id);
    return fresh;
  }
  for (let i = 0; i < ids.length; i += CHUNK) {
    const rows = ids.slice(i, i + CHUNK).map((event_id) => ({ source, event_id, seen_at: now }));
    const inserted = await db
      .insertInto('ingest_seen')
      .values(rows)
      .onConflict((oc) => oc.columns(['source', 'event_id']).doNothing())
      .returning('event_id')
      .execute();
    for (const r of inserted) fresh.add(r.event_id);
  }
  return fresh;
}

/** Forgets `ids` again (their events never reached detection). */
export async function releaseIds(db: Db, source: string, ids: string[]): Promise<void> {
  for (let i = 0; i < ids.length; i += CHUNK) {
    await db
      .deleteFrom('ingest_seen')
      .where('source', '=', source)
      .where('event_id', 'in', ids.slice(i, i + CHUNK))
      .execute();
  }
}

/** Forgets ids seen before `before`, and all but the newest `keep` of `source`. */
export async function pruneIds(db: Db, source: string, before: number, keep: number): Promise<void> {
  await db.deleteFrom('ingest_seen').where('seen_at', '<', before).execute();
  const cutoff = await db
    .selectFrom('ingest_seen')
    .select('seen_at')
    .where('source', '=', source)
    .orderBy('seen_at', 'desc')
    .limit(1)
    .offset(keep)
    .executeTakeFirst();
  if (cutoff)
    await db.deleteFrom('ingest_seen').where('source', '=', source).where('seen_at', '<=', cutoff.seen_at).execute();
}

export async function insertComplaint(db: Db, row: ComplaintsTable): Promise<void> {
  await db.insertInto('complaints').values(row).execute();
}
