/**
 * Bulk loads (the demo's year of history: ~3,400 transactions) commit without waiting for the disk, and
 * are made durable once at the end. Every transaction of `Store.transaction` that starts inside
 * `relaxedWhile(store, fn)` — in `fn`'s own asynchronous context, not in work the process does beside it —
 * defaults to `durability: 'relaxed'` (see Store.transaction: a power loss may roll back the last such
 * commits, a crash of the process loses nothing). When `fn` ends, one durable step makes all of them
 * durable: SQLite checkpoints the WAL (synced before and after), PostgreSQL commits a transaction with an
 * id at `synchronous_commit = on`, which flushes the WAL up to it.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { sql } from 'kysely';
import type { Db } from './types.js';

/** What of a Store this needs (narrow, so a test can watch the durable step: connect.test.ts). */
interface DurableStore {
  sqlite?: { pragma(source: string): unknown };
  transaction<T>(
    fn: (tx: Db) => Promise<T>,
    opts?: { audited?: boolean; durability?: 'durable' | 'relaxed' },
  ): Promise<T>;
}

const scope = new AsyncLocalStorage<true>();

/** Whether a transaction with these options commits relaxed: as asked, else relaxed inside `relaxedWhile`. */
export const commitsRelaxed = (durability: 'durable' | 'relaxed' | undefined): boolean =>
  (durability ?? (scope.getStore() === true ? 'relaxed' : 'durable')) === 'relaxed';

/** Makes every commit before it durable. */
async function makeDurable(store: DurableStore): Promise<void> {
  if (store.sqlite) {
    store.sqlite.pragma('wal_checkpoint(PASSIVE)');
    return;
  }
  await store.transaction(
    async (tx) => {
      await sql`select pg_current_xact_id()`.execute(tx);
    },
    { audited: false, durability: 'durable' },
  );
}

/** `relaxedWhile` calls running. */
let running = 0;

/** Runs `fn` with its transactions relaxed, then makes what they wrote durable (also when `fn` fails). */
export async function relaxedWhile<T>(store: DurableStore, fn: () => Promise<T>): Promise<T> {
  running++;
  try {
    return await scope.run(true, fn);
  } finally {
    // An enabled AsyncLocalStorage keeps Node's async hooks tracking every promise of the process (before
    // Node 24): off again once no bulk load runs. Work `fn` left behind is no longer relaxed.
    if (--running === 0) scope.disable();
    await makeDurable(store);
  }
}
