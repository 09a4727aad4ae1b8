/** Commit hooks and per-transaction memos of `Store.transaction`, on either dialect. */
import { sql } from 'kysely';
import { drainPipe } from './pipeline.js';
import type { Db } from './types.js';

/** What runs once the transaction of a `tx` has committed (nothing when it rolls back). */
const commitHooks = new WeakMap<object, (() => void)[]>();

/**
 * Runs `fn` after the transaction of `tx` commits (at once when `tx` is not a transaction of
 * `Store.transaction`). For work that must see the committed rows: waking the job runner, say.
 * `fn` must not throw.
 */
export function afterCommit(tx: Db, fn: () => void): void {
  const hooks = commitHooks.get(tx);
  if (hooks) hooks.push(fn);
  else fn();
}

/** Values kept for the rest of one transaction of `Store.transaction` (see `transactionMemo`). */
const memos = new WeakMap<object, Map<symbol, unknown>>();

/**
 * A map that lives as long as the transaction of `tx` (Store.transaction), gone with it whether it
 * commits or rolls back; undefined when `tx` is not such a transaction. For what a transaction learned
 * and need not ask again: that it holds the chain lock, the chain's tail after its own appends.
 */
export function transactionMemo(tx: Db): Map<symbol, unknown> | undefined {
  return memos.get(tx);
}

/** What runs at the end of a transaction of `Store.transaction`, inside it, just before its commit. */
const preCommitHooks = new WeakMap<object, (() => Promise<void>)[]>();

/**
 * Runs `fn` inside the transaction of `tx` once the transaction's work is done, just before it commits
 * (in the order registered; a throw rolls the transaction back). At once when `tx` is not a transaction
 * of `Store.transaction`. For writes gathered over a transaction and sent as one statement (the audit
 * entries of alert intake).
 */
export async function beforeCommit(tx: Db, fn: () => Promise<void>): Promise<void> {
  const hooks = preCommitHooks.get(tx);
  if (hooks) hooks.push(fn);
  else await fn();
}

/**
 * Runs `fn(tx)` collecting the commit hooks registered for `tx` into `hooks` (run by the caller after its
 * commit), and the pre-commit hooks, run here once `fn` is done. `sendCommit` (PostgreSQL): sends COMMIT once the work and the pre-commit hooks are done, behind the
 * writes still in flight (pipeline.ts), and resolves when it committed; the caller commits otherwise.
 */
export async function collectingHooks<T>(
  tx: Db,
  hooks: (() => void)[],
  fn: (tx: Db) => Promise<T>,
  sendCommit?: () => Promise<void>,
): Promise<T> {
  commitHooks.set(tx, hooks);
  memos.set(tx, new Map());
  const pre: (() => Promise<void>)[] = [];
  preCommitHooks.set(tx, pre);
  try {
    const result = await fn(tx);
    // A hook may register another (it runs after those before it).
    for (let i = 0; i < pre.length; i++) await pre[i]!();
    const committed = sendCommit?.();
    // A failed write before it is the error to report (the server then rolled back instead).
    committed?.catch(() => {});
    await drainPipe(tx);
    await committed;
    return result;
  } catch (error) {
    // A pipelined write that failed is the cause of what failed after it; wait for every write in
    // flight before the rollback.
    await drainPipe(tx, { error });
    throw error;
  } finally {
    commitHooks.delete(tx);
    memos.delete(tx);
    preCommitHooks.delete(tx);
  }
}

/** The trivial query both dialects answer without touching a table. */
export const pinger = (db: Db) => async (): Promise<void> => {
  await sql`select 1`.execute(db);
};
