/** Test stores: a fresh SQLite file always, and a fresh PostgreSQL schema when TOCSIN_TEST_DATABASE_URL is set. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { inject } from 'vitest';
import { loadConfig, type Config } from '../../src/server/platform/config.js';
import { migrate, openStore, type Store } from '../../src/server/platform/db/connect.js';
import type { Database } from '../../src/server/platform/db/types.js';
import { migrations } from '../../migrations/index.js';

/**
 * What test/global-setup.ts provided to this vitest run; null outside vitest (bench:detect and
 * bench:cluster use these helpers too, and then migrate stores as a new user's server would).
 */
const provided = <K extends 'pgWorkerDatabasePrefix' | 'sqliteTemplate'>(key: K) =>
  process.env.VITEST ? inject(key) : null;

/**
 * The PostgreSQL database of this vitest worker (test/global-setup.ts made it for this run), on the
 * server TOCSIN_TEST_DATABASE_URL names; that database itself when there is none.
 */
function workerPgUrl(url: string | undefined): string | undefined {
  const prefix = url ? provided('pgWorkerDatabasePrefix') : null;
  if (!url || !prefix) return url;
  const u = new URL(url);
  u.pathname = `/${prefix}_w${process.env.VITEST_POOL_ID ?? '1'}`;
  return u.toString();
}

export const PG_URL = workerPgUrl(process.env.TOCSIN_TEST_DATABASE_URL);

/** The store kinds repository tests run on: sqlite always, postgres when configured. */
export const STORE_KINDS: ('sqlite' | 'postgres')[] = PG_URL ? ['sqlite', 'postgres'] : ['sqlite'];

if (!PG_URL && process.env.CI) {
  throw new Error('CI must set TOCSIN_TEST_DATABASE_URL so the suite runs on PostgreSQL too');
}
if (!PG_URL && !process.env.TOCSIN_QUIET_SKIPS) {
  process.env.TOCSIN_QUIET_SKIPS = '1';
  console.warn('[tocsin tests] TOCSIN_TEST_DATABASE_URL is not set: PostgreSQL store tests are skipped (SQLite only).');
}

/**
 * Migrated PostgreSQL schemas that tests of this process gave back, wiped, for the next `testConfig(…,
 * { migrated: true })`: migrating a new schema takes PostgreSQL about a second (136 tables, 294 indexes)
 * and dropping it another 0.2-0.5 s, where deleting the few rows a test left takes ~20 ms. Only where this
 * run has its own worker databases (test/global-setup.ts drops them, with what is pooled, at the end):
 * pooled schemas are never left in a developer's own database.
 */
const pgSchemaPool: string[] = [];
let pgSchemaPooling = Boolean(PG_URL && provided('pgWorkerDatabasePrefix'));

/** A pristine migrated schema of this process's (its tables, their columns, and the rows the migrations seed). */
let pristine: Promise<{ schema: string; tables: string[]; columns: string; seeded: string[] }> | null = null;

/** Every column of every table of `schema` with its type, in order, as one string (to compare shapes). */
async function columnsOf(c: pg.Client, schema: string): Promise<string> {
  const r = await c.query<{ columns: string[] }>(
    `select coalesce(array_agg(c.relname || '.' || a.attname || ':' || format_type(a.atttypid, a.atttypmod)
       order by c.relname, a.attnum), array[]::text[]) as columns
     from pg_attribute a join pg_class c on c.oid = a.attrelid join pg_namespace n on n.oid = c.relnamespace
     where n.nspname = $1 and c.relkind = 'r' and a.attnum > 0 and not a.attisdropped`,
    [schema],
  );
  return r.rows[0]!.columns.join();
}

async function pristineSchema(): Promise<{ schema: string; tables: string[]; columns: string; seeded: string[] }> {
  const schema = `t_pristine_${process.pid}`;
  const url = new URL(PG_URL!);
  url.searchParams.set('schema', schema);
  const store = await openStore(loadConfig({ TOCSIN_DATABASE_URL: url.toString() }).database);
  try {
    await migrate(store);
  } finally {
    await store.close();
  }
  const c = new pg.Client({ connectionString: PG_URL });
  await c.connect();
  try {
    const tables = (
      await c.query<{ t: string }>('select tablename as t from pg_tables where schemaname = $1 order by 1', [schema])
    ).rows.map((r) => r.t);
    const counts = await c.query<{ t: string; n: string }>(
      tables.map((t) => `select '${t}' as t, count(*) as n from "${schema}"."${t}"`).join(' union all '),
    );
    const seeded = counts.rows.filter((r) => Number(r.n) > 0 && !r.t.startsWith('kysely_')).map((r) => r.t);
    return { schema, tables, columns: await columnsOf(c, schema), seeded };
  } finally {
    await c.end();
  }
}

/**
 * Puts `schema` back as a fresh store would be (no rows but what the migrations seed) and in the pool;
 * false (drop it instead) when the test changed its shape (tables, columns, migrations) or it was never
 * migrated.
 */
async function wipeForReuse(c: pg.Client, schema: string): Promise<boolean> {
  try {
    pristine ??= pristineSchema();
    const ref = await pristine;
    // Its tables and their columns as a fresh store has them: a test that added a column (prepared.test.ts,
    // expand-star.test.ts) or a table leaves a schema no fresh store has.
    if ((await columnsOf(c, schema)) !== ref.columns) return false;
    const applied = await c.query<{ n: string }>(`select count(*) as n from "${schema}".kysely_migration`);
    if (Number(applied.rows[0]!.n) !== Object.keys(migrations).length) return false;
    const q = (t: string) => `"${schema}"."${t}"`;
    // Triggers and foreign keys off for the wipe (replica role): every row goes, in any order.
    await c.query(
      [
        'begin',
        'set local session_replication_role = replica',
        ...ref.tables.filter((t) => !t.startsWith('kysely_')).map((t) => `delete from ${q(t)}`),
        ...ref.seeded.map((t) => `insert into ${q(t)} select * from "${ref.schema}"."${t}"`),
        'commit',
      ].join(';\n'),
    );
    pgSchemaPool.push(schema);
    return true;
  } catch (err) {
    // Not a superuser (session_replication_role), or anything else: new schemas from now on.
    await c.query('rollback').catch(() => {});
    pgSchemaPooling = false;
    console.warn(`[tocsin tests] PostgreSQL schemas are not reused: ${(err as Error).message}`);
    return false;
  }
}

/** How many rows `table` holds (for "stores nothing" and "appends an entry" checks). */
export async function countRows(store: Store, table: keyof Database): Promise<number> {
  const row = await store.db
    .selectFrom(table)
    .select((eb) => eb.fn.countAll().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export const tempDir = (prefix = 'tocsin-test-') => fs.mkdtempSync(path.join(os.tmpdir(), prefix));

/**
 * A configuration on a brand-new store of `kind`; drop() removes it afterwards. `migrated`: a SQLite
 * store starts as a copy of one every migration ran on (test/global-setup.ts), for the callers that
 * migrate it anyway (compose); a PostgreSQL one is a migrated schema an earlier test of this process
 * gave back, wiped (pgSchemaPool), or else a new one the caller's migration fills.
 */
export function testConfig(
  kind: 'sqlite' | 'postgres' = 'sqlite',
  env: Record<string, string> = {},
  opts: { migrated?: boolean } = {},
): { config: Config; drop: () => Promise<void> } {
  const dir = tempDir();
  // The engine on the event loop, unless a test asks for the worker thread (the production default;
  // test/api/detection-worker.test.ts and the CLI tests run it).
  const base: Record<string, string> = {
    TOCSIN_DATA_DIR: dir,
    TOCSIN_PORT: '0',
    TOCSIN_LOG_LEVEL: 'silent',
    TOCSIN_DETECTION_THREAD: 'main',
    ...env,
  };
  if (kind === 'postgres') {
    if (!PG_URL) throw new Error('TOCSIN_TEST_DATABASE_URL is not set');
    const pooled = opts.migrated === true && pgSchemaPooling;
    const schema = (pooled && pgSchemaPool.pop()) || `t_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`;
    const url = new URL(PG_URL);
    url.searchParams.set('schema', schema);
    base.TOCSIN_DATABASE_URL = url.toString();
    return {
      config: loadConfig(base),
      drop: async () => {
        const c = new pg.Client({ connectionString: PG_URL });
        await c.connect();
        try {
          if (!(pooled && (await wipeForReuse(c, schema)))) await c.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
        } finally {
          await c.end();
        }
        fs.rmSync(dir, { recursive: true, force: true });
      },
    };
  }
  const config = loadConfig(base);
  const template = opts.migrated && config.database.kind === 'sqlite' ? provided('sqliteTemplate') : null;
  if (template && config.database.kind === 'sqlite') {
    fs.mkdirSync(path.dirname(config.database.file), { recursive: true });
    if (!fs.existsSync(config.database.file)) fs.copyFileSync(template, config.database.file);
  }
  return { config, drop: async () => fs.rmSync(dir, { recursive: true, force: true }) };
}

/**
 * Runs `fn` on a brand-new, migrated store of `kind` (closed and dropped afterwards); `database`
 * overrides the store's settings (e.g. `{ prepare: false }` on PostgreSQL).
 */
export async function withMigratedStore(
  kind: 'sqlite' | 'postgres',
  fn: (store: Store) => Promise<void>,
  database: { prepare?: false } = {},
): Promise<void> {
  const { config, drop } = testConfig(kind, {}, { migrated: true });
  const store = await openStore({ ...config.database, ...database });
  try {
    await migrate(store);
    await fn(store);
  } finally {
    await store.close();
    await drop();
  }
}
