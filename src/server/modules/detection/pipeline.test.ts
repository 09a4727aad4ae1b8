/** The detection pipeline's engine swap and per-rule hit counters. */
import { describe, expect, it } from 'vitest';
import type { DetectionEngine, DetectionEvent, RuleMatch } from './detection.types.js';
import { createDetectionPipeline } from './pipeline.js';

const ev = (id: string): DetectionEvent => ({ id, time: 1, source: 'test', logsource: {}, fields: {} });
const engineFiring = (ruleId: string): DetectionEngine => ({
  process: (events) => events.map((e): RuleMatch => ({ ruleId, ruleTitle: ruleId, level: 'low', tags: [], kind: 'detection', events: [e], time: e.time })),
});

describe('detection pipeline', () => {
  it('runs the next batch on a swapped-in engine and counts hits per rule until they are taken', async () => {
    const raised: string[] = [];
    let clock = 1000;
    const p = createDetectionPipeline({ loadEngine: () => engineFiring('old'), raise: async (ms) => void raised.push(...ms.map((m) => m.ruleId)), onError: (e) => { throw e; }, now: () => clock });
    p.sink([ev('1'), ev('2')]);
    p.replaceEngine(engineFiring('new'));
    clock = 2000;
    p.sink([ev('3')]);
    await p.idle();
    expect(raised).toEqual(['old', 'old', 'new']);
    expect(p.takeHits()).toEqual(new Map([['old', { hits: 2, lastAt: 1000 }], ['new', { hits: 1, lastAt: 2000 }]]));
    expect(p.takeHits().size).toBe(0);
  });
});
