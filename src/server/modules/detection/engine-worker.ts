/**
 * The live engine's worker thread: builds the engine from an EngineSpec, then answers batches of
 * events and ticks in the order they come, with the matches. Messages (see worker-pipeline.ts):
 *   in:  {type: 'build', spec} | {type: 'process', id, events, now} | {type: 'tick', id, now}
 *        | {type: 'evaluate', id, buf, ends, partitions, now} (stage one of event-stream messages, as
 *          bytes: `buf` is transferred, message i ends at ends[i]; their matches and encoded feeds returned)
 *   out: {type: 'built', compiled, errors} | {type: 'matches', id, matches} | {type: 'failed', id?, message}
 *        | {type: 'evaluated', id, result} (the feeds' bytes transferred back)
 * `now` is the server's wall clock, which the engine's tick measures idle time against.
 */
import { parentPort } from 'node:worker_threads';
import type { DetectionEngine, DetectionEvent, RuleMatch } from './detection.types.js';
import { compilePlan, loadMapping, type EngineSpec } from './rule-set.js';
import { evaluateMessages, unpackMessages, type MessagesEvaluation } from './cluster/stage-one-eval.js';
import type { CompileError } from '@tocsin/sigma';

export type ToWorker =
  | { type: 'build'; spec: EngineSpec }
  | { type: 'process'; id: number; events: DetectionEvent[]; now: number }
  | { type: 'tick'; id: number; now: number }
  | { type: 'evaluate'; id: number; buf: Uint8Array; ends: number[]; partitions: number; now: number };

export type FromWorker =
  | { type: 'built'; compiled: number; errors: CompileError[] }
  | { type: 'matches'; id: number; matches: RuleMatch[] }
  | { type: 'failed'; id?: number; message: string }
  | { type: 'evaluated'; id: number; result: MessagesEvaluation };

const port = parentPort;
if (port) {
  let engine: DetectionEngine | null = null;
  let wall = Date.now();
  const send = (m: FromWorker, transfer?: ArrayBuffer[]) => port.postMessage(m, transfer);
  port.on('message', (m: ToWorker) => {
    try {
      if (m.type === 'build') {
        const built = compilePlan(
          { sources: m.spec.sources, muted: new Set(m.spec.muted) },
          loadMapping(m.spec.mappingFile),
          { latenessMs: m.spec.latenessMs, correlationMemoryBytes: m.spec.correlationMemoryBytes, clock: () => wall },
        );
        engine = built;
        send({ type: 'built', compiled: built.report.compiled, errors: built.report.errors });
        return;
      }
      wall = m.now;
      if (m.type === 'evaluate') {
        // No engine (its build failed): fail, so the batch is delivered again rather than skipped.
        if (!engine) throw new Error('no rule engine is built yet');
        const result = evaluateMessages(engine, unpackMessages(m.buf, m.ends), m.partitions);
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
      else send({ type: 'failed', id: m.id, message });
    }
  });
}
