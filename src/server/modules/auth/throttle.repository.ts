/**
 * SQL of the sign-in throttle: each statement reserves or releases an attempt atomically (one
 * conditional upsert with RETURNING), the same on SQLite and PostgreSQL.
 */
import { sql, type RawBuilder, type SqlBool } from 'kysely';
import type { Db, LoginThrottleTable, SignInPairsTable } from '../../platform/db/types.js';

const big = (n: number) => sql<number>`cast(${n} as bigint)`;

/**
 * The wait after `failures` failures, as SQL: null (no wait) before `free`, then `base`, doubling
 * each failure, capped at `max` (a CASE ladder: portable, no pow()). No wait is null, not 0: a
 * "next attempt at now" would refuse a parallel attempt that read the clock a moment earlier.
 */
export function delayLadder(
  failures: RawBuilder<number>,
  p: { free: number; baseMs: number; maxMs: number },
): RawBuilder<number | null> {
  if (p.baseMs <= 0) return sql<null>`null`;
  const steps: RawBuilder<unknown>[] = [sql`when ${failures} < ${p.free} then null`];
  let d = p.baseMs;
  for (let f = p.free; d < p.maxMs && f < p.free + 64; f++, d *= 2)
    steps.push(sql`when ${failures} = ${f} then ${big(d)}`);
  return sql<number | null>`(case ${sql.join(steps, sql` `)} else ${big(p.maxMs)} end)`;
}

/**
 * Reserves one attempt of a budget (fixed window from its first failure): returns the row after the
 * reservation, or undefined when the budget is spent (nothing changed).
 */
export function reserveBudget(db: Db, key: string, max: number, windowMs: number, now: number) {
  const expired = sql<SqlBool>`login_throttle.window_start + ${big(windowMs)} <= ${big(now)}`;
  return db
    .insertInto('login_throttle')
    .values({ key, failures: 1, window_start: now, locked_until: null })
    .onConflict((oc) =>
      oc
        .column('key')
        .doUpdateSet({
          failures: sql`case when ${expired} then 1 else login_throttle.failures + 1 end`,
          window_start: sql`case when ${expired} then ${big(now)} else login_throttle.window_start end`,
        })
        .where(sql<SqlBool>`(${expired} or login_throttle.failures < ${max})`),
    )
    .returning(['failures', 'window_start'])
    .executeTakeFirst();
}

/** Gives back an attempt reserved in the window that started at `windowStart` (a later window is left alone). */
export async function releaseBudget(db: Db, key: string, windowStart: number): Promise<void> {
  await db
    .updateTable('login_throttle')
    .set({ failures: sql`failures - 1` })
    .where('key', '=', key)
    .where('window_start', '=', windowStart)
    .where('failures', '>', 0)
    .execute();
}

export const findBudgets = (db: Db, keys: string[]): Promise<LoginThrottleTable[]> =>
  keys.length ? db.selectFrom('login_throttle').selectAll().where('key', 'in', keys).execute() : Promise.resolve([]);

export async function deleteBudget(db: Db, key: string): Promise<void> {
  await db.deleteFrom('login_throttle').where('key', '=', key).execute();
}

export const findPair = (db: Db, email: string, address: string): Promise<SignInPairsTable | undefined> =>
  db
    .selectFrom('sign_in_pairs')
    .selectAll()
    .where('email', '=', email)
    .where('address', '=', address)
    .executeTakeFirst();

/** The account's pairs, the most recently active first. */
export const listPairs = (db: Db, email: string, limit: number): Promise<SignInPairsTable[]> =>
  db
    .selectFrom('sign_in_pairs')
    .selectAll()
    .where('email', '=', email)
    .orderBy(sql`coalesce(last_refused_at, 0) + coalesce(last_failure_at, 0) + coalesce(last_success_at, 0)`, 'desc')
    .limit(limit)
    .execute();

/**
 * Reserves one attempt for (email, address) unless it must still wait: the failure count goes up
 * (failures older than `forgetMs` are forgotten first) and the next allowed time moves out by the
 * delay the new count earns. Returns the row after it, or undefined when the pair must wait.
 */
export function reservePair(
  db: Db,
  email: string,
  address: string,
  now: number,
  p: { free: number; baseMs: number; maxMs: number; forgetMs: number },
) {
  const next = sql<number>`case when sign_in_pairs.last_failure_at is null or sign_in_pairs.last_failure_at + ${big(p.forgetMs)} <= ${big(now)} then 1 else sign_in_pairs.failures + 1 end`;
  return db
    .insertInto('sign_in_pairs')
    .values({
      email,
      address,
      failures: 1,
      last_failure_at: now,
      next_at: p.free > 1 || p.baseMs <= 0 ? null : now + p.baseMs,
      last_success_at: null,
      last_refused_at: null,
      bypass_until: null,
    })
    .onConflict((oc) =>
      oc
        .columns(['email', 'address'])
        .doUpdateSet({
          failures: next,
          last_failure_at: now,
          next_at: sql`${big(now)} + ${delayLadder(next, { free: p.free, baseMs: p.baseMs, maxMs: p.maxMs })}`,
        })
        .where(sql<SqlBool>`(sign_in_pairs.next_at is null or sign_in_pairs.next_at <= ${big(now)})`),
    )
    .returning(['failures', 'next_at'])
    .executeTakeFirst();
}

/** Notes a refused attempt (the row is made when the pair has none yet). */
export async function markRefused(db: Db, email: string, address: string, now: number): Promise<void> {
  await db
    .insertInto('sign_in_pairs')
    .values({
      email,
      address,
      failures: 0,
      last_failure_at: null,
      next_at: null,
      last_success_at: null,
      last_refused_at: now,
      bypass_until: null,
    })
    .onConflict((oc) => oc.columns(['email', 'address']).doUpdateSet({ last_refused_at: now }))
    .execute();
}

/**
 * Gives back the attempt a correct password reserved (the sign-in is not complete yet: a second
 * factor follows): the pair is as it was before, unless other attempts came in between (then only
 * the count goes down).
 */
export async function refundPair(
  db: Db,
  email: string,
  address: string,
  reserved: {
    failures: number;
    before: { failures: number; last_failure_at: number | null; next_at: number | null } | null;
  },
): Promise<void> {
  const untouched = sql<SqlBool>`failures = ${reserved.failures}`;
  const prevLast = reserved.before?.last_failure_at ?? null;
  const prevNext = reserved.before?.next_at ?? null;
  await db
    .updateTable('sign_in_pairs')
    .set({
      failures: sql`case when ${untouched} then ${reserved.before?.failures ?? 0} when failures > 0 then failures - 1 else 0 end`,
      last_failure_at: sql`case when ${untouched} then ${prevLast === null ? sql`null` : big(prevLast)} else last_failure_at end`,
      next_at: sql`case when ${untouched} then ${prevNext === null ? sql`null` : big(prevNext)} else next_at end`,
    })
    .where('email', '=', email)
    .where('address', '=', address)
    .execute();
}

/** A complete sign-in from the address: its failures are cleared and it becomes a known address. */
export async function clearPair(db: Db, email: string, address: string, now: number): Promise<void> {
  await db
    .updateTable('sign_in_pairs')
    .set({ failures: 0, next_at: null, last_success_at: now })
    .where('email', '=', email)
    .where('address', '=', address)
    .execute();
}

/** An administrator's unlock: every address of the account starts afresh and passes the budgets until `until`. */
export async function unlockPairs(db: Db, email: string, until: number): Promise<void> {
  await db
    .updateTable('sign_in_pairs')
    .set({ failures: 0, next_at: null, bypass_until: until })
    .where('email', '=', email)
    .execute();
}

/** Forgets pairs and budgets that no longer hold anything (idle, not known, no bypass). */
export async function pruneThrottle(
  db: Db,
  now: number,
  p: { forgetMs: number; knownMs: number; windowMs: number },
): Promise<void> {
  await db
    .deleteFrom('sign_in_pairs')
    .where(sql<SqlBool>`coalesce(last_failure_at, 0) + ${big(p.forgetMs)} < ${big(now)}`)
    .where(sql<SqlBool>`coalesce(last_refused_at, 0) + ${big(p.forgetMs)} < ${big(now)}`)
    .where(sql<SqlBool>`coalesce(last_success_at, 0) + ${big(p.knownMs)} < ${big(now)}`)
    .where(sql<SqlBool>`coalesce(bypass_until, 0) < ${big(now)}`)
    .execute();
  await db
    .deleteFrom('login_throttle')
    .where(sql<SqlBool>`window_start + ${big(p.windowMs)} < ${big(now)}`)
    .execute();
}
