/**
 * bench:store — write throughput of the store through the service layer: incidents declared per
 * second and timeline entries appended per second, each in its own transaction with its audit entry
 * (the hash chain serializes every writer). On SQLite always; on PostgreSQL too when
 * TOCSIN_BENCH_DATABASE_URL (or TOCSIN_TEST_DATABASE_URL) is set, in a fresh schema dropped afterwards.
 * Each case runs for BENCH_SECONDS (default 2.5) with 1 writer, then with 4 concurrent writers; the
 * 4-writer line carries the 1-writer figure of the same run, to show contention.
 * Prints one JSON object per line.
 */
import { compose, type Services } from '../src/server/compose.js';
import type { Principal } from '../src/server/modules/auth/index.js';
import { loadConfig } from '../src/server/platform/config.js';
import { postgresTarget, sqliteTarget, type Target } from './bench-targets.js';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 2.5);
const PG_URL = process.env.TOCSIN_BENCH_DATABASE_URL ?? process.env.TOCSIN_TEST_DATABASE_URL;

const percentile = (sorted: number[], p: number) =>
  Number((sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? 0).toFixed(2));

/** Runs `op` from `writers` concurrent loops for SECONDS; returns count, elapsed and latencies. */
async function timed(writers: number, op: (writer: number, i: number) => Promise<unknown>) {
  const latencies: number[] = [];
  const start = performance.now();
  const end = start + SECONDS * 1000;
  await Promise.all(
    Array.from({ length: writers }, async (_, w) => {
      for (let i = 0; performance.now() < end; i++) {
        const t0 = performance.now();
        await op(w, i);
        latencies.push(performance.now() - t0);
      }
    }),
  );
  const elapsed = performance.now() - start;
  latencies.sort((a, b) => a - b);
  return {
    n: latencies.length,
    elapsedMs: elapsed,
    perS: (latencies.length / elapsed) * 1000,
    p50: percentile(latencies, 0.5),
    p99: percentile(latencies, 0.99),
  };
}

const incidentInput = (title: string) => ({
  title,
  summary: 'Benchmark incident: order gateway latency above threshold.',
  category: 'equipment_failure' as const,
  grade: 'IV' as const,
  services: ['online-trading'],
  tags: ['bench'],
  restricted: false,
});

async function benchStore(target: Target): Promise<void> {
  const s: Services = await compose(loadConfig({ ...target.env, TOCSIN_LOG_LEVEL: 'silent' }));
  try {
    const system = { id: null, label: 'bench' };
    await s.catalog.create(system, {
      key: 'online-trading',
      nameZh: '网上交易',
      nameEn: 'Online trading',
      description: 'bench',
    });
    const user = await s.users.create(system, {
      email: 'bench@bench.example',
      name: 'Bench',
      role: 'incident_commander',
      password: 'bench-password-0123',
    });
    const p: Principal = { user, via: 'cli', scopes: null, restrictedTo: null };

    // Notes go round-robin to a few open incidents, as in a busy war room.
    const targets: string[] = [];
    for (let i = 0; i < 8; i++) targets.push((await s.incidents.create(p, incidentInput(`bench target ${i}`))).key);
    // Warm-up: prepared statements, page cache, pool connections.
    for (let i = 0; i < 20; i++)
      await s.timeline.append(p, targets[i % targets.length]!, { kind: 'note', text: 'warm-up' });

    const cases = [
      {
        name: 'incident_create',
        unit: 'incidents_per_s',
        op: (w: number, i: number) => s.incidents.create(p, incidentInput(`bench ${w}-${i}`)),
      },
      {
        name: 'timeline_append',
        unit: 'entries_per_s',
        op: (w: number, i: number) =>
          s.timeline.append(p, targets[(w + i) % targets.length]!, {
            kind: 'note',
            text: `bench note ${w}-${i}: failover step confirmed`,
          }),
      },
    ];
    for (const c of cases) {
      const single = await timed(1, c.op);
      const line = (writers: number, r: typeof single, extra: Record<string, number> = {}) =>
        console.log(
          JSON.stringify({
            bench: 'store',
            case: c.name,
            store: target.store,
            writers,
            n: r.n,
            elapsed_ms: Math.round(r.elapsedMs),
            [c.unit]: Math.round(r.perS),
            p50_ms: r.p50,
            p99_ms: r.p99,
            ...extra,
          }),
        );
      line(1, single);
      const four = await timed(4, c.op);
      line(4, four, {
        [`single_writer_${c.unit}`]: Math.round(single.perS),
        vs_single_writer_ratio: Number((four.perS / single.perS).toFixed(2)),
      });
    }
  } finally {
    await s.close();
  }
}

const targets: (() => Target)[] = [sqliteTarget];
if (PG_URL) targets.push(() => postgresTarget(PG_URL));
else console.error('bench:store: TOCSIN_BENCH_DATABASE_URL / TOCSIN_TEST_DATABASE_URL not set; PostgreSQL skipped');

let failed = false;
for (const make of targets) {
  const target = make();
  try {
    await benchStore(target);
  } catch (err) {
    failed = true;
    console.error(`bench:store on ${target.store} failed: ${err instanceof Error ? err.message : String(err)}`);
  } finally {
    await target.cleanup();
  }
}
process.exitCode = failed ? 1 : 0;
