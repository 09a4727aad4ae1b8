/** SQL of the job runner and the outbox: the `jobs` and `outbox` tables (migration 0010). */
import { sql } from 'kysely';
import type { Store } from '../db/connect.js';
import type { Db, JobsTable } from '../db/types.js';
import { sendWrite } from '../db/pipeline.js';

export type JobRow = JobsTable;

/** Inserts a job unless one of the same kind has the same key; true when inserted. */
export async function insertJob(tx: Db, row: JobRow): Promise<boolean> {
  const r = await tx
    .insertInto('jobs')
    .values(row)
    .onConflict((oc) => oc.columns(['kind', 'key']).doNothing())
    .executeTakeFirst();
  return Number(r.numInsertedOrUpdatedRows ?? 0) > 0;
}

/** Inserts a job unless one of the same kind has the same key, pipelined (pipeline.ts): the caller does not learn which. */
export async function sendJob(tx: Db, row: JobRow): Promise<void> {
  await sendWrite(
    tx,
    tx
      .insertInto('jobs')
      .values(row)
      .onConflict((oc) => oc.columns(['kind', 'key']).doNothing()),
  );
}

/**
 * Takes up to `limit` jobs of `kinds` that are due (queued, `run_at` passed) or whose runner's lease
 * ran out, and marks them running under a new lease, in one statement. On PostgreSQL the rows are
 * picked `FOR UPDATE SKIP LOCKED`, so runners in several processes never take the same job; SQLite has
 * one writer at a time.
 */
export async function claimJobs(
  store: Store,
  opts: {
    kinds: string[];
    now: number;
    limit: number;
    leaseMs: number;
    runner: string;
    /** Jobs not to take (those this runner is running: a lease it let end under a jumped clock is still its own). */
    exclude?: string[];
  },
): Promise<JobRow[]> {
  const { kinds, now, limit, leaseMs, runner, exclude } = opts;
  if (kinds.length === 0) return [];
  return store.transaction(
    async (tx) => {
      let due = tx
        .selectFrom('jobs')
        .select('id')
        .where('kind', 'in', kinds)
        .where((eb) =>
          eb.or([
            eb.and([eb('state', '=', 'queued'), eb('run_at', '<=', now)]),
            eb.and([eb('state', '=', 'running'), eb('lease_until', '<=', now)]),
          ]),
        )
        .orderBy('run_at')
        .limit(limit);
      if (exclude?.length) due = due.where('id', 'not in', exclude);
      if (store.dialect === 'postgres') due = due.forUpdate().skipLocked();
      return tx
        .updateTable('jobs')
        .set({
          state: 'running',
          attempts: sql<number>`attempts + 1`,
          lease_until: now + leaseMs,
          locked_by: runner,
          updated_at: now,
        })
        .where('id', 'in', due)
        .returningAll()
        .execute();
    },
    // A claim lost to a power cut leaves the job queued: it is claimed again. No audit entry is written.
    { audited: false, durability: 'relaxed' },
  );
}

/** Extends to `leaseUntil` the leases of the jobs of `ids` that `runner` still holds (running). */
export async function renewLeases(store: Store, ids: string[], runner: string, leaseUntil: number): Promise<void> {
  if (!ids.length) return;
  await store.transaction(
    (tx) =>
      tx
        .updateTable('jobs')
        .set({ lease_until: leaseUntil })
        .where('id', 'in', ids)
        .where('state', '=', 'running')
        .where('locked_by', '=', runner)
        .execute(),
    // A renewal lost to a power cut went with its runner: the lease ends as it would have.
    { audited: false, durability: 'relaxed' },
  );
}

/**
 * Where a claimed job goes next. Nothing changes unless `runner` still holds it for that attempt.
 * `deferred`: queued again until `runAt`, that run not counted as an attempt, the last error kept.
 */
export async function settleJob(
  store: Store,
  held: { id: string; runner: string; attempts: number },
  next:
    | { state: 'done'; now: number }
    | { state: 'queued'; now: number; runAt: number; error: string }
    | { state: 'dead'; now: number; error: string }
    | { state: 'deferred'; now: number; runAt: number },
): Promise<boolean> {
  const r = await store.transaction(
    (tx) =>
      tx
        .updateTable('jobs')
        .set({
          state: next.state === 'deferred' ? 'queued' : next.state,
          lease_until: null,
          locked_by: null,
          updated_at: next.now,
          ...(next.state === 'queued' || next.state === 'deferred' ? { run_at: next.runAt } : {}),
          ...(next.state === 'deferred' ? { attempts: Math.max(0, held.attempts - 1) } : {}),
          ...(next.state === 'queued' || next.state === 'dead' ? { last_error: next.error } : {}),
        })
        .where('id', '=', held.id)
        .where('state', '=', 'running')
        .where('locked_by', '=', held.runner)
        .where('attempts', '=', held.attempts)
        .executeTakeFirst(),
    // A settlement lost to a power cut leaves the job running until its lease ends: it runs again (at least once).
    { audited: false, durability: 'relaxed' },
  );
  return Number(r.numUpdatedRows) > 0;
}

export async function jobById(db: Db, id: string): Promise<JobRow | undefined> {
  return db.selectFrom('jobs').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Writes a domain event to the outbox (in the caller's transaction). */
export async function insertOutboxEvent(
  tx: Db,
  row: { id: string; type: string; payload: string; published_at: number },
): Promise<void> {
  await sendWrite(tx, tx.insertInto('outbox').values(row));
}

/** Jobs newest-changed first, optionally of one state and kind, after the cursor (updated_at, id). */
export async function listJobs(
  db: Db,
  filter: { state?: JobRow['state']; kind?: string },
  after: { updatedAt: number; id: string } | null,
  limit: number,
): Promise<JobRow[]> {
  let q = db.selectFrom('jobs').selectAll();
  if (filter.state) q = q.where('state', '=', filter.state);
  if (filter.kind) q = q.where('kind', '=', filter.kind);
  if (after)
    q = q.where((eb) =>
      eb.or([
        eb('updated_at', '<', after.updatedAt),
        eb.and([eb('updated_at', '=', after.updatedAt), eb('id', '<', after.id)]),
      ]),
    );
  return q.orderBy('updated_at', 'desc').orderBy('id', 'desc').limit(limit).execute();
}

/** A dead job queued again from its first attempt; false when it is not dead. */
export async function requeueDeadJob(db: Db, id: string, now: number): Promise<boolean> {
  const r = await db
    .updateTable('jobs')
    .set({ state: 'queued', attempts: 0, run_at: now, updated_at: now })
    .where('id', '=', id)
    .where('state', '=', 'dead')
    .executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}

/** Deletes done jobs and outbox events older than `before`; how many of each. */
export async function pruneJobs(db: Db, before: number): Promise<{ jobs: number; events: number }> {
  const jobs = await db
    .deleteFrom('jobs')
    .where('state', '=', 'done')
    .where('updated_at', '<', before)
    .executeTakeFirst();
  const events = await db.deleteFrom('outbox').where('published_at', '<', before).executeTakeFirst();
  return { jobs: Number(jobs.numDeletedRows), events: Number(events.numDeletedRows) };
}

/** Jobs per state, for the states a dashboard watches (done ones are not counted: they are many and uninteresting). */
export async function countJobsByState(db: Db): Promise<Partial<Record<'queued' | 'running' | 'dead', number>>> {
  const rows = await db
    .selectFrom('jobs')
    .select(['state', (eb) => eb.fn.countAll<number>().as('n')])
    .where('state', 'in', ['queued', 'running', 'dead'])
    .groupBy('state')
    .execute();
  return Object.fromEntries(rows.map((r) => [r.state, Number(r.n)]));
}
