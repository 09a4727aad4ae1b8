/**
 * The PostgreSQL store (the at-scale mode): pooled connections that pipeline (pipeline.ts), name the
 * statements they send again and again (prepared.ts, expand-star.ts), and take the audit chain's lock in
 * every audited write transaction. `openStore` (connect.ts) loads this file only for a PostgreSQL
 * database, so the embedded mode never loads node-postgres.
 */
import { Kysely, PostgresDialect, type RawBuilder, sql } from 'kysely';
import pg from 'pg';
import type { Config } from '../config.js';
import { coalesceWrites } from './coalesce-writes.js';
import { loadStarColumns, StarExpander } from './expand-star.js';
import { openPipe, raw, sendRead, sendWrite } from './pipeline.js';
import { PreparingClient } from './prepared.js';
import { commitsRelaxed } from './relaxed-scope.js';
import { collectingHooks, pinger, transactionMemo } from './store-hooks.js';
import type { Store } from './store-types.js';
import type { Database, Db } from './types.js';

// int8 (bigint) columns hold epoch ms and counts: read them as numbers, not strings.
pg.types.setTypeParser(20, (v) => Number.parseInt(v, 10));

const CHAIN_LOCKED = Symbol('chain locked');

function quoteIdent(name: string): string {
  if (!/^[A-Za-z_][A-Za-z0-9_]{0,62}$/.test(name)) throw new Error(`invalid schema name: ${name}`);
  return `"${name}"`;
}

/** Opens the PostgreSQL store `database` names (creating its `?schema=` if missing; does not migrate). */
export async function openPostgres(database: Extract<Config['database'], { kind: 'postgres' }>): Promise<Store> {
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
    if (database.prepare !== false) await loadStarColumns(db, stars);
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
