import { afterEach, describe, expect, it, vi } from 'vitest';
import type { DetectionEngine } from './detection.types.js';
import type { DetectionPipeline } from './pipeline.js';
import { createRuleEngineBuilder } from './rule-engine-builder.js';
import { specOf } from './rule-set.js';

/** A pipeline that only records the engines swapped in (the worker's compile is played by the test). */
function fakePipeline() {
  const engines: DetectionEngine[] = [];
  const pipeline = {
    warm: vi.fn(),
    replaceEngine: (e: DetectionEngine) => void engines.push(e),
  } as unknown as DetectionPipeline;
  return { pipeline, engines };
}

const state = (id: string, enabled: 0 | 1) => ({ rule_id: id, enabled, changed_by: null, changed_at: 1 });

describe('the rule engine builder (remote compile)', () => {
  afterEach(() => vi.useRealTimers());

  it('waits for the worker’s compile report, and a burst of changes builds once', async () => {
    vi.useFakeTimers(); // the rebuild delay
    const { pipeline, engines } = fakePipeline();
    const reports: number[] = [];
    const builder = createRuleEngineBuilder(
      {
        clock: { now: () => 1_000 },
        pipeline,
        config: { ruleDirs: [] }, // the bundled rules
        onRuleSet: (r) => reports.push(r.compiled),
        onError: (err) => {
          throw err;
        },
      },
      { remoteCompile: true },
    );
    builder.load([], []);
    const cat = builder.catalog();
    // A reported rule no other rule uses: disabling it leaves it out of the engine.
    const some = cat.rules.find((r) => cat.reported.has(r) && !(cat.usedBy.get(r) ?? []).some((u) => u !== r))!;
    const texts = (e: DetectionEngine) =>
      specOf(e)!
        .sources.map((x) => x.text)
        .join('\n');
    expect(builder.isEnabled(some.id)).toBe(true);

    // Nothing built yet: asking for the report builds the spec and waits for the worker's answer.
    let ready = false;
    const built = builder.ensureBuilt().then((b) => {
      ready = true;
      return b;
    });
    await Promise.resolve();
    expect(engines).toHaveLength(1);
    expect(texts(engines[0]!)).toContain(some.yaml.trim());
    expect(builder.pending()).toBe(true);
    expect(ready).toBe(false);
    builder.acceptReport({ compiled: 7, errors: [{ file: 'x.yml', ruleId: some.id, reason: 'broken' }] });
    expect((await built).compiled).toBe(7);
    expect(builder.errorOf(some.id)).toBe('broken');
    expect(builder.pending()).toBe(false);

    // Changes in a burst: one rebuild once the delay has passed, the disabled rule left out of the spec.
    builder.setState(state(some.id, 0));
    builder.setState(state(some.id, 1));
    builder.setState(state(some.id, 0));
    expect(builder.pending()).toBe(true);
    const settled = builder.settled();
    vi.advanceTimersByTime(19);
    expect(engines).toHaveLength(1);
    vi.advanceTimersByTime(1);
    expect(engines).toHaveLength(2);
    expect(builder.isEnabled(some.id)).toBe(false);
    expect(texts(engines[1]!)).not.toContain(some.yaml.trim());
    builder.acceptReport({ compiled: 6, errors: [] });
    await settled;
    expect(builder.pending()).toBe(false);
    expect(builder.errorOf(some.id)).toBeNull();
    expect(reports).toEqual([7, 6]);
    builder.close();
  });

  it('gives stage two correlators of the live rule set and the timespans of its correlations', () => {
    const { pipeline } = fakePipeline();
    const builder = createRuleEngineBuilder({
      clock: { now: () => 1_000 },
      pipeline,
      config: { ruleDirs: [], correlationMemoryBytes: 64 * 1024 * 1024 },
      onError: (err) => {
        throw err;
      },
    });
    builder.load([], []);
    const correlations = builder.catalog().rules.filter((r) => r.kind === 'correlation');
    expect(correlations.length).toBeGreaterThan(0);
    const { create, timespans } = builder.correlators(16);
    // Every bundled correlation states its timespan; the outflow volume one spans a day (longer than the
    // default retention of P_corr: stage two warns about it at start).
    expect(timespans.map((t) => t.ruleId).sort()).toEqual(correlations.map((r) => r.id).sort());
    for (const t of timespans) expect(t.ms).toBeGreaterThan(0);
    const outflow = correlations.find((r) => r.file.endsWith('bank_transfer_outflow_volume.yml'))!;
    expect(timespans).toContainEqual({ ruleId: outflow.id, ms: 24 * 3_600_000 });
    const c = create();
    if ('apply' in c) throw new Error('an event-loop pipeline compiles its correlators here');
    expect(c.report.errors).toEqual([]);
    expect(c.report.correlations).toBe(correlations.length);
    expect(c.correlationStats().maxBytes).toBe(4 * 1024 * 1024); // a sixteenth of the memory

    // Disabling a rule no correlation reads leaves the correlators as they were (no replay); disabling a correlation does not.
    const cat = builder.catalog();
    const read = new Set(correlations.flatMap((r) => r.refs.map((ref) => cat.byRef.get(ref)?.id)));
    const lone = cat.rules.find((r) => r.kind === 'detection' && !read.has(r.id))!;
    const before = builder.correlators(16).signature;
    builder.setState(state(lone.id, 0));
    expect(builder.correlators(16).signature).toBe(before);
    builder.setState(state(correlations[0]!.id, 0));
    expect(builder.correlators(16).signature).not.toBe(before);
    builder.close();
  });
});
