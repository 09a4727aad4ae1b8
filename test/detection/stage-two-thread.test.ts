/**
 * Stage two's correlators on the engine thread (the production default, TOCSIN_DETECTION_THREAD=worker):
 * the bodies of P_corr messages go there as bytes and fire as a correlator on the event loop would;
 * one closed (or lost with its thread) answers with an error, so its partition starts again.
 */
import { describe, expect, it } from 'vitest';
import { applyCorrBodies, type CorrBody } from '../../src/server/modules/detection/cluster/corr-format.js';
import { createWorkerPipeline, type RuleMatch } from '../../src/server/modules/detection/index.js';
import { compileCorrelator, compilePlan, loadMapping } from '../../src/server/modules/detection/rule-set.js';

const RULES = `title: Login failure
id: 0d6b1c2e-0000-4000-8000-000000000001
name: t_login_failure
logsource: {product: t}
detection:
  sel: {outcome: failure}
  condition: sel
level: low
---
title: Login failure burst
id: 0d6b1c2e-0000-4000-8000-000000000002
correlation:
  type: event_count
  rules: [t_login_failure]
  group-by: [user]
  timespan: 1m
  condition: {gte: 3}
level: high
`;
const T0 = Date.UTC(2026, 11, 3, 9, 30);
const failure = (i: number, user: string) => ({
  id: `f${i}`,
  time: T0 + i * 1000,
  source: 'api',
  logsource: { product: 't' },
  fields: { outcome: 'failure', user },
});
const enc = new TextEncoder();
const summary = (ms: RuleMatch[][]) =>
  ms.map((list) => list.map((m) => `${m.ruleTitle}:${JSON.stringify(m.group)}:${m.events.map((e) => e.id).join(',')}`));

describe('stage two on the engine thread', () => {
  it('fires from feed and watermark bodies as a correlator on the event loop does, and refuses a closed one', async () => {
    const plan = { sources: [{ file: 'burst.yml', text: RULES }], muted: new Set<string>() };
    const mapping = loadMapping(undefined);
    const engine = compilePlan(plan, mapping, { latenessMs: 0 }, { file: undefined });
    const engineTimes: number[] = [];
    const p = createWorkerPipeline({
      loadEngine: () => engine,
      onEngineTime: (s) => engineTimes.push(s),
      raise: async () => {},
      onError: (e) => {
        throw e;
      },
    });
    try {
      // Stage one on the thread: 3 failures of alice, 2 of bob, in one message.
      const events = ['alice', 'bob', 'alice', 'bob', 'alice'].map((u, i) => failure(i, u));
      const evaluated = await p.evaluateMessages([enc.encode(JSON.stringify(events))], 1);
      const outcome = evaluated.outcomes[0]!;
      if (!('feeds' in outcome)) throw new Error(`not evaluated: ${outcome.message}`);
      const bodies: CorrBody[] = [
        ...outcome.feeds.map((f) => ({ kind: 'feeds', data: f.data })),
        { kind: 'watermark', data: enc.encode(JSON.stringify({ maxTime: evaluated.maxTime })) },
        { kind: 'nonsense', data: enc.encode('{}') },
      ];
      const here = applyCorrBodies(compileCorrelator(plan, mapping, { latenessMs: 0 }), bodies);

      const c = p.openCorrelator!({ latenessMs: 0 });
      const before = engineTimes.length;
      const there = await c.apply(bodies);
      // The correlator's time on the thread counts as engine time (/metrics).
      expect(engineTimes.length).toBe(before + 1);
      expect(there.errors).toEqual([]);
      expect(summary(there.matches)).toEqual(summary(here.matches));
      // One burst, alice's, with her three failures as evidence.
      expect(summary(there.matches).flat()).toEqual(['Login failure burst:{"user":"alice"}:f0,f2,f4']);
      expect(await c.tick(T0 + 120_000)).toEqual([]);

      c.close();
      await expect(c.apply(bodies)).rejects.toThrow(/no correlator \d+ on this detection worker/);
    } finally {
      await p.close();
    }
  });
});
