/**
 * The data of the `scope` case, generated inside the database by one INSERT ... SELECT per slice of
 * rows (nothing crosses the driver but the statement): SQLite counts with a recursive CTE, PostgreSQL
 * with generate_series on two connections at once. Both dialects compute the same integer hash of the
 * row number, so both stores hold the same rows and find the same affected customers.
 *
 * N customers `cus-<i>` / `C<i>` with one account `A<i>` each, in 8 branches and 5 tiers; M activity
 * rows over 30 days on 10 % more accounts than customers (those of no known customer), from a pool
 * of 2^20 addresses; 1 % of them a credential-stuffing burst from the 200 attacker addresses inside
 * the 2-hour window (97 % failed logins).
 */
import Database from 'better-sqlite3';
import pg from 'pg';

const DAY = 86_400_000;
export const END = Date.parse('2026-12-01T00:00:00Z');
export const WINDOW = { from: END - 10 * 3600_000, to: END - 8 * 3600_000 };
export const ATTACKERS = Array.from({ length: 200 }, (_, i) => `203.0.${113 + (i >> 8)}.${i & 255}`);
/** Rows per INSERT ... SELECT (one progress line each). */
const SLICE = 1_000_000;

// The activity table's indexes are dropped for the load and made again as the migrations defined them.

type Dialect = 'sqlite' | 'postgres';
const hex2 = (d: Dialect, x: string) => (d === 'sqlite' ? `printf('%02x', ${x})` : `lpad(to_hex(${x}), 2, '0')`);

/**
 * A 32-bit hash of the row number `i` for stream `k` (multiply, rotate 16, multiply; every product
 * stays below 2^63, so SQLite keeps integers and PostgreSQL's bigint never overflows).
 */
function hash(k: number): string {
  const m1 = [1103515245, 1664525245, 1812433253, 1566083941, 2013265921][k]!;
  const s = 12345 + k * 7919;
  const x = `((i * ${m1} + ${s}) % 4294967296)`;
  return `((((${x} >> 16) + (${x} % 65536) * 65536) * 1911520717) % 4294967296)`;
}

const CHOICES = (expr: string, values: readonly string[]) =>
  `CASE ${expr} ${values.map((v, j) => `WHEN ${j} THEN '${v}'`).join(' ')} END`;

function customersSql(d: Dialect, lo: number, hi: number, now: number): string[] {
  const series =
    d === 'sqlite'
      ? `WITH RECURSIVE s(i) AS (SELECT ${lo} UNION ALL SELECT i + 1 FROM s WHERE i < ${hi - 1})`
      : `WITH s(i) AS (SELECT generate_series(${lo}::bigint, ${hi - 1}::bigint))`;
  const branch = CHOICES('i % 8', [
    'Shanghai',
    'Beijing',
    'Shenzhen',
    'Guangzhou',
    'Hangzhou',
    'Chengdu',
    'Wuhan',
    'Nanjing',
  ]);
  const tier = CHOICES('i % 5', ['standard', 'standard', 'standard', 'gold', 'vip']);
  return [
    `${series} INSERT INTO customers (id, customer_no, name, pii_sealed, phone_masked, language, branch, tier, opt_outs, source, version, created_at, updated_at)
     SELECT 'cus-' || i, 'C' || i, '客户C' || i, '{}', '138****0000', 'zh-CN', ${branch}, ${tier}, '[]', 'demo', 1, ${now}, ${now} FROM s`,
    `${series} INSERT INTO customer_accounts (account_no, customer_id, created_at) SELECT 'A' || i, 'cus-' || i, ${now} FROM s`,
  ];
}

function activitySql(d: Dialect, lo: number, hi: number, customers: number): string {
  const accounts = Math.ceil(customers * 1.1);
  const series =
    d === 'sqlite'
      ? `WITH RECURSIVE s(i) AS (SELECT ${lo} UNION ALL SELECT i + 1 FROM s WHERE i < ${hi - 1})`
      : `WITH s(i) AS (SELECT generate_series(${lo}::bigint, ${hi - 1}::bigint))`;
  const h = `h AS (SELECT i, ${hash(0)} AS u0, ${hash(1)} AS u1, ${hash(2)} AS u2, ${hash(3)} AS u3, ${hash(4)} AS u4 FROM s)`;
  // burst: 1 %; n: the address of an ordinary row (10.x.y.z), a: the attacker of a burst row.
  const r = `r AS (SELECT i, u1, u2, ((u0 >> 8) % 100 = 0) AS burst, ((u3 >> 4) % 1048576) AS n, ((u3 >> 8) % 200) AS a, (u4 >> 8) AS v FROM h)`;
  const ip = `CASE WHEN burst THEN '203.0.' || (113 + (a >> 8)) || '.' || (a % 256)
    ELSE '10.' || (n >> 12) || '.' || ((n >> 4) % 256) || '.' || (n % 16) END`;
  const ipKey = `CASE WHEN burst THEN 'cb00' || ${hex2(d, '113 + (a >> 8)')} || ${hex2(d, 'a % 256')}
    ELSE '0a' || ${hex2(d, 'n >> 12')} || ${hex2(d, '(n >> 4) % 256')} || ${hex2(d, 'n % 16')} END`;
  const at = `CASE WHEN burst THEN ${WINDOW.from} + (u2 % ${WINDOW.to - WINDOW.from}) ELSE ${END} - (u2 % ${30 * DAY}) END`;
  const action = `CASE WHEN burst THEN 'login' ELSE ${CHOICES('v % 7', ['login', 'login', 'login', 'order', 'order', 'transfer', 'other'])} END`;
  const outcome = `CASE WHEN burst THEN (CASE WHEN v % 100 < 97 THEN 'failure' ELSE 'success' END)
    ELSE (CASE WHEN v % 10 < 9 THEN 'success' ELSE 'failure' END) END`;
  return `${series}, ${h}, ${r}
    INSERT INTO account_activity (at, account_no, customer_no, ip, ip_key, device, action, outcome, source, event_ref)
    SELECT ${at}, 'A' || ((u1 >> 4) % ${accounts}), NULL, ${ip}, ${ipKey}, NULL, ${action}, ${outcome}, 'bench', 'e' || i FROM r`;
}

const slices = (total: number, size: number) =>
  Array.from({ length: Math.ceil(total / size) }, (_, j) => [j * size, Math.min(total, (j + 1) * size)] as const);

const log = (msg: string) => process.stderr.write(`[bench:notify] ${msg}\n`);

/** Loads a migrated, empty SQLite database file. */
export function loadSqlite(file: string, customers: number, rows: number): void {
  const db = new Database(file);
  db.pragma('journal_mode = OFF');
  db.pragma('synchronous = OFF');
  db.pragma('cache_size = -262144');
  const indexes = db
    .prepare(
      "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'account_activity' AND sql IS NOT NULL",
    )
    .all() as { name: string; sql: string }[];
  for (const { name } of indexes) db.exec(`DROP INDEX ${name}`);
  const now = Date.now();
  const t0 = performance.now();
  for (const [lo, hi] of slices(customers, SLICE))
    db.transaction(() => {
      for (const q of customersSql('sqlite', lo, hi, now)) db.exec(q);
    })();
  log(`sqlite: ${customers} customers in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  for (const [lo, hi] of slices(rows, SLICE)) {
    db.exec(activitySql('sqlite', lo, hi, customers));
    log(`sqlite: ${hi} of ${rows} activity rows, ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  }
  for (const { name, sql } of indexes) {
    db.exec(sql);
    log(`sqlite: index ${name}, ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  }
  db.exec('ANALYZE');
  db.pragma('journal_mode = WAL');
  db.close();
}

/** Loads a migrated, empty PostgreSQL schema; marks it ready (table bench_scope_ready) at the end. */
export async function loadPostgres(url: string, schema: string, customers: number, rows: number): Promise<void> {
  const connect = async () => {
    const c = new pg.Client({ connectionString: url });
    await c.connect();
    await c.query(`SET search_path TO "${schema}"`);
    await c.query('SET synchronous_commit = off');
    await c.query("SET maintenance_work_mem = '512MB'");
    return c;
  };
  const clients = [await connect(), await connect()];
  const t0 = performance.now();
  const since = () => ((performance.now() - t0) / 1000).toFixed(1);
  try {
    const main = clients[0]!;
    const indexes = (
      await main.query<{ indexname: string; indexdef: string }>(
        "SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = $1 AND tablename = 'account_activity'",
        [schema],
      )
    ).rows;
    for (const { indexname } of indexes) await main.query(`DROP INDEX "${indexname}"`);
    const now = Date.now();
    for (const [lo, hi] of slices(customers, SLICE))
      for (const q of customersSql('postgres', lo, hi, now)) await main.query(q);
    log(`postgres: ${customers} customers in ${since()} s`);
    // Two connections take slices of activity in turn (the machine's two cores).
    const todo = slices(rows, SLICE);
    let done = 0;
    await Promise.all(
      clients.map(async (c) => {
        for (let next = todo.shift(); next; next = todo.shift()) {
          await c.query(activitySql('postgres', next[0], next[1], customers));
          done += next[1] - next[0];
          log(`postgres: ${done} of ${rows} activity rows, ${since()} s`);
        }
      }),
    );
    await Promise.all(
      indexes.map(async ({ indexname, indexdef }, j) => {
        await clients[j % 2]!.query(indexdef);
        log(`postgres: index ${indexname}, ${since()} s`);
      }),
    );
    // What autovacuum does to a table at rest: the visibility map lets the covering indexes answer alone
    // (the activity's by address, the accounts' key with its customer id).
    await main.query('VACUUM ANALYZE account_activity');
    await main.query('VACUUM ANALYZE customer_accounts');
    await main.query('ANALYZE customers');
    await main.query('CREATE TABLE bench_scope_ready (at bigint)');
  } finally {
    await Promise.all(clients.map((c) => c.end()));
  }
}
