/** Opens the store: SQLite (embedded default, WAL) or PostgreSQL. All dialect differences live here. */
import fs from 'node:fs';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { Kysely, Migrator, PostgresDialect, type RawBuilder, SqliteDialect, sql } from 'kysely';
import pg from 'pg';
import { migrations } from '../../../../migrations/index.js';
import type { Config } from '../config.js';
import { keepingStatements } from './sqlite-statements.js';
import { coalesceWrites } from './coalesce-writes.js';
import { loadStarColumns, StarExpander } from './expand-star.js';
import { drainPipe, openPipe, raw, sendRead, sendWrite } from './pipeline.js';
import { PreparingClient } from './prepared.js';
import { commitsRelaxed } from './relaxed-scope.js';
import type { Database, Db } from './types.js';

// int8 (bigint) columns hold epoch ms and counts: read them as numbers, not strings.
pg.types.setTypeParser(20, (v) => Number.parseInt(v, 10));

export type Dialect = 'sqlite' | 'postgres';

export interface TransactionOptions {
  /**
   * `durable`: the commit waits for the disk (the default, but inside `relaxedWhile`, relaxed-scope.ts).
   * `relaxed`: see Store.transaction.
   */
  durability?: 'durable' | 'relaxed';
  /**
   * `false`: the transaction writes no audit entry and touches no audited rows (metric points), so on
   * PostgreSQL it does not queue behind the audit-chain lock. Default true.
   */
  audited?: boolean;
}

export interface Store {
  db: Db;
  dialect: Dialect;
  /** The raw SQLite handle (embedded mode only), for online backup. */
  sqlite?: BetterSqlite3.Database;
  /**
   * SQLite: 1 while the event loop waits for the write lock (shared memory), for a writer on another
   * thread (activity-writer.worker.ts) to hold off meanwhile; see `lockWithoutBlocking`.
   */
  writeWanted?: Int32Array;
  /** A PostgreSQL pool of 2 (at-scale mode only), for reads of many rows through a cursor (`rows.ts`). */
  pool?: pg.Pool;
  /** The PostgreSQL schema `?schema=` selected, if any. */
  schema?: string;
  /**
   * Runs `fn` in one write transaction (SQLite: BEGIN IMMEDIATE, so writers never deadlock).
   * `durability: 'relaxed'` is for high-rate machine writes (alert intake): the commit does not wait
   * for the disk (SQLite WAL synchronous=NORMAL, PostgreSQL synchronous_commit=off). A power loss may
   * roll back the last such commits — never a part of one, never an earlier commit — and the next
   * durable commit makes every earlier one durable too. A crash of the process loses nothing.
   */
  transaction<T>(fn: (tx: Db) => Promise<T>, opts?: TransactionOptions): Promise<T>;
  /** Serializes writers that must see each other's rows (the audit chain). Call inside a transaction. */
  lockChain(tx: Db): Promise<void>;
  /**
   * `read` runs in every transaction of `transaction` as soon as it has sent the statement that takes the
   * chain lock (PostgreSQL: pipelined right behind it, so it sees what the lock's previous holder
   * committed and costs no round trip of its own): the audit chain's tail. Not called on SQLite.
   */
  onChainLock(read: (tx: Db) => void): void;
  /** A round trip to the database (the health check): resolves once it answers, rejects while it cannot. */
  ping(): Promise<void>;
  /** PostgreSQL: reads the schema's columns again after a migration (expand-star.ts). */
  schemaChanged?(): Promise<void>;
  close(): Promise<void>;
}

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

/** Runs `fn(tx)` collecting the commit hooks registered for `tx` into `hooks` (run by the caller after its commit). */
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
 * `sendCommit` (PostgreSQL): sends COMMIT once the work and the pre-commit hooks are done, behind the
 * writes still in flight (pipeline.ts), and resolves when it committed; the caller commits otherwise.
 */
async function collectingHooks<T>(
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

const CHAIN_LOCKED = Symbol('chain locked');

/** The trivial query both dialects answer without touching a table. */
const pinger = (db: Db) => async (): Promise<void> => {
  await sql`select 1`.execute(db);
};

function quoteIdent(name: string): string {
  if (!/^[A-Za-z_][A-Za-z0-9_]{0,62}$/.test(name)) throw new Error(`invalid schema name: ${name}`);
  return `"${name}"`;
}

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
  const schema = database.schema;
  if (schema) {
    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    try {
      await client.query(`CREATE SCHEMA IF NOT EXISTS ${quoteIdent(schema)}`);
    } finally {
      await client.end();
    }
  }
  const newPool = (config: pg.PoolConfig) => {
    // Statements sent again and again are prepared under a name on each connection (prepared.ts).
    const p = new pg.Pool({
      connectionString: database.url,
      // An hour at most per connection: what it holds prepared (at most PER_CONNECTION) follows what is hot.
      ...(database.prepare === false ? {} : { Client: PreparingClient, maxLifetimeSeconds: 3600 }),
      ...config,
    });
    // A pool's client is a pg.Client (its type, PoolClient, leaves out the connection).
    p.on('connect', (c) => coalesceWrites((c as unknown as pg.Client).connection.stream));
    if (schema) p.on('connect', (c) => void c.query(`SET search_path TO ${quoteIdent(schema)}`));
    return p;
  };
  // Pipeline mode: a query sent while another awaits its answer goes out at once (pipeline.ts).
  // `*` spelled out as the columns, so those statements can be named too (expand-star.ts).
  const stars = new StarExpander();
  const db = new Kysely<Database>({
    dialect: new PostgresDialect({ pool: newPool({ max: 10, pipeline: true }) }),
    plugins: database.prepare === false ? [] : [stars],
  });
  const schemaChanged = async () => {
    if (database.prepare !== false) await loadStarColumns(db as unknown as Kysely<unknown>, stars);
  };
  // A server not up yet leaves every `*` as it is until the next migration reads the columns.
  await schemaChanged().catch(() => {});
  // Cursors (pg-cursor, rows.ts) keep a portal open across round trips, which pipeline mode refuses: their own pool.
  const pool = newPool({ max: 2 });
  const chainReads: ((tx: Db) => void)[] = [];
  /** Sends `statement` (which takes the chain lock), then the reads that wait on the lock right behind it. */
  const sendLock = (tx: Db, statement: RawBuilder<unknown>): Promise<unknown> => {
    const locked = sendRead(tx, raw(tx, statement));
    transactionMemo(tx)?.set(CHAIN_LOCKED, true);
    for (const read of chainReads) read(tx);
    return locked;
  };
  const takeChainLock = sql`select pg_advisory_xact_lock(727001)`;
  // Once per transaction: the lock is held until it ends, a second request would be a wasted round trip.
  const lockChain = async (tx: Db) => {
    if (transactionMemo(tx)?.has(CHAIN_LOCKED)) return;
    await sendLock(tx, takeChainLock);
  };
  return {
    db,
    dialect: 'postgres',
    pool,
    schema,
    // Every write transaction takes the chain lock first: writers commit one at a time, in the order
    // their audit entries are chained, and no lock-order deadlock can arise between them. BEGIN, the
    // settings, the lock and the reads behind it go out together (pipeline.ts): one round trip; so do
    // the last writes and COMMIT.
    transaction: async (fn, opts) => {
      const hooks: (() => void)[] = [];
      const result = await db.connection().execute(async (conn) => {
        await openPipe(conn);
        await sendWrite(conn, raw(conn, sql`begin`));
        try {
          return await collectingHooks(
            conn,
            hooks,
            async (t) => {
              const relaxed = commitsRelaxed(opts?.durability);
              const audited = opts?.audited !== false;
              // The lock is not awaited: `fn`'s first statements go out right behind it (the server runs
              // them once it holds the lock), so they share its round trip. A failure to take it fails the
              // transaction with its own error (pipeline.ts).
              if (relaxed && audited)
                void sendLock(
                  t,
                  sql`select set_config('synchronous_commit', 'off', true), pg_advisory_xact_lock(727001)`,
                );
              else if (relaxed) await sendWrite(t, raw(t, sql`set local synchronous_commit = off`));
              else if (audited) void sendLock(t, takeChainLock);
              return fn(t);
            },
            // COMMIT rides with the last writes. An aborted transaction answers it with ROLLBACK.
            async () => {
              const [r] = await sendRead(conn, raw(conn, sql<{ command?: string }>`commit`));
              if (r?.command === 'ROLLBACK') throw new Error('the transaction was aborted and rolled back');
            },
          );
        } catch (error) {
          await sql`rollback`.execute(conn);
          throw error;
        }
      });
      for (const hook of hooks) hook();
      return result;
    },
    onChainLock: (read) => {
      chainReads.push(read);
    },
    lockChain,
    ping: pinger(db),
    schemaChanged,
    close: async () => {
      await db.destroy();
      await pool.end();
    },
  };
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
