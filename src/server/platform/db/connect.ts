/**
 * Opens the store: SQLite (embedded default, WAL) here, PostgreSQL in connect-postgres.ts (loaded only
 * for a PostgreSQL database). All dialect differences live in these two files.
 */
import fs from 'node:fs';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { Kysely, Migrator, SqliteDialect, sql } from 'kysely';
import { migrations } from '../../../../migrations/index.js';
import type { Config } from '../config.js';
import { keepingStatements } from './sqlite-statements.js';
import { commitsRelaxed } from './relaxed-scope.js';
import { collectingHooks, pinger } from './store-hooks.js';
import type { Store } from './store-types.js';
import type { Database, Db } from './types.js';

export { afterCommit, beforeCommit, transactionMemo } from './store-hooks.js';
export type { Store } from './store-types.js';

/** How long a SQLite writer waits for the write lock before it fails with SQLITE_BUSY (ms). */
const BUSY_TIMEOUT_MS = 10_000;

/**
 * BEGIN IMMEDIATE on the event loop's connection without holding the event loop while another
 * connection (the activity writer thread's) has the write lock. SQLite's busy handler sleeps in the
 * calling thread (1, 2, 5, 10 ms ...): on the event loop that stopped every request, 3–18 ms at a time
 * and some 5% of transactions at 10,000 events/s. So the lock is tried without waiting, and while it is
 * taken the attempt is repeated each millisecond on a timer, with `wanted` set so that the other thread
 * leaves the lock free after its current transaction; BUSY_TIMEOUT_MS as the busy timeout was.
 */
function lockWithoutBlocking(sqlite: BetterSqlite3.Database, wanted: Int32Array) {
  const tryOnly = sqlite.prepare(`pragma busy_timeout = 0`);
  const waitAgain = sqlite.prepare(`pragma busy_timeout = ${BUSY_TIMEOUT_MS}`);
  return async (conn: Db): Promise<void> => {
    tryOnly.get();
    try {
      for (const started = Date.now(); ; ) {
        try {
          await sql`begin immediate`.execute(conn);
          return;
        } catch (err) {
          // SQLITE_BUSY and its extended codes (_RECOVERY, _SNAPSHOT): BEGIN IMMEDIATE holds no snapshot yet, so trying again is safe.
          const busy = String((err as { code?: unknown }).code ?? '').startsWith('SQLITE_BUSY');
          if (!busy || Date.now() - started >= BUSY_TIMEOUT_MS) throw err;
        }
        Atomics.store(wanted, 0, 1);
        await new Promise((resolve) => setTimeout(resolve, 1));
      }
    } finally {
      Atomics.store(wanted, 0, 0);
      waitAgain.get();
    }
  };
}

/** Opens the store named by the configuration (does not migrate). */
export async function openStore(database: Config['database']): Promise<Store> {
  if (database.kind === 'sqlite') {
    fs.mkdirSync(path.dirname(database.file), { recursive: true });
    const sqlite = new BetterSqlite3(database.file);
    sqlite.pragma('journal_mode = WAL');
    // FULL: a committed change survives the process being killed and the machine losing power.
    sqlite.pragma('synchronous = FULL');
    sqlite.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
    sqlite.pragma('foreign_keys = ON');
    const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: keepingStatements(sqlite) }) });
    const writeWanted = new Int32Array(new SharedArrayBuffer(4));
    const beginImmediate = lockWithoutBlocking(sqlite, writeWanted);
    return {
      db,
      dialect: 'sqlite',
      sqlite,
      writeWanted,
      transaction: (fn, opts) =>
        db.connection().execute(async (conn) => {
          // One connection, one transaction at a time: the setting holds for this commit only.
          const relaxed = commitsRelaxed(opts?.durability);
          if (relaxed) sqlite.pragma('synchronous = NORMAL');
          try {
            await beginImmediate(conn);
            try {
              const hooks: (() => void)[] = [];
              const result = await collectingHooks(conn, hooks, fn);
              await sql`commit`.execute(conn);
              for (const hook of hooks) hook();
              return result;
            } catch (err) {
              if (sqlite.inTransaction) await sql`rollback`.execute(conn);
              throw err;
            }
          } finally {
            if (relaxed) sqlite.pragma('synchronous = FULL');
          }
        }),
      // SQLite has one writer at a time and Kysely's driver runs one transaction per connection.
      lockChain: async () => {},
      onChainLock: () => {},
      ping: pinger(db),
      close: () => db.destroy(),
    };
  }
  return (await import('./connect-postgres.js')).openPostgres(database);
}

/** Runs every pending migration; throws with the failing migration's name. */
export async function migrate(store: Store): Promise<string[]> {
  // Kysely looks for its migration tables in every schema unless told which: another Tocsin's schema
  // in the same database would make it skip creating its own.
  const migrator = new Migrator({
    db: store.db,
    provider: { getMigrations: async () => migrations },
    ...(store.schema ? { migrationTableSchema: store.schema } : {}),
  });
  const { error, results } = await migrator.migrateToLatest();
  const failed = results?.find((r) => r.status === 'Error');
  if (results?.length) await store.schemaChanged?.();
  if (error || failed) {
    const name = failed?.migrationName ?? 'unknown';
    throw new Error(`migration ${name} failed: ${error instanceof Error ? error.message : String(error)}`);
  }
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}

/** Online, consistent copy of the SQLite store to `file` while writers keep going. */
export async function backupSqlite(store: Store, file: string): Promise<void> {
  if (!store.sqlite) throw new Error('backup is for the embedded SQLite store; use pg_dump for PostgreSQL');
  // All pages in one step, under one read snapshot. In better-sqlite3's default 100-page steps the
  // copy starts over whenever the server commits between two steps, so under load it never ends.
  await store.sqlite.backup(file, { progress: () => 0x7fffffff });
}

/**
 * A second connection to the embedded store's file, for a worker thread that writes machine rows at a
 * high rate (the account-activity index) so that the event loop does not. It writes with
 * synchronous=NORMAL (as relaxed transactions do) and, while it is open, it runs the WAL checkpoints:
 * the main connection stops checkpointing (`wal_autocheckpoint = 0`, given back by `restoreCheckpoints`),
 * because a checkpoint runs in the commit that crosses the threshold and would copy the writer's pages
 * on the event loop. Only for a store on a file.
 */
export function openSqliteSide(file: string): BetterSqlite3.Database {
  const side = new BetterSqlite3(file);
  side.pragma('busy_timeout = 10000');
  side.pragma('synchronous = NORMAL');
  return side;
}

/** The file a worker thread can open beside `store` with openSqliteSide; null when there is none (in memory, PostgreSQL). */
export function sqliteSideFile(store: Store): string | null {
  if (!store.sqlite || store.sqlite.memory || !store.sqlite.name) return null;
  return store.sqlite.name;
}

/** The main connection stops (`false`) or resumes (`true`) running the WAL checkpoints itself. */
export function mainCheckpoints(store: Store, on: boolean): void {
  if (store.sqlite?.open) store.sqlite.pragma(`wal_autocheckpoint = ${on ? 1000 : 0}`);
}
