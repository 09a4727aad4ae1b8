/**
 * The live detection path with the engine on a worker thread (TOCSIN_DETECTION_THREAD=worker): the
 * event loop parses and stores, the worker evaluates, so the server uses both cores and a large rule
 * set costs the request path nothing. Batches go to the worker in order and their matches come back in
 * the same order; rule changes send the new engine's spec (the worker compiles it while batches wait
 * in its queue; the rule service then builds only the spec, and takes the compile report from
 * `onBuilt`). Backpressure: past `maxInFlight` events not yet evaluated (or held by requests under
 * way, `admit`), `sink` refuses with 503 and a Retry-After from the worker's measured throughput; a
 * batch larger than `maxInFlight` could never fit and is refused with 413 instead.
 * If the worker dies, the events it held are counted as lost and a new one starts from the last spec.
 */
import type { Worker } from 'node:worker_threads';
import { startWorker } from '../../platform/worker.js';
import { tooLarge, unavailable } from '../../platform/errors.js';
import type { DetectionEngine, DetectionEvent, EventAdmission } from './detection.types.js';
import type { FromWorker, ToWorker } from './engine-worker.js';
import { matchQueue, ticker, type DetectionPipeline, type PipelineDeps } from './pipeline.js';
import { specOf, type EngineSpec } from './rule-set.js';
import { packMessages, type MessagesEvaluation } from './cluster/stage-one-eval.js';
import type { BodyCorrelator } from './cluster/stage-two-partition.js';
import type { CompileError } from '@tocsin/sigma';

/** Retry-After when the worker's throughput is not measured yet (seconds). */
const DEFAULT_RETRY_S = 2;
const MAX_RETRY_S = 60;

/** Starts the engine worker: the compiled file in dist/, or the TypeScript source (tests, dev). */
const spawn = (youngGenerationMb?: number): Worker =>
  startWorker(
    new URL(`./engine-worker${import.meta.url.endsWith('.ts') ? '.ts' : '.js'}`, import.meta.url),
    undefined,
    {
      youngGenerationMb,
    },
  );

export function createWorkerPipeline(
  deps: PipelineDeps & {
    /** Most events waiting for the engine or held for requests under way (default 200,000). */
    maxInFlight?: number;
    /** Told each compile report of the worker (the rule service shows it; nothing is compiled here). */
    onBuilt?: (report: { compiled: number; errors: CompileError[] }) => void;
    /** The engine thread's young generation (MB; TOCSIN_ENGINE_YOUNG_GENERATION_MB); Node's default when absent. */
    youngGenerationMb?: number;
  },
): DetectionPipeline {
  const q = matchQueue(deps);
  const maxInFlight = deps.maxInFlight ?? 200_000;
  let worker: Worker | null = null;
  let spec: EngineSpec | null = null;
  let nextId = 1;
  /** Sent and not answered yet, oldest first: id -> events in it (ticks count 0) and when it was sent. */
  const pending = new Map<number, { events: number; at: number }>();
  let inFlight = 0;
  /** Room held by admitted requests and not used yet. */
  let reserved = 0;
  /** Events the worker evaluates a second (moving average; 0: not measured yet), and when it last answered. */
  let rate = 0;
  let lastAnswerAt = 0;
  let waiters: (() => void)[] = [];
  let closing = false;
  /** Stage-one batches and stage-two calls sent and not answered yet: id -> their promise's settlers. */
  const calls = new Map<number, { resolve: (r: never) => void; reject: (err: Error) => void }>();
  /** Stage two's correlators opened on the thread (numbered per pipeline). */
  let nextRun = 1;

  const settle = () => {
    if (pending.size) return;
    const w = waiters;
    waiters = [];
    for (const f of w) f();
  };

  /**
   * A message was answered; `evaluated` is how many events it held when only the answer knows (stage
   * one's messages); `work`: it was engine work without events of its own (stage two's correlators).
   */
  function answered(id: number | undefined, evaluated?: number, work = false): void {
    if (id === undefined) return;
    const sent = pending.get(id);
    pending.delete(id);
    if (sent) {
      inFlight -= sent.events;
      const events = evaluated ?? sent.events;
      if (events > 0 || work) {
        // The worker takes messages in order: it was busy with this one since it was sent or since the previous answer.
        const now = q.now();
        const busyMs = now - Math.max(sent.at, lastAnswerAt);
        deps.onEngineTime?.(Math.max(0, busyMs) / 1000);
        if (busyMs > 0 && events > 0)
          rate = rate ? rate * 0.7 + ((events * 1000) / busyMs) * 0.3 : (events * 1000) / busyMs;
        lastAnswerAt = now;
      }
    }
    settle();
  }

  /** Throws 413 for more than the pipeline can ever hold, 503 with Retry-After when `count` does not fit now. */
  function checkRoom(count: number): void {
    if (count > maxInFlight) {
      throw tooLarge(
        `${count} events in one batch are more than detection can hold at once (${maxInFlight}); send at most ${maxInFlight} events a request`,
        'too-many-events',
      );
    }
    const waiting = inFlight + reserved;
    if (waiting + count > maxInFlight) {
      const excess = waiting + count - maxInFlight;
      const seconds = Math.min(MAX_RETRY_S, rate > 0 ? Math.ceil(excess / rate) : DEFAULT_RETRY_S);
      throw unavailable(
        `detection is behind: ${waiting} events are waiting for the rule engine and ${count} more do not fit (it holds ${maxInFlight}); send these again in ${Math.max(1, seconds)} s`,
        seconds,
        'overloaded',
        'Detection is behind',
      );
    }
  }

  function settleCall(id: number, result: unknown): void {
    (calls.get(id)?.resolve as ((r: unknown) => void) | undefined)?.(result);
    calls.delete(id);
  }

  /** Sends a message whose answer a promise waits for (stage one and stage two). */
  function call<R>(msg: ToWorker & { id: number }, transfer?: ArrayBuffer[]): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      calls.set(msg.id, { resolve: resolve as (r: never) => void, reject });
      send(msg, 0, transfer);
    });
  }

  function start(): Worker {
    const w = spawn(deps.youngGenerationMb);
    w.unref();
    w.on('message', (m: FromWorker) => {
      if (m.type === 'matches') {
        answered(m.id);
        q.hand(m.matches);
      } else if (m.type === 'built') {
        deps.onBuilt?.({ compiled: m.compiled, errors: m.errors });
      } else if (m.type === 'evaluated') {
        let events = 0;
        for (const o of m.result.outcomes) if ('events' in o) events += o.events;
        q.stats.events += events;
        answered(m.id, events);
        q.count(m.result.matches);
        settleCall(m.id, m.result);
      } else if (m.type === 'corr-applied') {
        answered(m.id, undefined, true);
        settleCall(m.id, m.result);
      } else if (m.type === 'corr-ticked') {
        answered(m.id, undefined, true);
        settleCall(m.id, m.matches);
      } else if (m.type === 'failed') {
        answered(m.id);
        const waiting = m.id === undefined ? undefined : calls.get(m.id);
        if (waiting) {
          calls.delete(m.id!);
          waiting.reject(new Error(m.message));
        } else deps.onError(new Error(m.message), 'engine');
      }
    });
    w.on('error', (err) => deps.onError(err, 'engine'));
    w.on('exit', (code) => {
      if (worker !== w) return;
      worker = null;
      // What it held is lost: count it, and start over from the last spec.
      for (const [id, p] of pending) if (!calls.has(id)) q.stats.dropped += p.events;
      pending.clear();
      // Stage-one batches are not lost: their callers leave them to be delivered again.
      for (const e of calls.values()) e.reject(new Error(`the detection worker stopped (exit code ${code})`));
      calls.clear();
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

  function send(msg: ToWorker & { id: number }, events: number, transfer?: ArrayBuffer[]): void {
    pending.set(msg.id, { events, at: q.now() });
    inFlight += events;
    ensureWorker().postMessage(msg, transfer);
  }

  function tick(): void {
    if (!spec || !worker) return;
    send({ type: 'tick', id: nextId++, now: q.now() }, 0);
  }
  const timer = ticker(tick);

  /** Sends events to the worker (room checked or held already). */
  function hand(events: DetectionEvent[]): void {
    try {
      loaded();
    } catch (err) {
      deps.onError(err, 'engine');
      return;
    }
    q.stats.events += events.length;
    send({ type: 'process', id: nextId++, events, now: q.now() }, events.length);
  }

  return {
    stats: q.stats,
    warm: loaded,
    evaluateMessages(datas, partitions, activity, seqs) {
      loaded();
      const { buf, ends } = packMessages(datas);
      // Holds no room of `sink`'s (the messages wait in the stream, not here); the answer tells how many events it held.
      return call<MessagesEvaluation>(
        { type: 'evaluate', id: nextId++, buf, ends, partitions, activity, seqs, now: q.now() },
        [buf.buffer as ArrayBuffer],
      );
    },
    openCorrelator(o): BodyCorrelator {
      loaded();
      const run = nextRun++;
      ensureWorker().postMessage({ type: 'corr-open', run, ...o } satisfies ToWorker);
      return {
        apply(bodies) {
          const { buf, ends } = packMessages(bodies.map((b) => b.data));
          const kinds = bodies.map((b) => b.kind);
          return call({ type: 'corr-apply', id: nextId++, run, buf, ends, kinds, now: q.now() }, [
            buf.buffer as ArrayBuffer,
          ]);
        },
        tick: (now) => call({ type: 'corr-tick', id: nextId++, run, now }),
        close() {
          worker?.postMessage({ type: 'corr-close', run } satisfies ToWorker);
        },
      };
    },
    sink(events: DetectionEvent[]) {
      if (!events.length) return;
      checkRoom(events.length);
      hand(events);
    },
    admit(count: number): EventAdmission {
      checkRoom(count);
      reserved += count;
      let held = count;
      return {
        sink(events) {
          if (!events.length) return;
          const fromHeld = Math.min(held, events.length);
          // More than was held (the count was not an upper bound after all): the rest must find room.
          if (events.length > fromHeld) checkRoom(events.length - fromHeld);
          held -= fromHeld;
          reserved -= fromHeld;
          hand(events);
        },
        release() {
          reserved -= held;
          held = 0;
        },
      };
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
      for (const e of calls.values()) e.reject(new Error('detection is closing'));
      calls.clear();
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
