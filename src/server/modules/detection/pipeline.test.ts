/** The detection pipeline: engine swap, per-rule hit counters, ticks. */
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { DetectionEngine, DetectionEvent, RuleMatch } from './detection.types.js';
import { createDetectionPipeline } from './pipeline.js';

const ev = (id: string): DetectionEvent => ({ id, time: 1, source: 'test', logsource: {}, fields: {} });
const engineFiring = (ruleId: string): DetectionEngine => ({
  process: (events) =>
    events.map(
      (e): RuleMatch => ({
        ruleId,
        ruleTitle: ruleId,
        level: 'low',
        tags: [],
        kind: 'detection',
        events: [e],
        time: e.time,
      }),
    ),
});

describe('detection pipeline', () => {
  it('runs the next batch on a swapped-in engine and counts hits per rule until they are taken', async () => {
    const raised: string[] = [];
    let clock = 1000;
    const p = createDetectionPipeline({
      loadEngine: () => engineFiring('old'),
      raise: async (ms) => void raised.push(...ms.map((m) => m.ruleId)),
      onError: (e) => {
        throw e;
      },
      now: () => clock,
    });
    p.sink([ev('1'), ev('2')]);
    p.replaceEngine(engineFiring('new'));
    clock = 2000;
    p.sink([ev('3')]);
    await p.idle();
    expect(raised).toEqual(['old', 'old', 'new']);
    expect(p.takeHits()).toEqual(
      new Map([
        ['old', { hits: 2, lastAt: 1000 }],
        ['new', { hits: 1, lastAt: 2000 }],
      ]),
    );
    expect(p.takeHits().size).toBe(0);
  });
});

const match = (time: number): RuleMatch => ({
  ruleId: 'r',
  ruleTitle: 'R',
  level: 'high',
  tags: [],
  kind: 'correlation',
  events: [],
  group: { feed: 'a' },
  time,
});

describe('detection pipeline ticks', () => {
  afterEach(() => vi.useRealTimers());

  it('ticks the engine with the wall clock on a timer; tick matches are raised like the others', async () => {
    vi.useFakeTimers();
    let wall = 1_000;
    const ticks: number[] = [];
    const engine: DetectionEngine = {
      process: () => [],
      tick: (now) => {
        ticks.push(now);
        return now === 3_000 ? [match(now)] : [];
      },
    };
    const raised: RuleMatch[] = [];
    const p = createDetectionPipeline({
      loadEngine: () => engine,
      raise: async (ms) => void raised.push(...ms),
      onError: () => {},
      now: () => wall,
    });
    // No engine yet: nothing to tick.
    p.tick();
    expect(ticks).toEqual([]);
    p.warm();
    p.startTicking(1000);
    p.startTicking(1000);
    for (let i = 0; i < 2; i++) {
      wall += 1000;
      await vi.advanceTimersByTimeAsync(1000);
    }
    expect(ticks).toEqual([2_000, 3_000]);
    await p.idle();
    expect(raised.map((m) => m.time)).toEqual([3_000]);
    expect(p.stats.matches).toBe(1);
    p.stopTicking();
    await vi.advanceTimersByTimeAsync(5000);
    expect(ticks).toHaveLength(2);
  });

  it('an engine failing in tick is reported, not thrown', () => {
    const errors: string[] = [];
    const p = createDetectionPipeline({
      loadEngine: () => ({
        process: () => [],
        tick: () => {
          throw new Error('boom');
        },
      }),
      raise: async () => {},
      onError: (err, where) => void errors.push(`${where}: ${(err as Error).message}`),
    });
    p.warm();
    expect(() => p.tick()).not.toThrow();
    expect(errors).toEqual(['engine: boom']);
  });
});
