/**
 * Two-stage evaluation: `evaluate` (stage one, stateless) then correlators keyed by partition (stage
 * two) find what `process` finds, on the correlation cases and on our own rules' test events.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  createCorrelator,
  createSigmaEngine,
  partitionOf,
  readEventFile,
  readRuleSources,
  toDetectionEvent,
  type CorrelationFeed,
  type DetectionEvent,
  type RuleSource,
  type SigmaEngineOptions,
  type SigmaMatch,
} from '../src/index.js';
import { CORRELATION_CASES } from './correlation-cases.js';

/** What a user sees of a match: rule, group, events, time. */
const seen = (m: SigmaMatch) =>
  `${m.ruleId} ${JSON.stringify(m.group ?? null)} [${m.events.map((e) => e.id).join(',')}] ${m.time}`;
const batchesOf = <T>(xs: T[], size: number): T[][] =>
  Array.from({ length: Math.ceil(xs.length / size) }, (_, i) => xs.slice(i * size, (i + 1) * size));

function viaProcess(options: SigmaEngineOptions, events: DetectionEvent[], batch: number): string[] {
  const engine = createSigmaEngine(options);
  const out = batchesOf(events, batch).flatMap((b) => engine.process(b));
  return [...out, ...engine.flush()].map(seen).sort();
}

/** Stage one in batches, feeds through JSON, `n` correlators each fed its partition in order and told the event time. */
function viaStages(options: SigmaEngineOptions, events: DetectionEvent[], batch: number, n: number) {
  const stageOne = createSigmaEngine(options);
  const correlators = Array.from({ length: n }, () => createCorrelator(options));
  const out: SigmaMatch[] = [];
  let feeds = 0;
  const used = new Set<number>();
  for (const b of batchesOf(events, batch)) {
    const r = JSON.parse(JSON.stringify(stageOne.evaluate(b))) as ReturnType<typeof stageOne.evaluate>;
    expect(stageOne.correlationState()).toBe(0);
    out.push(...r.matches);
    const parts = correlators.map((): CorrelationFeed[] => []);
    for (const f of r.feeds) {
      const p = partitionOf(f.key, n);
      used.add(p);
      parts[p]!.push(f);
    }
    feeds += r.feeds.length;
    correlators.forEach((c, i) => {
      out.push(...c.feed(parts[i]!));
      // JSON has no -Infinity: a batch without events reports null.
      if (r.maxTime !== null) out.push(...c.advance(r.maxTime));
    });
  }
  for (const c of correlators) out.push(...c.flush());
  return { matches: out.map(seen).sort(), feeds, partitions: used.size };
}

const rulesOf = (texts: string[]): RuleSource[] => texts.map((text, i) => ({ file: `rule${i}.yml`, text }));

describe('two-stage evaluation finds what process finds', () => {
  for (const c of CORRELATION_CASES)
    it(c.name, () => {
      const options = { rules: rulesOf(c.rules) };
      expect(createSigmaEngine(options).report.errors).toEqual([]);
      for (const batch of c.perEvent ? [1] : [1, 7, 500]) {
        const expected = viaProcess(options, c.events, batch);
        expect(expected.length).toBeGreaterThan(0);
        for (const n of c.onePartition ? [1] : [1, 4]) {
          const got = viaStages(options, c.events, batch, n);
          expect(got.matches, `batches of ${batch}, ${n} partitions`).toEqual(expected);
          expect(got.feeds).toBeGreaterThan(0);
        }
      }
    });

  it('spreads the groups of a component with a common group-by field over the partitions', () => {
    const c = CORRELATION_CASES.find((x) => x.name.endsWith('(stream 1)'))!;
    expect(viaStages({ rules: rulesOf(c.rules) }, c.events, 100, 4).partitions).toBe(4);
    const unsplit = CORRELATION_CASES.find((x) => x.name.startsWith('a component with no'))!;
    expect(viaStages({ rules: rulesOf(unsplit.rules) }, unsplit.events, 100, 4).partitions).toBe(1);
  });
});

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const TOCSIN_RULES = path.join(ROOT, 'rules/tocsin');

describe.skipIf(!fs.existsSync(path.join(TOCSIN_RULES, 'tests')))("Tocsin's own rules and their test events", () => {
  it('two stages find what process finds, in batches, on 1 and 4 partitions', async () => {
    const { sources, errors } = readRuleSources([TOCSIN_RULES]);
    expect(errors).toEqual([]);
    const options = { rules: sources };
    const tests = path.join(TOCSIN_RULES, 'tests');
    let matched = 0;
    for (const stem of fs.readdirSync(tests).filter((d) => fs.statSync(path.join(tests, d)).isDirectory()))
      for (const kind of ['positive', 'negative']) {
        const file = path.join(tests, stem, `${kind}.ndjson`);
        const events: DetectionEvent[] = [];
        for await (const v of readEventFile(file))
          if (!('error' in v)) events.push(toDetectionEvent(v.value, `${stem}/${kind}:${v.line}`, 'file')!);
        const expected = viaProcess(options, events, 64);
        matched += expected.length;
        for (const n of [1, 4])
          expect(viaStages(options, events, 64, n).matches, `${stem}/${kind}, ${n} partitions`).toEqual(expected);
      }
    expect(matched).toBeGreaterThan(20);
  });
});

describe('stage one', () => {
  const c = CORRELATION_CASES.find((x) => x.name.endsWith('(stream 1)'))!;
  it('keeps no correlation state, and its feeds are plain JSON', () => {
    const engine = createSigmaEngine({ rules: rulesOf(c.rules) });
    const r = engine.evaluate(c.events);
    expect(engine.correlationState()).toBe(0);
    expect(engine.correlationStats()).toMatchObject({ groups: 0, events: 0 });
    expect(engine.flush()).toEqual([]);
    expect(r.maxTime).toBe(Math.max(...c.events.map((e) => e.time)));
    expect(r.feeds.length).toBeGreaterThan(100);
    expect(JSON.parse(JSON.stringify(r.feeds))).toEqual(r.feeds);
    // The feeds name what the correlation reads: group-by values, and condition.field.
    const sum = r.feeds.find((f) => f.correlation === 'sum')!;
    expect(Object.keys(sum.values).sort()).toEqual(['Bytes', 'Host', 'User']);
    expect(sum.key).toBe(`avg${JSON.stringify([sum.values.User])}`);
    expect(engine.evaluate([])).toEqual({ matches: [], feeds: [], maxTime: -Infinity });
  });
});

describe('partition keys', () => {
  const rules = rulesOf([
    'title: fail\nid: fail\nlogsource: {product: test}\ndetection:\n  sel: {Outcome: fail}\n  condition: sel\n',
    'title: ok\nid: ok\nlogsource: {product: test}\ndetection:\n  sel: {Outcome: ok}\n  condition: sel\n',
    'title: many\nid: many\ncorrelation:\n  type: event_count\n  rules: [fail]\n  group-by: [User, Ip]\n  timespan: 1m\n  condition: {gte: 2}\n',
    'title: then\nid: then\ncorrelation:\n  type: temporal_ordered\n  rules: [many, ok]\n  group-by: [User]\n  timespan: 5m\n',
    'title: by account\nid: by_account\ncorrelation:\n  type: temporal\n  rules: [many, ok]\n  group-by: [User]\n  timespan: 5m\n  aliases:\n    User:\n      many: Ip\n      ok: User\n',
  ]);
  const T0 = 1_700_000_000_000;
  const events: DetectionEvent[] = ['fail', 'fail', 'ok', 'fail', 'fail', 'ok'].map((Outcome, i) => ({
    id: `k${i}`,
    time: T0 + i * 1000,
    source: 'test',
    logsource: { product: 'test' },
    fields: { Outcome, User: i < 3 ? 'u1' : 'u2', Ip: '10.0.0.1' },
  }));

  it('leave out a field a parent reads from a child under another name: that component stays whole', () => {
    const options = { rules: rulesOf(rules.slice(0, 4).map((r) => r.text as string)) };
    const split = createSigmaEngine(options).evaluate(events).feeds;
    expect(new Set(split.map((f) => f.key))).toEqual(new Set(['many["u1"]', 'many["u2"]']));
    const whole = createSigmaEngine({ rules }).evaluate(events).feeds;
    expect(new Set(whole.map((f) => f.key))).toEqual(new Set(['by_account']));
    for (const o of [options, { rules }]) {
      const expected = viaProcess(o, events, 2);
      expect(expected.length).toBeGreaterThan(0);
      expect(viaStages(o, events, 2, 4).matches).toEqual(expected);
    }
  });
});

describe('a correlator', () => {
  const T0 = 1_700_000_000_000;
  const beat = (id: string, sec: number, feed: string): DetectionEvent => ({
    id,
    time: T0 + sec * 1000,
    source: 'test',
    logsource: { product: 'test' },
    fields: { event: 'heartbeat', feed },
  });
  const rules = rulesOf([
    'title: beat\nid: beat\nlogsource: {product: test}\ndetection:\n  sel: {event: heartbeat}\n  condition: sel\n',
    'title: silent\nid: silent\ncorrelation:\n  type: event_count\n  rules: [beat]\n  group-by: [feed]\n  timespan: 1m\n  condition: {lt: 3}\n',
    'title: unused\nid: unused\nlogsource: {product: test}\ndetection:\n  sel: {a|re: "(a+)+$"}\n  condition: sel\n',
  ]);

  it('compiles the correlations and the rules they read, and no other detection', () => {
    const engine = createSigmaEngine({ rules });
    expect(engine.report.errors.map((e) => e.ruleId)).toEqual(['unused']);
    const c = createCorrelator({ rules });
    expect(c.report).toMatchObject({ correlations: 1, errors: [] });
  });

  it('closes windows on tick as the engine does, once event time is told', () => {
    let wall = T0;
    const options = { rules, clock: () => wall, latenessMs: 5000 };
    const engine = createSigmaEngine(options);
    const stageOne = createSigmaEngine(options);
    const c = createCorrelator(options);
    const events = [beat('b1', 0, 'sse'), beat('b2', 1, 'sse'), beat('b3', 1, 'szse'), beat('b4', 2, 'szse')];
    wall = T0 + 2000;
    expect(engine.process(events)).toEqual([]);
    const r = stageOne.evaluate(events);
    expect(c.feed(r.feeds)).toEqual([]);
    expect(c.advance(r.maxTime)).toEqual([]);
    const fired: string[] = [];
    for (const now of [30, 64, 66, 127].map((s) => T0 + s * 1000)) {
      const expected = engine.tick(now).map(seen);
      expect(c.tick(now).map(seen), `tick at ${now - T0} ms`).toEqual(expected);
      fired.push(...expected);
    }
    // Both windows held 2 heartbeats (< 3): judged once event time, carried on by the clock, is 5 s past their end.
    expect(fired).toEqual([
      `silent {"feed":"sse"} [b1,b2] ${T0 + 1000}`,
      `silent {"feed":"szse"} [b3,b4] ${T0 + 2000}`,
    ]);
    expect(c.correlationState()).toBe(engine.correlationState());
  });

  it('skips feeds that do not fit its rule set (stage one ran other rules)', () => {
    const c = createCorrelator({ rules });
    const f = createSigmaEngine({ rules }).evaluate([beat('x', 0, 'sse')]).feeds[0]!;
    expect(
      c.feed([
        { ...f, correlation: 'gone' },
        { ...f, indices: [1] },
        { ...f, indices: [] },
      ]),
    ).toEqual([]);
    expect(c.correlationState()).toBe(0);
    c.feed([f]);
    expect(c.correlationState()).toBe(1);
  });
});

describe('partitionOf', () => {
  it('is FNV-1a (32 bits) of the UTF-8 key, modulo n', () => {
    expect(partitionOf('', 2 ** 32 - 1)).toBe(0x811c9dc5);
    expect(partitionOf('a', 1000)).toBe(220); // 0xe40c292c
    expect(partitionOf('foobar', 1000)).toBe(720); // 0xbf9cf968
    expect(partitionOf('警钟', 1000)).toBe(44); // 0x0f2d8394
    expect(partitionOf('burst["alice"]', 4)).toBe(1); // 0x2d0a8ded
    expect(partitionOf('anything', 1)).toBe(0);
    expect(() => partitionOf('a', 0)).toThrow(RangeError);
  });
});
