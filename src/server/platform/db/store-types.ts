/** What a store is, on either dialect (connect.ts opens one). */
import type BetterSqlite3 from 'better-sqlite3';
import type pg from 'pg';
import type { Db } from './types.js';

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
