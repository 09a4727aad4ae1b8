/** SQL for metrics: series (upserted by key), points (upserted by series and time), reads and retention. */
import type { Db, MetricSeriesTable } from '../../platform/db/types.js';
import { newId } from '../../platform/ids.js';

// At most 8 parameters a row: well under SQLite's and PostgreSQL's limits on bound parameters.
const CHUNK = 500;

export interface NewSeries {
  key: string;
  name: string;
  labels: string;
  source: string;
}

/** Ids of the series with these keys, creating the missing ones. */
export async function ensureSeries(
  tx: Db,
  series: NewSeries[],
  now: number,
  maxSeries = Infinity,
): Promise<Map<string, string>> {
  const ids = new Map<string, string>();
  // Room for new series, counted only when a batch brings one (most batches only add points).
  let room: number | null = null;
  for (let i = 0; i < series.length; i += CHUNK) {
    const part = series.slice(i, i + CHUNK);
    const keys = part.map((s) => s.key);
    for (const r of await tx
      .selectFrom('metric_series')
      .select(['id', 'series_key'])
      .where('series_key', 'in', keys)
      .execute())
      ids.set(r.series_key, r.id);
    const unknown = part.filter((s) => !ids.has(s.key));
    if (!unknown.length) continue;
    if (room === null) room = Number.isFinite(maxSeries) ? maxSeries - (await countSeries(tx)) : Infinity;
    // At most `room` new series in all; the rest are left out of the map (refused by the caller).
    const missing = unknown.slice(0, Math.max(0, room));
    room -= missing.length;
    if (!missing.length) continue;
    await tx
      .insertInto('metric_series')
      .values(
        missing.map((s) => ({
          id: newId(),
          series_key: s.key,
          name: s.name,
          labels: s.labels,
          source: s.source,
          last_value: null,
          last_time: null,
          created_at: now,
        })),
      )
      .onConflict((oc) => oc.column('series_key').doNothing())
      .execute();
    for (const r of await tx
      .selectFrom('metric_series')
      .select(['id', 'series_key'])
      .where(
        'series_key',
        'in',
        missing.map((s) => s.key),
      )
      .execute())
      ids.set(r.series_key, r.id);
  }
  return ids;
}

/** Number of series stored. */
export async function countSeries(db: Db): Promise<number> {
  const r = await db
    .selectFrom('metric_series')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirst();
  return Number(r?.n ?? 0);
}

/** Stores points; a second point at the same time of a series replaces the first. */
export async function upsertPoints(
  tx: Db,
  points: { series_id: string; time: number; value: number }[],
): Promise<void> {
  for (let i = 0; i < points.length; i += CHUNK) {
    await tx
      .insertInto('metric_points')
      .values(points.slice(i, i + CHUNK))
      .onConflict((oc) => oc.columns(['series_id', 'time']).doUpdateSet((eb) => ({ value: eb.ref('excluded.value') })))
      .execute();
  }
}

/** Moves a series' last value forward (never back: an older point arriving late does not replace it). */
export async function updateLast(tx: Db, id: string, value: number, time: number): Promise<void> {
  await tx
    .updateTable('metric_series')
    .set({ last_value: value, last_time: time })
    .where('id', '=', id)
    .where((eb) => eb.or([eb('last_time', 'is', null), eb('last_time', '<=', time)]))
    .execute();
}

export async function listSeries(
  db: Db,
  q: { name?: string; limit: number; after?: string },
): Promise<MetricSeriesTable[]> {
  let query = db.selectFrom('metric_series').selectAll().orderBy('id').limit(q.limit);
  if (q.name) query = query.where('name', '=', q.name);
  if (q.after) query = query.where('id', '>', q.after);
  return query.execute();
}

export async function getSeries(db: Db, id: string): Promise<MetricSeriesTable | undefined> {
  return db.selectFrom('metric_series').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Points of a series in [from, to], oldest first, at most `limit`. */
export async function pointsBetween(
  db: Db,
  id: string,
  from: number,
  to: number,
  limit: number,
): Promise<{ time: number; value: number }[]> {
  return db
    .selectFrom('metric_points')
    .select(['time', 'value'])
    .where('series_id', '=', id)
    .where('time', '>=', from)
    .where('time', '<=', to)
    .orderBy('time')
    .limit(limit)
    .execute();
}

/** The newest `limit` points of a series from `since` and before `before`, oldest first. */
export async function recentPoints(
  db: Db,
  id: string,
  since: number,
  before: number,
  limit: number,
): Promise<{ time: number; value: number }[]> {
  const rows = await db
    .selectFrom('metric_points')
    .select(['time', 'value'])
    .where('series_id', '=', id)
    .where('time', '>=', since)
    .where('time', '<', before)
    .orderBy('time', 'desc')
    .limit(limit)
    .execute();
  return rows.reverse();
}

/** Deletes up to about `batch` points older than `before`; returns how many went. */
export async function prunePoints(db: Db, before: number, batch: number): Promise<number> {
  const edge = await db
    .selectFrom('metric_points')
    .select('time')
    .where('time', '<', before)
    .orderBy('time')
    .limit(1)
    .offset(batch - 1)
    .executeTakeFirst();
  const cutoff = edge ? Number(edge.time) + 1 : before;
  const r = await db.deleteFrom('metric_points').where('time', '<', Math.min(cutoff, before)).executeTakeFirst();
  return Number(r.numDeletedRows);
}

/** Deletes series with no point newer than `before` (their points are gone already). */
export async function pruneSeries(db: Db, before: number): Promise<number> {
  const r = await db
    .deleteFrom('metric_series')
    .where((eb) =>
      eb.or([eb('last_time', '<', before), eb.and([eb('last_time', 'is', null), eb('created_at', '<', before)])]),
    )
    .where((eb) =>
      eb.not(
        eb.exists(
          eb
            .selectFrom('metric_points')
            .select('series_id')
            .whereRef('metric_points.series_id', '=', 'metric_series.id'),
        ),
      ),
    )
    .executeTakeFirst();
  return Number(r.numDeletedRows);
}
