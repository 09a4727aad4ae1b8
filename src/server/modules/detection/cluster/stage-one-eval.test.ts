/** Stage one of event-stream messages as bytes: outcomes per message, feeds grouped and encoded per partition. */
import { createSigmaEngine, partitionOf, type CorrelationFeed } from '@tocsin/sigma';
import { describe, expect, it } from 'vitest';
import type { DetectionEngine, DetectionEvent, StageOneResult } from '../detection.types.js';
import { evaluateMessages, packMessages, unpackMessages } from './stage-one-eval.js';

const enc = new TextEncoder();
const body = (events: unknown) => enc.encode(JSON.stringify(events));
const ev = (id: string, user: string, time: number): DetectionEvent => ({
  id,
  time,
  source: 'api',
  logsource: {},
  fields: { user },
});

/** Fires on every event whose user is `bad`, feeds a correlation keyed by user, throws on user `boom`. */
const engine: DetectionEngine = {
  process: () => [],
  evaluate(events): StageOneResult {
    if (events.some((e) => e.fields.user === 'boom')) throw new Error('engine failed on this event');
    const feeds: CorrelationFeed[] = events.map((e) => ({
      correlation: 'c',
      indices: [0],
      key: `c${JSON.stringify([e.fields.user])}`,
      time: e.time,
      event: e,
      values: { user: e.fields.user },
    }));
    const matches = events
      .filter((e) => e.fields.user === 'bad')
      .map((e) => ({
        ruleId: 'r',
        ruleTitle: 'r',
        level: 'high' as const,
        tags: [],
        kind: 'detection' as const,
        events: [e],
        time: e.time,
      }));
    return { matches, feeds, maxTime: Math.max(...events.map((e) => e.time)) };
  },
};

describe('stage one on message bytes', () => {
  it('says whether the engine has correlations (without, no partition needs a watermark)', () => {
    const detection = `title: d\nid: 11111111-1111-4111-8111-111111111111\nlogsource: {product: trading}\ndetection: {sel: {outcome: failure}, condition: sel}\nlevel: low\n`;
    const correlation = `title: c\nid: 22222222-2222-4222-8222-222222222222\ncorrelation: {type: event_count, rules: [11111111-1111-4111-8111-111111111111], group-by: [user], timespan: 5m, condition: {gte: 3}}\nlevel: high\n`;
    const data = [body([ev('a', 'alice', 1)])];
    const only = createSigmaEngine({ rules: [{ file: 'd.yml', text: detection }] });
    const both = createSigmaEngine({ rules: [{ file: 'd.yml', text: `${detection}---\n${correlation}` }] });
    expect(only.report.correlations).toBe(0);
    expect(evaluateMessages(only, data, 4).correlations).toBe(false);
    expect(evaluateMessages(both, data, 4).correlations).toBe(true);
    // An engine that does not say (a test's, another detector) is taken to have some.
    expect(evaluateMessages(engine, data, 4).correlations).toBe(true);
  });

  it('gives each message its outcome: feeds per partition, unreadable, or failed; one spoils no other', () => {
    const users = ['alice', 'bob', 'carol', 'bad', 'alice'];
    const good = users.map((u, i) => ev(`e${i}`, u, 1000 + i));
    const { buf, ends } = packMessages([
      body(good.slice(0, 3)),
      enc.encode('{"not":"an array"}'),
      body([ev('x', 'boom', 5000)]),
      body(good.slice(3)),
    ]);
    const r = evaluateMessages(engine, unpackMessages(buf, ends), 4);

    expect(r.outcomes.map((o) => ('error' in o ? o.error : o.events))).toEqual([3, 'unreadable', 'failed', 2]);
    // The failed message's time does not move the watermark; its error says why.
    expect(r.maxTime).toBe(1004);
    expect(r.outcomes[2]).toMatchObject({ message: 'engine failed on this event' });
    expect(r.matches.map((m) => m.events[0]!.id)).toEqual(['e3']);
    // Each message's feeds: one body per partition, every feed in the partition its key hashes to.
    const first = r.outcomes[0]!;
    if (!('feeds' in first)) throw new Error('first message not evaluated');
    const decoded = first.feeds.map((f) => ({
      partition: f.partition,
      count: f.count,
      feeds: JSON.parse(new TextDecoder().decode(f.data)) as CorrelationFeed[],
    }));
    expect(decoded.reduce((n, d) => n + d.count, 0)).toBe(3);
    for (const d of decoded) {
      expect(d.feeds).toHaveLength(d.count);
      for (const f of d.feeds) expect(partitionOf(f.key, 4)).toBe(d.partition);
    }
    expect(decoded.flatMap((d) => d.feeds.map((f) => f.event.id)).sort()).toEqual(['e0', 'e1', 'e2']);
  });

  it('publishes the same feed bodies for a message however its batch is made up (redelivery)', () => {
    const m = body([ev('a', 'alice', 1), ev('b', 'bob', 2), ev('c', 'alice', 3)]);
    const alone = evaluateMessages(engine, [m], 8).outcomes[0];
    const inBatch = evaluateMessages(engine, [body([ev('z', 'zed', 9)]), m], 8).outcomes[1];
    expect(inBatch).toEqual(alone);
  });

  it("with the messages' stream sequences, a feed names its event's place and the values read, not the whole event", () => {
    const events = [
      { ...ev('a', 'alice', 1), fields: { user: 'alice', device: 'dev-1', note: 'x'.repeat(500) } },
      ev('b', 'bob', 2),
    ];
    const whole = evaluateMessages(engine, [body(events)], 1).outcomes[0]!;
    const byRef = evaluateMessages(engine, [body([ev('z', 'zed', 9)]), body(events)], 1, false, [41, 42]).outcomes[1]!;
    if (!('feeds' in whole) || !('feeds' in byRef)) throw new Error('not evaluated');
    const feedsOf = (o: typeof whole) =>
      'feeds' in o ? o.feeds.flatMap((f) => JSON.parse(new TextDecoder().decode(f.data)) as CorrelationFeed[]) : [];
    expect(feedsOf(whole)[0]!.event.fields).toMatchObject({ device: 'dev-1' });
    expect(feedsOf(byRef).map((f) => f.event)).toEqual([
      { id: 'a', time: 1, source: 'api', logsource: {}, fields: { user: 'alice' }, ref: { seq: 42, index: 0 } },
      { id: 'b', time: 2, source: 'api', logsource: {}, fields: { user: 'bob' }, ref: { seq: 42, index: 1 } },
    ]);
    expect(byRef.feeds[0]!.data.byteLength).toBeLessThan(whole.feeds[0]!.data.byteLength / 2);
  });
});
