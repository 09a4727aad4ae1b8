/** SQL of subscriptions: subscribers (email and webhook) and the subscribe throttle's fixed windows. */
import { sql, type SqlBool } from 'kysely';
import type { Db, SubscribersTable } from '../../platform/db/types.js';

export type SubscriberRow = SubscribersTable;

const big = (n: number) => sql<number>`cast(${n} as bigint)`;

export async function insertSubscriber(db: Db, row: SubscriberRow): Promise<void> {
  await db.insertInto('subscribers').values(row).execute();
}

export const findSubscriber = (db: Db, id: string): Promise<SubscriberRow | undefined> =>
  db.selectFrom('subscribers').selectAll().where('id', '=', id).executeTakeFirst();

/** The email subscriber whose address hashes to one of `hashes` (one per secret key, so rotation keeps finding it). */
export const findByAddressHash = (db: Db, hashes: string[]): Promise<SubscriberRow | undefined> =>
  db.selectFrom('subscribers').selectAll().where('address_hash', 'in', hashes).executeTakeFirst();

export async function updateSubscriber(
  db: Db,
  id: string,
  set: Partial<Omit<SubscriberRow, 'id' | 'kind' | 'created_at'>>,
): Promise<void> {
  await db.updateTable('subscribers').set(set).where('id', '=', id).execute();
}

/**
 * Moves a subscriber from one state to another only when it is still in `from` (two clicks at once:
 * one wins); whether it moved.
 */
export async function transition(db: Db, id: string, from: string[], set: Partial<SubscriberRow>): Promise<boolean> {
  const r = await db
    .updateTable('subscribers')
    .set(set)
    .where('id', '=', id)
    .where('state', 'in', from)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}

export async function deleteSubscriber(db: Db, id: string): Promise<boolean> {
  const r = await db.deleteFrom('subscribers').where('id', '=', id).executeTakeFirst();
  return Number(r.numDeletedRows) > 0;
}

/** Confirmed subscribers (both kinds), in id order, a page at a time after `afterId`. */
export const confirmedAfter = (db: Db, afterId: string | null, limit: number): Promise<SubscriberRow[]> => {
  let q = db.selectFrom('subscribers').selectAll().where('state', '=', 'confirmed');
  if (afterId) q = q.where('id', '>', afterId);
  return q.orderBy('id').limit(limit).execute();
};

/** Newest first, filtered; `beforeId` continues a page. */
export const listSubscribers = (
  db: Db,
  f: { state?: string; kind?: string; beforeId?: string },
  limit: number,
): Promise<SubscriberRow[]> => {
  let q = db.selectFrom('subscribers').selectAll();
  if (f.state) q = q.where('state', '=', f.state);
  if (f.kind) q = q.where('kind', '=', f.kind);
  if (f.beforeId) q = q.where('id', '<', f.beforeId);
  return q.orderBy('id', 'desc').limit(limit).execute();
};

/** Counts by kind, state and language (the services are counted from `servicesOfConfirmed`). */
export const countSubscribers = (db: Db) =>
  db
    .selectFrom('subscribers')
    .select(['kind', 'state', 'language', (eb) => eb.fn.countAll<number>().as('n')])
    .groupBy(['kind', 'state', 'language'])
    .execute();

/** The service choices of every confirmed subscriber (JSON arrays), for the per-service counts. */
export const servicesOfConfirmed = (db: Db) =>
  db.selectFrom('subscribers').select('services').where('state', '=', 'confirmed').execute();

/**
 * Takes one from the budget `key` (a fixed window of `windowMs` from its first use, at most `max`):
 * the row after it, or undefined when the budget is spent (nothing changed). One atomic upsert.
 */
export function takeBudget(db: Db, key: string, max: number, windowMs: number, now: number) {
  const expired = sql<SqlBool>`subscription_throttle.window_start + ${big(windowMs)} <= ${big(now)}`;
  return db
    .insertInto('subscription_throttle')
    .values({ key, count: 1, window_start: now })
    .onConflict((oc) =>
      oc
        .column('key')
        .doUpdateSet({
          count: sql`case when ${expired} then 1 else subscription_throttle.count + 1 end`,
          window_start: sql`case when ${expired} then ${big(now)} else subscription_throttle.window_start end`,
        })
        .where(sql<SqlBool>`(${expired} or subscription_throttle.count < ${max})`),
    )
    .returning(['count', 'window_start'])
    .executeTakeFirst();
}

export const findBudget = (db: Db, key: string) =>
  db.selectFrom('subscription_throttle').selectAll().where('key', '=', key).executeTakeFirst();

/** Forgets windows that ended before `before`. */
export async function pruneBudgets(db: Db, before: number): Promise<void> {
  await db.deleteFrom('subscription_throttle').where('window_start', '<', before).execute();
}
