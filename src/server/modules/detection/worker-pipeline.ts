/**
 * The live detection path with the engine on a worker thread (TOCSIN_DETECTION_THREAD=worker): the
 * event loop parses and stores, the worker evaluates, so the server uses both cores and a large rule
 * set costs the request path nothing. Batches go to the worker in order and their matches come back in
 * the same order; rule changes send the new engine's spec (the worker compiles it while batches wait
 * in its queue; the rule service then builds only the spec, and takes the compile report from
 * `onBuilt`). Backpressure: past `maxInFlight` events not yet evaluated, `sink` refuses with 503.
 * If the worker dies, the events it held are counted as lost and a new one starts from the last spec.
 */
import type { Worker } from 'node:worker_threads';
import { startWorker } from '../../platform/worker.js';
import { AppError } from '../../platform/errors.js';
import type { DetectionEngine, DetectionEvent } from './detection.types.js';
import type { FromWorker, ToWorker } from './engine-worker.js';
import { matchQueue, ticker, type DetectionPipeline, type PipelineDeps } from './pipeline.js';
import { specOf, type EngineSpec } from './rule-set.js';
import type { CompileError } from './sigma/index.js';

/** Starts the engine worker: the compiled file in dist/, or the TypeScript source (tests, dev). */
const spawn = (): Worker => startWorker(new URL(`./engine-worker${import.meta.url.endsWith('.ts') ? '.ts' : '.js'}`, import.meta.url));

export function createWorkerPipeline(
  deps: PipelineDeps & {
    maxInFlight?: number;
    /** Told each compile report of the worker (the rule service shows it; nothing is compiled here). */
    onBuilt?: (report: { compiled: number; errors: CompileError[] }) => void;
  },
): DetectionPipeline {
  const q = matchQueue(deps);
  const maxInFlight = deps.maxInFlight ?? 200_000;
  let worker: Worker | null = null;
  let spec: EngineSpec | null = null;
  let nextId = 1;
  /** Sent and not answered yet, oldest first: id -> events in it (ticks count 0). */
  const pending = new Map<number, number>();
  let inFlight = 0;
  let waiters: (() => void)[] = [];
  let closing = false;

  const settle = () => {
    if (pending.size) return;
    const w = waiters;
    waiters = [];
    for (const f of w) f();
  };

  function answered(id: number | undefined): void {
    if (id === undefined) return;
    inFlight -= pending.get(id) ?? 0;
    pending.delete(id);
    settle();
  }

  function start(): Worker {
    const w = spawn();
    w.unref();
    w.on('message', (m: FromWorker) => {
      if (m.type === 'matches') {
        answered(m.id);
        q.hand(m.matches);
      } else if (m.type === 'built') {
        deps.onBuilt?.({ compiled: m.compiled, errors: m.errors });
      } else if (m.type === 'failed') {
        answered(m.id);
        deps.onError(new Error(m.message), 'engine');
      }
    });
    w.on('error', (err) => deps.onError(err, 'engine'));
    w.on('exit', (code) => {
      if (worker !== w) return;
      worker = null;
      // What it held is lost: count it, and start over from the last spec.
      for (const n of pending.values()) q.stats.dropped += n;
      pending.clear();
      inFlight = 0;
      settle();
      if (!closing) {
        deps.onError(new Error(`the detection worker stopped (exit code ${code}); starting a new one`), 'engine');
        if (spec) ensureWorker();
      }
    });
    if (spec) w.postMessage({ type: 'build', spec } satisfies ToWorker);
    return w;
  }

  const ensureWorker = (): Worker => (worker ??= start());

  function useEngine(engine: DetectionEngine): void {
    const s = specOf(engine);
    if (!s) throw new Error('the detection worker needs an engine built by compilePlan with its mapping file');
    spec = s;
    if (worker) worker.postMessage({ type: 'build', spec } satisfies ToWorker);
    else ensureWorker();
  }

  const loaded = () => {
    if (!spec) useEngine(deps.loadEngine());
  };

  function send(msg: ToWorker & { id: number }, events: number): void {
    pending.set(msg.id, events);
    inFlight += events;
    ensureWorker().postMessage(msg);
  }

  function tick(): void {
    if (!spec || !worker) return;
    send({ type: 'tick', id: nextId++, now: q.now() }, 0);
  }
  const timer = ticker(tick);

  return {
    stats: q.stats,
    warm: loaded,
    sink(events: DetectionEvent[]) {
      if (!events.length) return;
      if (inFlight + events.length > maxInFlight) {
        throw new AppError(503, 'overloaded', 'Detection is behind', `${inFlight} events are waiting for the rule engine; send these again shortly`, undefined, { code: 'overloaded' });
      }
      try {
        loaded();
      } catch (err) {
        deps.onError(err, 'engine');
        return;
      }
      q.stats.events += events.length;
      send({ type: 'process', id: nextId++, events, now: q.now() }, events.length);
    },
    tick,
    startTicking: (intervalMs) => timer.start(intervalMs),
    stopTicking: () => timer.stop(),
    async close() {
      timer.stop();
      closing = true;
      const w = worker;
      worker = null;
      if (w) await w.terminate();
    },
    replaceEngine(engine) {
      useEngine(engine);
    },
    takeHits: () => q.takeHits(),
    async idle() {
      if (pending.size) await new Promise<void>((resolve) => waiters.push(resolve));
      await q.drained();
    },
  };
}

