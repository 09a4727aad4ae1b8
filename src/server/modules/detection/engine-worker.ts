/**
 * The live engine's worker thread: builds the engine from an EngineSpec, then answers batches of
 * events and ticks in the order they come, with the matches. Messages (see worker-pipeline.ts):
 *   in:  {type: 'build', spec} | {type: 'process', id, events, now} | {type: 'tick', id, now}
 *        | {type: 'evaluate', id, buf, ends, partitions, activity, now} (stage one of event-stream messages, as
 *          bytes: `buf` is transferred, message i ends at ends[i]; their matches and encoded feeds returned,
 *          and with `activity` the account activity of their events, for the index)
 *        | {type: 'corr-open', run, latenessMs?, memoryBytes?} (a correlator of stage two, from the last spec)
 *        | {type: 'corr-apply', id, run, buf, ends, kinds, now} (`P_corr` message bodies for it, as bytes)
 *        | {type: 'corr-tick', id, run, now} | {type: 'corr-close', run}
 *   out: {type: 'built', compiled, errors} | {type: 'matches', id, matches} | {type: 'failed', id?, message}
 *        | {type: 'evaluated', id, result} (the feeds' bytes transferred back)
 *        | {type: 'corr-applied', id, result: {matches per body, errors}} | {type: 'corr-ticked', id, matches}
 * `now` is the server's wall clock, which the engine's tick measures idle time against.
 */
import { parentPort } from 'node:worker_threads';
import type { DetectionEngine, DetectionEvent, RuleMatch } from './detection.types.js';
import { compileCorrelator, compilePlan, loadMapping, type EngineSpec } from './rule-set.js';
import { evaluateMessages, unpackMessages, type MessagesEvaluation } from './cluster/stage-one-eval.js';
import { applyCorrBodies } from './cluster/corr-format.js';
import type { CompileError, Correlator, LogsourceMapping } from '@tocsin/sigma';

export type ToWorker =
  | { type: 'build'; spec: EngineSpec }
  | { type: 'process'; id: number; events: DetectionEvent[]; now: number }
  | { type: 'tick'; id: number; now: number }
  | {
      type: 'evaluate';
      id: number;
      buf: Uint8Array;
      ends: number[];
      partitions: number;
      activity?: boolean;
      /** Each message's stream sequence: feeds then reference their events. */
      seqs?: number[];
      now: number;
    }
  | { type: 'corr-open'; run: number; latenessMs?: number; memoryBytes?: number }
  | {
      type: 'corr-apply';
      id: number;
      run: number;
      buf: Uint8Array;
      ends: number[];
      kinds: (string | undefined)[];
      now: number;
    }
  | { type: 'corr-tick'; id: number; run: number; now: number }
  | { type: 'corr-close'; run: number };

export type FromWorker =
  | { type: 'built'; compiled: number; errors: CompileError[] }
  | { type: 'matches'; id: number; matches: RuleMatch[] }
  | { type: 'failed'; id?: number; message: string }
  | { type: 'evaluated'; id: number; result: MessagesEvaluation }
  | { type: 'corr-applied'; id: number; result: { matches: RuleMatch[][]; errors: string[] } }
  | { type: 'corr-ticked'; id: number; matches: RuleMatch[] };

const port = parentPort;
if (port) {
  let engine: DetectionEngine | null = null;
  /** The last spec built and its mapping: stage two's correlators are compiled from them. */
  let built: { spec: EngineSpec; mapping: LogsourceMapping | undefined } | null = null;
  const correlators = new Map<number, Correlator>();
  const correlator = (run: number): Correlator => {
    const c = correlators.get(run);
    if (!c) throw new Error(`no correlator ${run} on this detection worker (it was started again)`);
    return c;
  };
  let wall = Date.now();
  const send = (m: FromWorker, transfer?: ArrayBuffer[]) => port.postMessage(m, transfer);
  port.on('message', (m: ToWorker) => {
    try {
      if (m.type === 'build') {
        const mapping = loadMapping(m.spec.mappingFile);
        const next = compilePlan({ sources: m.spec.sources, muted: new Set(m.spec.muted) }, mapping, {
          latenessMs: m.spec.latenessMs,
          correlationMemoryBytes: m.spec.correlationMemoryBytes,
          clock: () => wall,
        });
        engine = next;
        built = { spec: m.spec, mapping };
        send({ type: 'built', compiled: next.report.compiled, errors: next.report.errors });
        return;
      }
      if (m.type === 'corr-open') {
        if (!built) return; // its first apply fails: the partition starts again once there is a rule set
        correlators.set(
          m.run,
          compileCorrelator({ sources: built.spec.sources, muted: new Set(built.spec.muted) }, built.mapping, {
            latenessMs: m.latenessMs,
            correlationMemoryBytes: m.memoryBytes,
            clock: () => wall,
          }),
        );
        return;
      }
      if (m.type === 'corr-close') {
        correlators.delete(m.run);
        return;
      }
      wall = m.now;
      if (m.type === 'corr-apply') {
        const c = correlator(m.run);
        const bodies = unpackMessages(m.buf, m.ends).map((data, i) => ({ kind: m.kinds[i], data }));
        send({ type: 'corr-applied', id: m.id, result: applyCorrBodies(c, bodies) });
        return;
      }
      if (m.type === 'corr-tick') {
        send({ type: 'corr-ticked', id: m.id, matches: correlator(m.run).tick(m.now) });
        return;
      }
      if (m.type === 'evaluate') {
        // No engine (its build failed): fail, so the batch is delivered again rather than skipped.
        if (!engine) throw new Error('no rule engine is built yet');
        const result = evaluateMessages(engine, unpackMessages(m.buf, m.ends), m.partitions, m.activity, m.seqs);
        const transfer: ArrayBuffer[] = [];
        for (const o of result.outcomes)
          if ('feeds' in o) for (const f of o.feeds) transfer.push(f.data.buffer as ArrayBuffer);
        send({ type: 'evaluated', id: m.id, result }, transfer);
        return;
      }
      if (!engine) {
        send({ type: 'matches', id: m.id, matches: [] });
        return;
      }
      const matches = m.type === 'process' ? engine.process(m.events) : (engine.tick?.(m.now) ?? []);
      send({ type: 'matches', id: m.id, matches });
    } catch (err) {
      const message = (err as Error).message;
      // A build that fails still answers 'built', so whoever waits for the report hears why.
      if (m.type === 'build')
        send({
          type: 'built',
          compiled: 0,
          errors: [{ file: '(rule set)', reason: `the detection worker could not build the rule set: ${message}` }],
        });
      else send({ type: 'failed', id: 'id' in m ? m.id : undefined, message });
    }
  });
}
