/**
 * Intake step 3, persistence: the batch's new alerts with their first events, the repeats counted into
 * existing alerts, the correlation keys' pointers and the hits of what held alerts back.
 */
import type { AlertGroupsTable, Db } from '../../platform/db/types.js';
import { insertAlertEvents, insertAlerts, updateRepeats, upsertGroups } from './alert.repository.js';
import { rowOf, type Work } from './alert-work.js';
import type { HoldHits } from './intake-dedup.js';
import { countHits } from './suppression.repository.js';

export interface Persisted {
  /** Every alert the batch touched (deduplication's `works`, placed into incidents by grouping). */
  works: Work[];
  pointers: AlertGroupsTable[];
  hits: HoldHits[];
  now: number;
}

/** Writes the batch; a repeated alert's `updated_at` becomes `now`. */
export async function persist(tx: Db, b: Persisted): Promise<void> {
  await insertAlerts(tx, b.works.filter((w) => w.isNew).map(rowOf));
  await insertAlertEvents(
    tx,
    b.works.flatMap((w) => w.newEvents),
  );
  const repeats = b.works.filter((w) => !w.isNew && w.dirty).map((w) => w.view);
  for (const r of repeats) r.updated_at = b.now;
  await updateRepeats(tx, repeats);
  await upsertGroups(tx, b.pointers);
  for (const { hold, n } of b.hits)
    await countHits(tx, hold.kind === 'maintenance' ? 'maintenance_windows' : 'suppressions', hold.id, n, b.now);
}
