/**
 * bench:notify — the `scope` case (issue 12, "Impact scoping"): an affected-customer set made from 200
 * IP addresses in a 2-hour window over the account-activity index (target: < 5 s at 5 M customers and
 * 50 M activity rows). Prints one JSON line per store:
 *   {"case":"scope","store","customers","activity_rows","affected","elapsed_s"}
 * `elapsed_s` is the median of three `POST .../affected-sets` through the service (evaluation in SQL,
 * the members written, the incident's figure updated).
 *
 * Data (deterministic): N customers with one account each, and 10 % more accounts of no known customer;
 * M activity rows over 30 days from a pool of 2^20 addresses, 1 % of them a credential-stuffing burst
 * from the 200 addresses asked for, inside the 2-hour window. Generated once per size and kept under
 * .tmp/bench-scope/ (SQLite: a data folder; PostgreSQL: schema bench_scope_<N>_<M>), reused when present.
 * Loading: SQLite in one transaction with one prepared statement, indexes built afterwards; PostgreSQL
 * with multi-row INSERT ... SELECT FROM unnest(...) of 20,000 rows, indexes built afterwards.
 *
 *   npm run bench:notify -- --customers 50000 --rows 500000 [--pg]
 * PostgreSQL runs when --pg is given or TOCSIN_TEST_DATABASE_URL is set (TOCSIN_BENCH_DATABASE_URL wins).
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import pg from 'pg';
import { compose, type Services } from '../src/server/compose.js';
import type { Principal } from '../src/server/modules/auth/index.js';
import { loadConfig } from '../src/server/platform/config.js';

const ROOT = path.resolve(fileURLToPath(new URL('..', import.meta.url)));
const argv = process.argv.slice(2);
const flag = (name: string) => argv.includes(`--${name}`);
const num = (name: string, dflt: number) => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? Number(argv[i + 1]) : dflt;
};
const CUSTOMERS = num('customers', 5_000_000);
const ROWS = num('rows', 50_000_000);
const PG_URL = process.env.TOCSIN_BENCH_DATABASE_URL ?? process.env.TOCSIN_TEST_DATABASE_URL;
const USE_PG = flag('pg') || !!PG_URL;
const CACHE = path.join(ROOT, '.tmp/bench-scope');

const DAY = 86_400_000;
const END = Date.parse('2026-12-01T00:00:00Z');
const WINDOW = { from: END - 10 * 3600_000, to: END - 8 * 3600_000 };
const ATTACKERS = Array.from({ length: 200 }, (_, i) => `203.0.${113 + (i >> 8)}.${i & 255}`);
const BRANCHES = ['Shanghai', 'Beijing', 'Shenzhen', 'Guangzhou', 'Hangzhou', 'Chengdu', 'Wuhan', 'Nanjing'];
const TIERS = ['standard', 'standard', 'standard', 'gold', 'vip'];
const ACTIONS = ['login', 'login', 'login', 'order', 'order', 'transfer', 'other'];

/** mulberry32: the same data for the same sizes. */
function rng(seed: number) {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const hex2 = (n: number) => n.toString(16).padStart(2, '0');
const ipKeyOf = (ip: string) =>
  ip
    .split('.')
    .map((p) => hex2(Number(p)))
    .join('');

type ActivityTuple = [number, string, string | null, string, string, string | null, string, string, string, string];

interface BenchCustomer {
  id: string;
  no: string;
  branch: string;
  tier: string;
  account: string;
}

/** Customers (no, name, branch, tier, account) and activity rows, generated in slices. */
function* customers(): Generator<BenchCustomer> {
  for (let i = 0; i < CUSTOMERS; i++)
    yield {
      id: `cus-${i}`,
      no: `C${i}`,
      branch: BRANCHES[i % BRANCHES.length]!,
      tier: TIERS[i % TIERS.length]!,
      account: `A${i}`,
    };
}
function* activity(): Generator<ActivityTuple> {
  const r = rng(12);
  const accounts = Math.ceil(CUSTOMERS * 1.1);
  for (let i = 0; i < ROWS; i++) {
    const burst = r() < 0.01;
    const acct = `A${Math.floor(r() * accounts)}`;
    const at = burst ? WINDOW.from + Math.floor(r() * (WINDOW.to - WINDOW.from)) : END - Math.floor(r() * 30 * DAY);
    const n = Math.floor(r() * 1_048_576);
    const ip = burst ? ATTACKERS[Math.floor(r() * ATTACKERS.length)]! : `10.${n >> 12}.${(n >> 4) & 255}.${n & 15}`;
    const action = burst ? 'login' : ACTIONS[Math.floor(r() * ACTIONS.length)]!;
    const outcome = burst ? (r() < 0.97 ? 'failure' : 'success') : r() < 0.9 ? 'success' : 'failure';
    yield [at, acct, null, ip, ipKeyOf(ip), null, action, outcome, 'bench', `e${i}`];
  }
}

/** The activity table's indexes are dropped for the load and made again as the migrations defined them. */

async function composeOn(env: Record<string, string>): Promise<Services> {
  return compose(loadConfig({ ...env, TOCSIN_LOG_LEVEL: 'silent' }), { sink: () => {} });
}

function loadSqlite(file: string): void {
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = OFF');
  const indexes = db
    .prepare(
      "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'account_activity' AND sql IS NOT NULL",
    )
    .all() as { name: string; sql: string }[];
  for (const { name } of indexes) db.exec(`DROP INDEX ${name}`);
  const now = Date.now();
  const insC = db.prepare(
    `INSERT INTO customers (id, customer_no, name, pii_sealed, phone_masked, language, branch, tier, opt_outs, source, version, created_at, updated_at)
     VALUES (?, ?, ?, '{}', ?, 'zh-CN', ?, ?, '[]', 'demo', 1, ?, ?)`,
  );
  const insA = db.prepare('INSERT INTO customer_accounts (account_no, customer_id, created_at) VALUES (?, ?, ?)');
  const insR = db.prepare(
    `INSERT INTO account_activity (at, account_no, customer_no, ip, ip_key, device, action, outcome, source, event_ref)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  db.transaction(() => {
    for (const c of customers()) {
      insC.run(c.id, c.no, `客户${c.no}`, '138****0000', c.branch, c.tier, now, now);
      insA.run(c.account, c.id, now);
    }
    let n = 0;
    for (const row of activity()) {
      insR.run(...row);
      if (++n % 1_000_000 === 0) process.stderr.write(`sqlite: ${n} rows\n`);
    }
  })();
  for (const { sql } of indexes) db.exec(sql);
  db.exec('ANALYZE');
  db.close();
}

async function loadPostgres(url: string, schema: string): Promise<void> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    await c.query(`SET search_path TO "${schema}"`);
    const indexes = (
      await c.query<{ indexname: string; indexdef: string }>(
        "SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = $1 AND tablename = 'account_activity'",
        [schema],
      )
    ).rows;
    for (const { indexname } of indexes) await c.query(`DROP INDEX "${indexname}"`);
    const now = Date.now();
    const CHUNK = 20_000;
    let cs: BenchCustomer[] = [];
    const flushC = async () => {
      if (!cs.length) return;
      await c.query(
        `INSERT INTO customers (id, customer_no, name, pii_sealed, phone_masked, language, branch, tier, opt_outs, source, version, created_at, updated_at)
         SELECT id, no, '客户' || no, '{}', '138****0000', 'zh-CN', b, t, '[]', 'demo', 1, $5, $5
         FROM unnest($1::text[], $2::text[], $3::text[], $4::text[]) AS x(id, no, b, t)`,
        [cs.map((x) => x.id), cs.map((x) => x.no), cs.map((x) => x.branch), cs.map((x) => x.tier), now],
      );
      await c.query(
        `INSERT INTO customer_accounts (account_no, customer_id, created_at) SELECT a, id, $3 FROM unnest($1::text[], $2::text[]) AS x(a, id)`,
        [cs.map((x) => x.account), cs.map((x) => x.id), now],
      );
      cs = [];
    };
    await c.query('BEGIN');
    for (const x of customers()) {
      cs.push(x);
      if (cs.length >= CHUNK) await flushC();
    }
    await flushC();
    let rows: ActivityTuple[] = [];
    let n = 0;
    const flushR = async () => {
      if (!rows.length) return;
      const col = (i: number) => rows.map((r) => r[i]);
      await c.query(
        `INSERT INTO account_activity (at, account_no, customer_no, ip, ip_key, device, action, outcome, source, event_ref)
         SELECT * FROM unnest($1::bigint[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[], $10::text[])`,
        [col(0), col(1), col(2), col(3), col(4), col(5), col(6), col(7), col(8), col(9)],
      );
      n += rows.length;
      if (n % 1_000_000 < CHUNK) process.stderr.write(`postgres: ${n} rows\n`);
      rows = [];
    };
    for (const r of activity()) {
      rows.push(r);
      if (rows.length >= CHUNK) await flushR();
    }
    await flushR();
    await c.query('COMMIT');
    for (const { indexdef } of indexes) await c.query(indexdef);
    // What autovacuum does to a table at rest: the visibility map lets the covering index answer alone.
    await c.query('VACUUM ANALYZE account_activity');
    await c.query('ANALYZE customers, customer_accounts');
    await c.query('CREATE TABLE bench_scope_ready (at bigint)');
  } finally {
    await c.end();
  }
}

async function pgSchemaReady(url: string, schema: string): Promise<boolean> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    const r = await c.query('SELECT 1 FROM information_schema.tables WHERE table_schema = $1 AND table_name = $2', [
      schema,
      'bench_scope_ready',
    ]);
    if (r.rowCount) return true;
    await c.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    return false;
  } finally {
    await c.end();
  }
}

/** Three sets from the query; the median time and the members of the last. */
async function measure(s: Services): Promise<{ affected: number; elapsed: number }> {
  const email = `bench-${Date.now()}@bench.example`;
  const user = await s.users.create(
    { id: null, label: 'bench' },
    {
      email,
      name: 'Bench',
      role: 'incident_commander',
      password: 'bench-password-0123',
    },
  );
  const p: Principal = { user, via: 'cli', scopes: null, restrictedTo: null };
  const { key } = await s.incidents.create(p, {
    title: 'Credential stuffing (bench)',
    summary: 'Benchmark incident: a credential-stuffing burst on the trading login.',
    category: 'network_attack',
    grade: 'III',
    services: [],
    tags: ['bench'],
    restricted: false,
  });
  const times: number[] = [];
  let affected = 0;
  for (let i = 0; i < 3; i++) {
    const t0 = performance.now();
    const set = await s.scoping.sets.create(p, key, {
      name: `bench ${i}`,
      primary: false,
      definition: {
        combine: 'union',
        sources: [{ kind: 'activity', ips: ATTACKERS, from: WINDOW.from, to: WINDOW.to }],
      },
    });
    times.push((performance.now() - t0) / 1000);
    affected = set.customerCount;
  }
  times.sort((a, b) => a - b);
  return { affected, elapsed: Number(times[1]!.toFixed(3)) };
}

const line = (store: string, r: { affected: number; elapsed: number }) =>
  process.stdout.write(
    `${JSON.stringify({ case: 'scope', store, customers: CUSTOMERS, activity_rows: ROWS, affected: r.affected, elapsed_s: r.elapsed })}\n`,
  );

async function main() {
  const dir = path.join(CACHE, `sqlite-${CUSTOMERS}-${ROWS}`);
  const ready = path.join(dir, 'ready');
  if (!fs.existsSync(ready)) {
    fs.rmSync(dir, { recursive: true, force: true });
    fs.mkdirSync(dir, { recursive: true });
    const t0 = performance.now();
    await (await composeOn({ TOCSIN_DATA_DIR: dir })).close(); // migrated
    loadSqlite(path.join(dir, 'tocsin.db'));
    fs.writeFileSync(ready, '');
    process.stderr.write(`sqlite: generated in ${((performance.now() - t0) / 1000).toFixed(1)} s\n`);
  }
  const sq = await composeOn({ TOCSIN_DATA_DIR: dir });
  try {
    line('sqlite', await measure(sq));
  } finally {
    await sq.close();
  }

  if (!USE_PG) return;
  if (!PG_URL) throw new Error('--pg needs TOCSIN_BENCH_DATABASE_URL or TOCSIN_TEST_DATABASE_URL');
  const schema = `bench_scope_${CUSTOMERS}_${ROWS}`;
  const u = new URL(PG_URL);
  u.searchParams.set('schema', schema);
  const env = { TOCSIN_DATABASE_URL: u.toString(), TOCSIN_DATA_DIR: dir };
  if (!(await pgSchemaReady(PG_URL, schema))) {
    const t0 = performance.now();
    await (await composeOn(env)).close(); // schema made and migrated
    await loadPostgres(PG_URL, schema);
    process.stderr.write(`postgres: generated in ${((performance.now() - t0) / 1000).toFixed(1)} s\n`);
  }
  const ps = await composeOn(env);
  try {
    line('postgres', await measure(ps));
  } finally {
    await ps.close();
  }
}

await main();
