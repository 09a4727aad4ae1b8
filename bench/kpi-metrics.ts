/**
 * bench:reports case `metrics` (issue 16, "Speed"): BENCH_KPI_INCIDENTS incidents (default 100,000) over
 * the last year with BENCH_KPI_TIMELINE timeline entries (default 1,000,000), and in proportion their
 * alerts (one each), public statements (30 %), customer campaigns (5 %, 10 messages each), regulator
 * clocks (20 %), inquiries (20 %, half of them rated) and action items (5 %), bulk-inserted
 * (platform/db/bulk.ts), the store settled (`settle`); then a snapshot of the year is taken once untimed
 * (`cold_ms`: it warms the caches and the JIT) and RUNS times timed: `elapsed_ms` is their median, `runs_ms`
 * each of them. One line per store: SQLite, and PostgreSQL when
 * TOCSIN_BENCH_DATABASE_URL (or TOCSIN_TEST_DATABASE_URL) is set.
 */
import type BetterSqlite3 from 'better-sqlite3';
import pg from 'pg';
import { compose } from '../src/server/compose.js';
import type { Principal } from '../src/server/modules/auth/index.js';
import { loadConfig } from '../src/server/platform/config.js';
import { type BulkColumn, bulkInsert } from '../src/server/platform/db/bulk.js';
import { postgresTarget, sqliteTarget, type Target } from './bench-targets.js';

const INCIDENTS = Number(process.env.BENCH_KPI_INCIDENTS ?? 100_000);
const TIMELINE = Number(process.env.BENCH_KPI_TIMELINE ?? 1_000_000);
/** Timed snapshots after the first (untimed) one; `elapsed_ms` is their median. */
const RUNS = 5;
const PG_URL = process.env.TOCSIN_BENCH_DATABASE_URL ?? process.env.TOCSIN_TEST_DATABASE_URL;
const MIN = 60_000;
const DAY = 86_400_000;

const cols = (spec: string): BulkColumn[] =>
  spec.split(' ').map((c) => {
    const [name, t] = c.split(':');
    return { name: name as string, pgType: t === 'b' ? 'bigint' : t === 'i' ? 'integer' : 'text' };
  });

/** A small deterministic generator (mulberry32). */
function rng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const TABLES = [
  'incidents',
  'incident_services',
  'timeline_entries',
  'alerts',
  'statements',
  'campaigns',
  'campaign_messages',
  'obligation_clocks',
  'customer_inquiries',
  'inquiry_feedback',
  'action_items',
];

/**
 * The store settled after the bulk load, as a firm's would be by the time someone reads a year of figures:
 * planner statistics and the visibility map as autovacuum would have them (the load also updates each
 * incident row about twice through the triggers of migration 0057: past autovacuum's threshold), and the
 * load's writes checkpointed (SQLite: the WAL folded back into the database; PostgreSQL: a CHECKPOINT), so
 * that the timed read does not share the machine with the background writer or autovacuum.
 */
async function settle(target: Target, sqlite: BetterSqlite3.Database | undefined) {
  if (target.store === 'sqlite') {
    sqlite?.exec('ANALYZE');
    sqlite?.pragma('wal_checkpoint(TRUNCATE)');
    return;
  }
  const u = new URL(target.env.TOCSIN_DATABASE_URL as string);
  const schema = u.searchParams.get('schema') as string;
  u.searchParams.delete('schema');
  const c = new pg.Client({ connectionString: u.toString() });
  await c.connect();
  try {
    for (const t of TABLES) await c.query(`VACUUM ANALYZE "${schema}".${t}`);
    await c.query('CHECKPOINT');
  } finally {
    await c.end();
  }
}

const GRADES = ['I', 'II', 'III', 'IV'];
const CATEGORIES = ['network_attack', 'data_security', 'equipment_failure', 'malicious_program', 'other'];

async function seedAndTime(target: Target): Promise<Record<string, unknown>> {
  const s = await compose(loadConfig({ ...target.env, TOCSIN_LOG_LEVEL: 'silent' }));
  try {
    const system = { id: null, label: 'bench' };
    const services = [];
    for (const key of ['online-trading', 'market-data', 'mobile-app'])
      services.push(await s.catalog.create(system, { key, nameZh: key, nameEn: key, description: 'bench' }));
    const user = await s.users.create(system, {
      email: 'bench@bench.example',
      name: 'Bench',
      role: 'admin',
      password: 'bench-password-0123',
    });
    const p: Principal = { user, via: 'cli', scopes: null, restrictedTo: null };
    const now = Date.now();
    const yearAgo = now - 365 * DAY;
    const r = rng(16);
    const store = s.store;

    // The rows are made and loaded in a scope of their own: none of them is alive while the snapshots are timed.
    const timelineEntries = await (async () => {
      const incidents: unknown[][] = [];
      const incidentServices: unknown[][] = [];
      const timeline: unknown[][] = [];
      const alerts: unknown[][] = [];
      const statements: unknown[][] = [];
      const campaigns: unknown[][] = [];
      const messages: unknown[][] = [];
      const clocks: unknown[][] = [];
      const inquiries: unknown[][] = [];
      const feedback: unknown[][] = [];
      const items: unknown[][] = [];
      const perIncident = Math.max(1, Math.floor(TIMELINE / Math.max(1, INCIDENTS)));
      for (let i = 0; i < INCIDENTS; i++) {
        const id = `bi${i}`;
        const detected = Math.floor(yearAgo + r() * (now - yearAgo - DAY));
        const ack = r() < 0.9 ? detected + Math.floor(r() * 60 * MIN) : null;
        const contained = ack !== null && r() < 0.8 ? ack + Math.floor(r() * 6 * 60 * MIN) : null;
        const recovered = contained !== null && r() < 0.8 ? contained + Math.floor(r() * 24 * 60 * MIN) : null;
        const fp = ack === null && r() < 0.3 ? detected + 10 * MIN : null;
        incidents.push([
          id,
          `BENCH-${i}`,
          `Bench incident ${i}`,
          '',
          CATEGORIES[i % 5],
          GRADES[i % 4],
          (i % 4) + 1,
          recovered ? 'recovered' : 'detected',
          i % 50 === 0 ? 1 : 0,
          '[]',
          r() < 0.3 ? Math.floor(r() * 5000) : null,
          0,
          detected,
          ack,
          contained,
          recovered,
          fp,
          detected,
          detected,
          1,
          perIncident,
          0,
        ]);
        incidentServices.push([id, (services[i % 3] as { id: string }).id]);
        for (let k = 0; k < perIncident; k++)
          timeline.push([`bt${i}-${k}`, id, k + 1, detected + k * MIN, 'note', `bench note ${k}`]);
        alerts.push([
          `ba${i}`,
          'bench-rule',
          'Bench rule',
          'high',
          2,
          'detection',
          '[]',
          '{}',
          '[]',
          `fp${i}`,
          1,
          1,
          0,
          detected - Math.floor(r() * 30 * MIN),
          detected,
          'acknowledged',
          'other',
          'IV',
          id,
          detected,
          detected,
        ]);
        if (i % 10 < 3)
          statements.push([
            `bs${i}`,
            id,
            'holding_statement',
            'outage',
            'published',
            1,
            '[]',
            '[]',
            detected,
            detected,
            detected + Math.floor(r() * 120 * MIN),
          ]);
        if (i % 20 === 0) {
          campaigns.push([
            `bc${i}`,
            id,
            `Bench ${i}`,
            `bs${i}`,
            '{}',
            '[]',
            1,
            0,
            '{}',
            '[]',
            'finished',
            1,
            10,
            detected,
            detected,
          ]);
          for (let m = 0; m < 10; m++)
            messages.push([
              `bm${i}-${m}`,
              `bc${i}`,
              `cust${(i * 10 + m) % 50_000}`,
              'sms',
              'zh',
              'notice',
              `bk${i}-${m}`,
              1,
              'sent',
              1,
              detected,
              detected,
              detected + (60 + m) * MIN,
              detected,
            ]);
        }
        if (i % 5 === 0) {
          const due = detected + 24 * 60 * MIN;
          const submitted = r() < 0.9 ? due - Math.floor((r() - 0.1) * 6 * 60 * MIN) : null;
          clocks.push([
            `bo${i}`,
            id,
            'cac-report',
            'initial',
            'yes',
            'bench',
            'bench',
            submitted ? 'met' : 'missed',
            detected,
            detected,
            due,
            submitted,
          ]);
          inquiries.push([
            `bq${i}`,
            `Q-${i}`,
            id,
            'portal',
            '',
            '',
            'zh',
            'bench?',
            '[]',
            'neutral',
            'answered',
            detected + DAY,
            `bd${i}`,
            1,
            detected + 30 * MIN,
            detected + 30 * MIN,
          ]);
          if (i % 10 === 0) feedback.push([`bq${i}`, 1 + Math.floor(r() * 5), detected + 2 * DAY]);
        }
        if (i % 20 === 1) {
          const due = detected + 30 * DAY;
          const closed = r() < 0.7 ? due - Math.floor((r() - 0.2) * 10 * DAY) : null;
          items.push([
            `bai${i}`,
            'Bench item',
            '',
            user.id,
            due,
            'medium',
            closed ? 'done' : 'open',
            closed,
            'review',
            id,
            '[]',
            detected,
            detected,
            1,
          ]);
        }
      }
      await store.transaction(
        async (tx) => {
          await bulkInsert(
            store,
            tx,
            'incidents',
            cols(
              'id key title summary category grade severity:i status restricted:i tags customers_affected:b trading_interrupted:i detected_at:b acknowledged_at:b contained_at:b recovered_at:b false_positive_at:b created_at:b updated_at:b version:i timeline_seq:i drill:i',
            ),
            incidents,
          );
          await bulkInsert(store, tx, 'incident_services', cols('incident_id service_id'), incidentServices);
          await bulkInsert(store, tx, 'timeline_entries', cols('id incident_id seq:i at:b kind text'), timeline);
          await bulkInsert(
            store,
            tx,
            'alerts',
            cols(
              'id rule_id rule_title level severity:i kind tags entities services fingerprint count:b event_count:b events_stored:i first_seen:b last_seen:b status suggested_category suggested_grade incident_id created_at:b updated_at:b',
            ),
            alerts,
          );
          await bulkInsert(
            store,
            tx,
            'statements',
            cols(
              'id incident_id kind scenario state current_version:i required_reviews flags created_at:b updated_at:b published_at:b',
            ),
            statements,
          );
          await bulkInsert(
            store,
            tx,
            'campaigns',
            cols(
              'id incident_id name statement_id audience channels mandatory:i urgent:i throttle priority_tiers state fanout_done:i message_count:i created_at:b updated_at:b',
            ),
            campaigns,
          );
          await bulkInsert(
            store,
            tx,
            'campaign_messages',
            cols(
              'id campaign_id customer_id channel language body idempotency_key priority:i state attempts:i next_attempt_at:b created_at:b sent_at:b updated_at:b',
            ),
            messages,
          );
          await bulkInsert(
            store,
            tx,
            'obligation_clocks',
            cols(
              'id incident_id obligation stage applies why why_zh status created_at:b updated_at:b due_at:b submitted_at:b',
            ),
            clocks,
          );
          await bulkInsert(
            store,
            tx,
            'customer_inquiries',
            cols(
              'id reference incident_id channel contact_sealed contact_masked language question topics sentiment status sla_due_at:b dedupe_key asked_count:i created_at:b updated_at:b',
            ),
            inquiries,
          );
          await bulkInsert(store, tx, 'inquiry_feedback', cols('inquiry_id rating:i created_at:b'), feedback);
          await bulkInsert(
            store,
            tx,
            'action_items',
            cols(
              'id title description owner_id due_at:b priority status closed_at:b source_kind incident_id reminded created_at:b updated_at:b version:i',
            ),
            items,
          );
        },
        { audited: false },
      );
      return timeline.length;
    })();
    await settle(target, store.sqlite);

    const day = (t: number) => new Date(t + 8 * 3600_000).toISOString().slice(0, 10);
    const query = { from: day(yearAgo), to: day(now) };
    const t0 = performance.now();
    const snap = await s.kpi.snapshot(p, query);
    const cold = performance.now() - t0;
    // Then as a running server answers the dashboards: RUNS snapshots, the median reported, each listed.
    const runs: number[] = [];
    for (let k = 0; k < RUNS; k++) {
      const t1 = performance.now();
      await s.kpi.snapshot(p, query);
      runs.push(Math.round(performance.now() - t1));
    }
    const elapsed = [...runs].sort((a, b) => a - b)[RUNS >> 1] as number;
    return {
      bench: 'reports',
      case: 'metrics',
      store: target.store,
      incidents: INCIDENTS,
      timeline_entries: timelineEntries,
      elapsed_ms: elapsed,
      runs_ms: runs,
      cold_ms: Math.round(cold),
      counted: snap.incidents,
    };
  } finally {
    await s.close();
  }
}

/** One line per store. */
export async function benchMetrics(): Promise<Record<string, unknown>[]> {
  const targets: (() => Target)[] = [sqliteTarget];
  if (PG_URL) targets.push(() => postgresTarget(PG_URL));
  else
    console.error(
      'bench:reports metrics: TOCSIN_BENCH_DATABASE_URL / TOCSIN_TEST_DATABASE_URL not set; PostgreSQL skipped',
    );
  const lines = [];
  for (const make of targets) {
    const target = make();
    try {
      lines.push(await seedAndTime(target));
    } finally {
      await target.cleanup();
    }
  }
  return lines;
}
