/**
 * The live engine's worker thread: builds the engine from an EngineSpec, then answers batches of
 * events and ticks in the order they come, with the matches. Messages (see worker-pipeline.ts):
 *   in:  {type: 'build', spec} | {type: 'process', id, events, now} | {type: 'tick', id, now}
 *        | {type: 'evaluate', id, events, now} (stage one: matches and correlation feeds, returned)
 *   out: {type: 'built', compiled, errors} | {type: 'matches', id, matches} | {type: 'failed', id?, message}
 *        | {type: 'evaluated', id, result}
 * `now` is the server's wall clock, which the engine's tick measures idle time against.
 */
import { parentPort } from 'node:worker_threads';
import type { DetectionEngine, DetectionEvent, RuleMatch, StageOneResult } from './detection.types.js';
import { compilePlan, loadMapping, type EngineSpec } from './rule-set.js';
import { evaluateWith } from './cluster/stage-one-eval.js';
import type { CompileError } from '@tocsin/sigma';

export type ToWorker =
  | { type: 'build'; spec: EngineSpec }
  | { type: 'process'; id: number; events: DetectionEvent[]; now: number }
  | { type: 'tick'; id: number; now: number }
  | { type: 'evaluate'; id: number; events: DetectionEvent[]; now: number };

export type FromWorker =
  | { type: 'built'; compiled: number; errors: CompileError[] }
  | { type: 'matches'; id: number; matches: RuleMatch[] }
  | { type: 'failed'; id?: number; message: string }
  | { type: 'evaluated'; id: number; result: StageOneResult };

const port = parentPort;
if (port) {
  let engine: DetectionEngine | null = null;
  let wall = Date.now();
  const send = (m: FromWorker) => port.postMessage(m);
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
        send({ type: 'evaluated', id: m.id, result: evaluateWith(engine, m.events) });
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
