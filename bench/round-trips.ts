/**
 * The floor under bench:cluster's ingest_to_alert: one round trip to PostgreSQL (`select 1` on a connection
 * of its own) and one to NATS (PING/PONG), taken in turn every 10 ms on a worker thread of the bench, in
 * phases the bench names (the cluster idle, then while the case's load runs). A marker's way to its alert
 * is a chain of such waits — the HTTP request, the JetStream acknowledgement, the delivery to stage one,
 * the engine thread, alert intake's round trips, the live update's publish and delivery, the SSE write —
 * each answered by a process that shares the machine's cores: these figures say what one of them costs
 * here, at the median and at the tail, measured in the same run.
 */
import { isMainThread, parentPort, workerData } from 'node:worker_threads';
import { startWorker } from '../src/server/platform/worker.js';

export interface RoundTripSamples {
  pg: number[];
  nats: number[];
}

type ToPinger = { phase: string | null } | 'stop';

/** Starts the pinger; `phase(name)` starts recording under `name` (null: stop recording), `stop()` gives the samples. */
export function startRoundTrips(pgUrl: string, natsUrl: string) {
  const w = startWorker(new URL(import.meta.url), { role: 'round-trips', pgUrl, natsUrl });
  let samples: ((s: Record<string, RoundTripSamples>) => void) | null = null;
  const failed = new Promise<never>((_, reject) => w.once('error', reject));
  failed.catch(() => {}); // surfaced by `ready` or `stop`
  const ready = Promise.race([
    failed,
    new Promise<void>((resolve) =>
      w.on('message', (m: 'ready' | Record<string, RoundTripSamples>) => {
        if (m === 'ready') resolve();
        else samples?.(m);
      }),
    ),
  ]);
  return {
    ready,
    phase: (name: string | null) => w.postMessage({ phase: name } satisfies ToPinger),
    async stop(): Promise<Record<string, RoundTripSamples>> {
      const got = Promise.race([
        failed,
        new Promise<Record<string, RoundTripSamples>>((r) => {
          samples = r;
        }),
      ]);
      w.postMessage('stop' satisfies ToPinger);
      try {
        return await got;
      } finally {
        void w.terminate();
      }
    },
  };
}

async function pinger(pgUrl: string, natsUrl: string, port: NonNullable<typeof parentPort>): Promise<void> {
  const { default: pg } = await import('pg');
  const { connect } = await import('@nats-io/transport-node');
  const client = new pg.Client({ connectionString: pgUrl });
  await client.connect();
  const nc = await connect({ servers: natsUrl, name: 'bench-round-trips' });
  const byPhase: Record<string, RoundTripSamples> = {};
  let phase: string | null = null;
  let stopping = false;
  port.on('message', (m: ToPinger) => {
    if (m === 'stop') stopping = true;
    else phase = m.phase;
  });
  port.postMessage('ready');
  for (let i = 0; !stopping; i++) {
    const label = phase;
    const t0 = performance.now();
    if (i % 2 === 0) await client.query('select 1');
    else await nc.rtt();
    const ms = performance.now() - t0;
    if (label !== null) {
      byPhase[label] ??= { pg: [], nats: [] };
      (i % 2 === 0 ? byPhase[label].pg : byPhase[label].nats).push(ms);
    }
    await new Promise((r) => setTimeout(r, Math.max(0, 10 - ms)));
  }
  port.postMessage(byPhase);
  await Promise.allSettled([client.end(), nc.close()]);
}

const data = workerData as { role?: string; pgUrl?: string; natsUrl?: string } | null;
if (!isMainThread && data?.role === 'round-trips' && parentPort) void pinger(data.pgUrl!, data.natsUrl!, parentPort);
