/**
 * bench:detect's engine workers. `makeProcessor` is what one thread does with a batch of NDJSON:
 * split and parse it as ingest does (`recordsOf`: UTF-8, depth, JSON.parse), normalise each record
 * to a DetectionEvent (ingest's `normalizeEvent`, or `toDetectionEvent` for evtx_dump JSON, the way
 * `tocsin detect` reads Windows events), then — unless only the baseline is measured — run the engine.
 * Run in worker threads (and on the main thread to pick test events that match).
 */
import fs from 'node:fs';
import v8 from 'node:v8';
import vm from 'node:vm';
import { isMainThread, parentPort, workerData, type Worker } from 'node:worker_threads';
import type { DetectionEvent } from '../src/server/modules/detection/index.js';
import {
  createSigmaEngine,
  isEvtxJson,
  parseMappingText,
  readRuleSources,
  toDetectionEvent,
  type SigmaEngine,
} from '@tocsin/sigma';
import { recordsOf } from '../src/server/modules/ingest/json-records.js';
import { normalizeEvent } from '../src/server/modules/ingest/normalize.js';
import { newId } from '../src/server/platform/ids.js';
import type { IngestSourceConfig } from '../src/server/platform/ingest-sources.js';
import { ENGINE_YOUNG_GENERATION_MB, startWorker } from '../src/server/platform/worker.js';

export interface ProcInit {
  /** evtx: evtx_dump JSON through toDetectionEvent; ingest: ingest's normalizeEvent (evtx_dump JSON, which ingest does not flatten, through toDetectionEvent as `tocsin detect` does). */
  kind: 'evtx' | 'ingest';
  ruleDirs: string[];
  inline: { file: string; text: string }[];
  mappingFile: string | null;
  /** Soak: give events an ever-increasing time (1 ms apart per worker) so correlation windows keep sliding. */
  rewriteTime?: boolean;
}

export interface BatchResult {
  events: number;
  matches: number;
  matchedEvents: number;
  rejected: number;
}

export interface ProcReady {
  rules: number;
  compileErrors: number;
  compileMs: number;
}

/** The ingest source events arrive from (the built-in `api` source). */
const API_SOURCE: IngestSourceConfig = { name: 'api', logsource: {}, format: 'json', timeFormat: 'auto', fieldMap: {} };
/** Events handed to the engine at a time (matches are the same whatever the chunk: the engine keeps its state between calls). */
const CHUNK = 64;
/** Ingest's default limits (TOCSIN_INGEST_LINE_LIMIT_BYTES, maxDepth). */
const LIMITS = { lineLimitBytes: 256 * 1024, maxDepth: 32 };

/**
 * The path a thread runs. `prefilter: false` and `chunk: Infinity` give the unoptimised path (every
 * rule of a route evaluated on every event, a batch parsed whole before the engine sees it), which
 * the bench checks the matches of the fast path against. `onMatch` is told each match with the
 * index of its event in the batch.
 */
export function makeProcessor(
  init: ProcInit,
  opts: { prefilter?: boolean; chunk?: number; onMatch?: (event: number, ruleId: string) => void } = {},
): ProcReady & { engine: SigmaEngine; run(buf: Buffer, detect: boolean, shiftMs?: number): BatchResult } {
  const t0 = performance.now();
  const { sources, errors } = readRuleSources(init.ruleDirs);
  const mapping = init.mappingFile ? parseMappingText(fs.readFileSync(init.mappingFile, 'utf8')) : undefined;
  const engine = createSigmaEngine({ rules: [...sources, ...init.inline], mapping, prefilter: opts.prefilter });
  const chunk = opts.chunk ?? CHUNK;
  const index = new Map<DetectionEvent, number>();
  const compileMs = performance.now() - t0;
  let clock = Date.UTC(2026, 0, 5, 1, 30);
  return {
    engine,
    rules: engine.report.compiled,
    compileErrors: errors.length + engine.report.errors.length,
    compileMs,
    run(buf, detect, shiftMs = 0) {
      const now = Date.now();
      let events: DetectionEvent[] = [];
      let count = 0;
      let rejected = 0;
      let matches = 0;
      let matchedEvents = 0;
      // Records are parsed as they are reached (ingest's recordsOf) and handed to the engine CHUNK
      // events at a time: a batch of bytes is never all alive as objects at once, so the young
      // generation holds one chunk, not 500 events, when the GC copies what survives.
      const flush = () => {
        count += events.length;
        if (init.rewriteTime) for (const e of events) e.time = clock += 1;
        else if (shiftMs) for (const e of events) e.time += shiftMs;
        if (detect) {
          const found = engine.process(events);
          matches += found.length;
          if (opts.onMatch) {
            for (let i = 0; i < events.length; i++) index.set(events[i]!, count - events.length + i);
            for (const m of found) opts.onMatch(index.get(m.events[0]!) ?? -1, m.ruleId);
            index.clear();
          }
          let last: DetectionEvent | null = null;
          for (const m of found)
            if (m.kind === 'detection' && m.events[0] && m.events[0] !== last) {
              last = m.events[0];
              matchedEvents++;
            }
        }
        events = [];
      };
      for (const rec of recordsOf(buf, LIMITS)) {
        if ('reason' in rec) {
          rejected++;
          continue;
        }
        if (init.kind === 'evtx' || isEvtxJson(rec.value)) {
          const e = toDetectionEvent(rec.value, newId(), 'api');
          if (e) events.push(e);
          else rejected++;
        } else {
          const n = normalizeEvent(rec.value, API_SOURCE, now);
          if ('reason' in n) rejected++;
          else events.push(n.event);
        }
        if (events.length === chunk) flush();
      }
      flush();
      return { events: count, matches, matchedEvents, rejected };
    },
  };
}

// ------------------------------------------------------------------------------------ main side

/** This file on a worker thread (under tsx). */
export function tsWorker(data: unknown): Worker {
  // The engine threads get what Tocsin's engine thread gets (TOCSIN_ENGINE_YOUNG_GENERATION_MB, as the server reads it).
  const young = Number(process.env.TOCSIN_ENGINE_YOUNG_GENERATION_MB ?? ENGINE_YOUNG_GENERATION_MB);
  return startWorker(new URL(import.meta.url), data, { youngGenerationMb: young });
}

/** A batch any worker may take (the first that is free): events whose rules keep no state across events. */
export const ANY = -1;

/** Batches over one buffer of NDJSON, each for a given worker or for ANY. */
export interface Plan {
  buf: Buffer;
  batches: { start: number; end: number; worker: number }[];
}

export interface RunTotals extends BatchResult {
  ms: number;
  /** Wall time the engine threads spent on batches, summed over the threads (waiting for a batch not counted). */
  busyMs: number;
  /** CPU time of the whole process (every thread: engines, this one, the GC's helpers) over the run. */
  cpuMs: number;
  batches: number;
}

/** Totals of a run that has counted nothing yet. */
export const zeroTotals = (): RunTotals => ({
  events: 0,
  matches: 0,
  matchedEvents: 0,
  rejected: 0,
  ms: 0,
  busyMs: 0,
  cpuMs: 0,
  batches: 0,
});

const addInto = (t: BatchResult, r: BatchResult) => {
  t.events += r.events;
  t.matches += r.matches;
  t.matchedEvents += r.matchedEvents;
  t.rejected += r.rejected;
};

/** Engine workers, each compiling the rules itself. */
export class Pool {
  private waiting = new Map<number, { resolve: (m: unknown) => void; reject: (e: Error) => void }>();
  private closing = false;
  private failed: Error | null = null;
  private nextId = 1;
  private epochs = 0;
  private constructor(
    readonly workers: Worker[],
    readonly ready: ProcReady[],
  ) {}

  static async start(n: number, init: ProcInit): Promise<Pool> {
    const workers = Array.from({ length: n }, () => tsWorker({ role: 'engine', init }));
    const ready = await Promise.all(
      workers.map(
        (w) =>
          new Promise<ProcReady>((resolve, reject) => {
            w.once('error', reject);
            w.once('message', (m: ProcReady) => resolve(m));
          }),
      ),
    );
    const pool = new Pool(workers, ready);
    for (const w of workers) {
      w.on('message', (m: { id: number }) => {
        const f = pool.waiting.get(m.id);
        pool.waiting.delete(m.id);
        f?.resolve(m);
      });
      // A worker that dies (out of memory, say) fails what waits on it instead of hanging the run.
      const fail = (err: Error) => {
        for (const f of pool.waiting.values()) f.reject(err);
        pool.waiting.clear();
        pool.failed ??= err;
      };
      w.on('error', fail);
      w.on('exit', (code) => {
        if (!pool.closing) fail(new Error(`an engine worker exited (code ${code})`));
      });
    }
    return pool;
  }

  /**
   * A time shift for a new run of the events: 30 days past the last, so the run's event time never
   * overlaps an earlier run's. Moving time on does not make earlier state vanish quietly: windows left
   * open are judged when the new run's first event arrives, and a correlation that fires on absence
   * (`lt`, the silence watch) fires then, counted in the new run. Call `flush` before a measured run.
   */
  newEpoch(): number {
    return ++this.epochs * 30 * 86_400_000;
  }

  private ask<T>(w: Worker, msg: Record<string, unknown>, transfer: ArrayBuffer[] = []): Promise<T> {
    const id = this.nextId++;
    if (this.failed) return Promise.reject(this.failed);
    return new Promise((resolve, reject) => {
      this.waiting.set(id, { resolve: resolve as (m: unknown) => void, reject });
      w.postMessage({ ...msg, id }, transfer);
    });
  }

  /**
   * Sends the plan's batches to their workers, at most `window` in flight per worker (a batch for
   * ANY to the first worker with room, so a worker slowed by something else takes fewer); with
   * `untilMs` (a performance.now() deadline), goes round the batches again and again until then.
   */
  async run(
    plan: Plan,
    detect: boolean,
    opts: { window?: number; untilMs?: number; shiftMs?: number } = {},
  ): Promise<RunTotals> {
    const window = opts.window ?? 3;
    const shiftMs = opts.shiftMs ?? this.newEpoch();
    const totals = zeroTotals();
    const perWorker = this.workers.map((_, w) => plan.batches.filter((b) => b.worker === w));
    const any = plan.batches.filter((b) => b.worker === ANY);
    let nextAny = 0;
    const tail = this.workers.length;
    // The bytes of a run that goes through its batches once are copied out before the clock starts, as
    // the network hands a process its bytes: the clock then times the engines, not this thread's copying
    // (which, with two engine threads on two cores, would take its time from one of them). A run until a
    // deadline goes round the batches again and again and copies each as it sends it.
    const copyOf = (b: Plan['batches'][number]) =>
      plan.buf.buffer.slice(plan.buf.byteOffset + b.start, plan.buf.byteOffset + b.end) as ArrayBuffer;
    const copies = opts.untilMs === undefined ? new Map(plan.batches.map((b) => [b, copyOf(b)])) : null;
    const t0 = performance.now();
    const cpu0 = process.cpuUsage();
    await Promise.all(
      this.workers.map(async (w, wi) => {
        const mine = perWorker[wi]!;
        if (!mine.length && !any.length) return;
        let next = 0;
        let inFlight = 0;
        const take = (): Plan['batches'][number] | null => {
          if (next < mine.length) return mine[next++]!;
          // The last batches for any worker go to a worker with none in flight (its other lanes end): with
          // `window` queued on each to the end, one could still have a whole queue to go while the other
          // had finished.
          if (nextAny < any.length && (any.length - nextAny > tail || inFlight === 0)) return any[nextAny++]!;
          if (opts.untilMs === undefined || !mine.length) return null;
          next = 0;
          return mine[next++]!;
        };
        const lane = async () => {
          for (;;) {
            if (opts.untilMs !== undefined && performance.now() >= opts.untilMs) return;
            const b = take();
            if (!b) return;
            inFlight++;
            const ab = copies?.get(b) ?? copyOf(b);
            const r = await this.ask<BatchResult & { busyMs: number }>(w, { type: 'batch', buf: ab, detect, shiftMs }, [
              ab,
            ]);
            inFlight--;
            addInto(totals, r);
            totals.busyMs += r.busyMs;
            totals.batches++;
          }
        };
        await Promise.all(Array.from({ length: window }, lane));
      }),
    );
    totals.ms = performance.now() - t0;
    const cpu = process.cpuUsage(cpu0);
    totals.cpuMs = (cpu.user + cpu.system) / 1000;
    return totals;
  }

  /** Each worker's correlation groups (and their approximate bytes and evictions) and its heap in use after a full garbage collection. */
  state(): Promise<{ groups: number; stateBytes: number; shed: number; evicted: number; heapAfterGc: number }[]> {
    return Promise.all(
      this.workers.map((w) =>
        this.ask<{ groups: number; stateBytes: number; shed: number; evicted: number; heapAfterGc: number }>(w, {
          type: 'state',
        }),
      ),
    );
  }

  /**
   * Ends input on every worker (`engine.flush()`): open windows are judged and every correlation group
   * and silence watch forgotten, so the next run starts from empty state whatever ran before.
   * Returns the matches each worker dropped.
   */
  flush(): Promise<number[]> {
    return Promise.all(
      this.workers.map((w) => this.ask<{ matches: number }>(w, { type: 'flush' }).then((m) => m.matches)),
    );
  }

  async close(): Promise<void> {
    this.closing = true;
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}

// ---------------------------------------------------------------------------------- worker side

const data = workerData as { role?: string; init?: ProcInit } | null;
if (!isMainThread && data?.role === 'engine' && parentPort) {
  const port = parentPort;
  const proc = makeProcessor(data.init!);
  v8.setFlagsFromString('--expose-gc');
  const gc = vm.runInNewContext('gc') as () => void;
  port.postMessage({
    rules: proc.rules,
    compileErrors: proc.compileErrors,
    compileMs: proc.compileMs,
  } satisfies ProcReady);
  port.on(
    'message',
    (m: { id: number; type: 'batch' | 'state' | 'flush'; buf?: ArrayBuffer; detect?: boolean; shiftMs?: number }) => {
      if (m.type === 'flush') port.postMessage({ id: m.id, matches: proc.engine.flush().length });
      else if (m.type === 'state') {
        gc();
        const cs = proc.engine.correlationStats();
        port.postMessage({
          id: m.id,
          groups: cs.groups,
          stateBytes: cs.bytes,
          shed: cs.shedEvents,
          evicted: cs.evictedGroups,
          heapAfterGc: v8.getHeapStatistics().used_heap_size,
        });
      } else {
        const t0 = performance.now();
        const r = proc.run(Buffer.from(m.buf!), m.detect!, m.shiftMs);
        port.postMessage({ id: m.id, ...r, busyMs: performance.now() - t0 });
      }
    },
  );
}
