/**
 * What operations watch and what coordinates processes, wired once per process (compose.ts): Tocsin's
 * own Prometheus metrics (`telemetry`), readiness checks (`readiness`, GET /readyz) and leases in the
 * store (`leases`: the run-once schedulers and the one-process guard of serve.ts).
 */
import type { Config } from './platform/config.js';
import type { Store } from './platform/db/connect.js';
import type { Clock } from './platform/ids.js';
import { createLeases } from './platform/leases/leases.js';
import { createReadiness } from './platform/readiness.js';
import { createTelemetry, type Telemetry } from './platform/telemetry.js';
import type { DetectionEvent } from './modules/detection/index.js';
import type { EventSink } from './modules/ingest/index.js';
import { VERSION } from './version.js';

export function wireOps(deps: { store: Store; clock: Clock; config: Config }) {
  const { store, clock, config } = deps;
  const telemetry = createTelemetry({
    role: config.cluster.role,
    version: VERSION,
    nats: config.cluster.nats !== null,
  });
  const readiness = createReadiness();
  readiness.add('store', async () => {
    await store.ping();
    return true;
  });
  return { telemetry, readiness, leases: createLeases({ store, clock }) };
}

/**
 * Counts events by source as they are handed to `sink` (once taken: a refused batch is not counted; a
 * sink that answers with a promise — events stored in a stream first — counts when it resolves).
 */
export function countingSink(sink: EventSink, telemetry: Telemetry): EventSink {
  const count = (events: DetectionEvent[]) => {
    if (!events.length) return;
    let source = events[0]!.source;
    let n = 0;
    for (const e of events) {
      if (e.source !== source) {
        telemetry.countIngested(source, n);
        source = e.source;
        n = 0;
      }
      n++;
    }
    telemetry.countIngested(source, n);
  };
  /** Counted once handed over (a Promise, at scale: once the event stream stored them). */
  const after = (handed: void | Promise<void>, events: DetectionEvent[]): void | Promise<void> =>
    handed instanceof Promise ? handed.then(() => count(events)) : count(events);
  const counted = (events: DetectionEvent[]) => after(sink(events), events);
  const admit = sink.admit;
  if (!admit) return counted;
  return Object.assign(counted, {
    admit(n: number) {
      const held = admit(n);
      return {
        sink: (events: DetectionEvent[]) => after(held.sink(events), events),
        release: () => held.release(),
      };
    },
  });
}
