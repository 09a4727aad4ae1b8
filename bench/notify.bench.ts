/**
 * bench:notify — issue 12, "Speed", all JSON lines on stdout (progress on stderr):
 *   {"case":"scope","store","customers","activity_rows","affected","elapsed_s"}
 *     an affected-customer set from 200 IP addresses in a 2-hour window over the account-activity index
 *     (target < 5 s at 5 M customers and 50 M activity rows, goal < 2 s); `elapsed_s` is the median of
 *     three `POST .../affected-sets` through the service (evaluation in SQL, members written, the
 *     incident's figure updated). Data: notify-scope-data.ts.
 *   {"case":"campaign_fanout","store","messages","elapsed_s","per_s"}
 *     1 M personalised messages rendered and enqueued (target < 60 s, goal < 15 s);
 *   {"case":"campaign_delivery","store","messages","channel","elapsed_s","per_s"}
 *     the sender's rate to the SMTP stand-in (email) and the notify gateway stand-in (sms).
 *     Both in notify-campaign.ts.
 *
 *   npm run bench:notify -- [--customers 5000000] [--rows 50000000] [--messages 1000000] [--deliver 50000]
 *                           [--pg] [--only scope|campaign] [--store sqlite|postgres (the scope case on one store)]
 * Defaults are the sizes. Data sets are generated once per size and kept under .tmp/bench-scope/
 * and .tmp/bench-notify/ (SQLite) or in schemas bench_scope_<N>_<M> and bench_campaign_<N> (PostgreSQL).
 * PostgreSQL runs when --pg is given or TOCSIN_TEST_DATABASE_URL is set (TOCSIN_BENCH_DATABASE_URL wins).
 */
import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { compose, type Services } from '../src/server/compose.js';
import type { Principal } from '../src/server/modules/auth/index.js';
import { SCOPE_PHASES } from '../src/server/modules/scoping/index.js';
import { loadConfig } from '../src/server/platform/config.js';
import { runCampaignBench } from './notify-campaign.js';
import { ATTACKERS, loadPostgres, loadSqlite, WINDOW } from './notify-scope-data.js';

const ROOT = path.resolve(fileURLToPath(new URL('..', import.meta.url)));
const argv = process.argv.slice(2);
const flag = (name: string) => argv.includes(`--${name}`);
const opt = (name: string) => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? argv[i + 1] : undefined;
};
const num = (name: string, dflt: number) => {
  const v = opt(name);
  if (v === undefined) return dflt;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw new Error(`--${name} wants a positive whole number, not ${v}`);
  return n;
};
const CUSTOMERS = num('customers', 5_000_000);
const ROWS = num('rows', 50_000_000);
const MESSAGES = num('messages', 1_000_000);
const DELIVER = num('deliver', 50_000);
const ONLY = opt('only');
/** `sqlite` or `postgres`: the scope case on that store alone (a full-size data set takes minutes per store). */
const SCOPE_STORE = opt('store');
const PG_URL = process.env.TOCSIN_BENCH_DATABASE_URL ?? process.env.TOCSIN_TEST_DATABASE_URL ?? null;
const USE_PG = flag('pg') || !!PG_URL;
const CACHE = path.join(ROOT, '.tmp/bench-scope');
const log = (msg: string) => process.stderr.write(`[bench:notify] ${msg}\n`);

async function composeOn(env: Record<string, string>): Promise<Services> {
  return compose(loadConfig({ ...env, TOCSIN_LOG_LEVEL: 'silent' }), { sink: () => {} });
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

type Phases = Record<string, number>;
interface Measured {
  affected: number;
  elapsed: number;
  /** Seconds per phase of the median run (the service's SCOPE_PHASES channel). */
  phases: Phases;
}

/** Three sets from the query; the median time with its phases, and the members of the last. */
async function measure(s: Services): Promise<Measured> {
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
  const runs: { elapsed: number; phases: Phases }[] = [];
  let affected = 0;
  let phases: Phases = {};
  const onPhase = (m: unknown) => {
    const { phase, ms } = m as { phase: string; ms: number };
    phases[`${phase}_s`] = Number((ms / 1000).toFixed(3));
  };
  subscribe(SCOPE_PHASES, onPhase);
  for (let i = 0; i < 3; i++) {
    phases = {};
    const t0 = performance.now();
    const set = await s.scoping.sets.create(p, key, {
      name: `bench ${i}`,
      primary: false,
      definition: {
        combine: 'union',
        sources: [{ kind: 'activity', ips: ATTACKERS, from: WINDOW.from, to: WINDOW.to }],
      },
    });
    runs.push({ elapsed: (performance.now() - t0) / 1000, phases });
    affected = set.customerCount;
  }
  unsubscribe(SCOPE_PHASES, onPhase);
  runs.sort((a, b) => a.elapsed - b.elapsed);
  return { affected, elapsed: Number(runs[1]!.elapsed.toFixed(3)), phases: runs[1]!.phases };
}

const line = (store: string, r: Measured) =>
  process.stdout.write(
    `${JSON.stringify({ case: 'scope', store, customers: CUSTOMERS, activity_rows: ROWS, affected: r.affected, elapsed_s: r.elapsed, ...r.phases })}\n`,
  );

/** The scope case on SQLite, then on PostgreSQL when asked. */
async function scope(): Promise<void> {
  if (SCOPE_STORE !== undefined && SCOPE_STORE !== 'sqlite' && SCOPE_STORE !== 'postgres')
    throw new Error(`--store wants sqlite or postgres, not ${SCOPE_STORE}`);
  if (SCOPE_STORE !== 'postgres') await scopeSqlite();
  if (SCOPE_STORE !== 'sqlite') await scopePostgres();
}

/** The SQLite data set's folder (the PostgreSQL run keeps its data directory there too). */
const scopeDir = () => path.join(CACHE, `sqlite-v2-${CUSTOMERS}-${ROWS}`);

async function scopeSqlite(): Promise<void> {
  // v2: rows computed in SQL (notify-scope-data.ts); earlier caches hold other rows.
  const dir = scopeDir();
  const ready = path.join(dir, 'ready');
  if (!fs.existsSync(ready)) {
    fs.rmSync(dir, { recursive: true, force: true });
    fs.mkdirSync(dir, { recursive: true });
    const t0 = performance.now();
    await (await composeOn({ TOCSIN_DATA_DIR: dir })).close(); // migrated
    loadSqlite(path.join(dir, 'tocsin.db'), CUSTOMERS, ROWS);
    fs.writeFileSync(ready, '');
    log(`sqlite: scope data generated in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  }
  const sq = await composeOn({ TOCSIN_DATA_DIR: dir });
  try {
    line('sqlite', await measure(sq));
  } finally {
    await sq.close();
  }
}

async function scopePostgres(): Promise<void> {
  if (!USE_PG) return;
  if (!PG_URL) throw new Error('--pg needs TOCSIN_BENCH_DATABASE_URL or TOCSIN_TEST_DATABASE_URL');
  const schema = `bench_scope_v2_${CUSTOMERS}_${ROWS}`;
  const u = new URL(PG_URL);
  u.searchParams.set('schema', schema);
  const dir = scopeDir();
  fs.mkdirSync(dir, { recursive: true });
  const env = { TOCSIN_DATABASE_URL: u.toString(), TOCSIN_DATA_DIR: dir };
  if (!(await pgSchemaReady(PG_URL, schema))) {
    const t0 = performance.now();
    await (await composeOn(env)).close(); // schema made and migrated
    await loadPostgres(PG_URL, schema, CUSTOMERS, ROWS);
    log(`postgres: scope data generated in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  }
  const ps = await composeOn(env);
  try {
    line('postgres', await measure(ps));
  } finally {
    await ps.close();
  }
}

async function main() {
  if (ONLY !== undefined && ONLY !== 'scope' && ONLY !== 'campaign')
    throw new Error(`--only wants scope or campaign, not ${ONLY}`);
  if (ONLY !== 'campaign') await scope();
  if (ONLY === 'scope') return;
  const stores = USE_PG ? (['sqlite', 'postgres'] as const) : (['sqlite'] as const);
  for (const store of stores)
    await runCampaignBench({
      store,
      messages: MESSAGES,
      deliver: DELIVER,
      cacheDir: path.join(ROOT, '.tmp/bench-notify'),
      pgUrl: PG_URL,
    });
}

await main();
