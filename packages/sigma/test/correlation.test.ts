import { describe, expect, it } from 'vitest';
import type { SigmaMatch as RuleMatch } from '../src/event.js';
import { engineOf, ev } from './helpers.js';

const T0 = 1_700_000_000_000;
const S = 1000;
const base = (id: string, sel: string, extra = '') =>
  `title: ${id}\nid: ${id}\nname: ${id}\nlogsource: {product: test}\ndetection:\n  sel: ${sel}\n  condition: sel\n${extra}`;
const corr = (body: string, extra = '') =>
  `title: corr\nid: corr\nlevel: high\ncorrelation:\n${body.replace(/^/gm, '  ')}\n${extra}`;
const at = (sec: number, fields: Record<string, unknown>) => ev(fields, { product: 'test' }, T0 + sec * S);
const corrOnly = (ms: RuleMatch[]) => ms.filter((m) => m.kind === 'correlation');

describe('correlation rules', () => {
  const login = base('failed', '{Outcome: fail}');

  it('event_count per group within the timespan; the base rule is silent (generate: false)', () => {
    const e = engineOf([
      login,
      corr('type: event_count\nrules: [failed]\ngroup-by: [User]\ntimespan: 1m\ncondition: {gte: 3}'),
    ]);
    expect(e.report.errors).toEqual([]);
    const out = e.process([
      at(0, { Outcome: 'fail', User: 'a' }),
      at(10, { Outcome: 'fail', User: 'b' }),
      at(20, { Outcome: 'fail', User: 'a' }),
      at(100, { Outcome: 'fail', User: 'a' }),
      at(110, { Outcome: 'fail', User: 'a' }),
      at(115, { Outcome: 'fail', User: 'a' }),
    ]);
    expect(out.every((m) => m.kind === 'correlation')).toBe(true);
    expect(out).toHaveLength(1);
    expect(out[0]).toMatchObject({ ruleId: 'corr', level: 'high', group: { User: 'a' }, time: T0 + 115 * S });
    expect(out[0]!.events).toHaveLength(3);
  });

  it('generate: true also reports the referenced rule', () => {
    const e = engineOf([
      login,
      corr('type: event_count\nrules: [failed]\ngroup-by: [User]\ntimespan: 1m\ncondition: {gte: 2}\ngenerate: true'),
    ]);
    const out = e.process([at(0, { Outcome: 'fail', User: 'a' }), at(1, { Outcome: 'fail', User: 'a' })]);
    expect(out.map((m) => m.kind)).toEqual(['detection', 'detection', 'correlation']);
  });

  it('event_count with an upper bound is judged when the window closes', () => {
    const e = engineOf([
      login,
      corr('type: event_count\nrules: [failed]\ngroup-by: [User]\ntimespan: 1m\ncondition: {gt: 1, lte: 3}'),
    ]);
    let out = e.process([
      at(0, { Outcome: 'fail', User: 'a' }),
      at(5, { Outcome: 'fail', User: 'a' }),
      at(6, { Outcome: 'fail', User: 'b' }),
      at(7, { Outcome: 'fail', User: 'c' }),
      at(8, { Outcome: 'fail', User: 'c' }),
      at(9, { Outcome: 'fail', User: 'c' }),
      at(10, { Outcome: 'fail', User: 'c' }),
    ]);
    expect(out).toEqual([]);
    out = e.process([at(70, { Outcome: 'ok' })]);
    expect(out.map((m) => m.group)).toEqual([{ User: 'a' }]);
    expect(e.flush()).toEqual([]);
  });

  it('value_count counts distinct values per group', () => {
    const e = engineOf([
      login,
      corr('type: value_count\nrules: [failed]\ngroup-by: [SourceIp]\ntimespan: 5m\ncondition: {field: User, gte: 3}'),
    ]);
    const out = e.process([
      at(0, { Outcome: 'fail', User: 'a', SourceIp: '1.1.1.1' }),
      at(1, { Outcome: 'fail', User: 'a', SourceIp: '1.1.1.1' }),
      at(2, { Outcome: 'fail', User: 'b', SourceIp: '1.1.1.1' }),
      at(3, { Outcome: 'fail', User: 'c', SourceIp: '2.2.2.2' }),
      at(4, { Outcome: 'fail', User: 'c', SourceIp: '1.1.1.1' }),
    ]);
    expect(corrOnly(out).map((m) => m.group)).toEqual([{ SourceIp: '1.1.1.1' }]);
  });

  it('sliding windows forget old events', () => {
    const e = engineOf([
      login,
      corr('type: value_count\nrules: [failed]\ngroup-by: [SourceIp]\ntimespan: 1m\ncondition: {field: User, gte: 3}'),
    ]);
    const out = e.process([
      at(0, { Outcome: 'fail', User: 'a', SourceIp: 'x' }),
      at(50, { Outcome: 'fail', User: 'b', SourceIp: 'x' }),
      at(100, { Outcome: 'fail', User: 'c', SourceIp: 'x' }),
    ]);
    expect(out).toEqual([]);
  });

  it('temporal: all rules within the timespan, any order, same group', () => {
    const e = engineOf([
      base('recon_a', '{Cmd: whoami}'),
      base('recon_b', '{Cmd: ipconfig}'),
      corr('type: temporal\nrules: [recon_a, recon_b]\ngroup-by: [Host]\ntimespan: 1m'),
    ]);
    const out = e.process([
      at(0, { Cmd: 'ipconfig', Host: 'h1' }),
      at(5, { Cmd: 'whoami', Host: 'h2' }),
      at(10, { Cmd: 'whoami', Host: 'h1' }),
      at(200, { Cmd: 'ipconfig', Host: 'h2' }),
    ]);
    expect(out.map((m) => [m.kind, m.group])).toEqual([['correlation', { Host: 'h1' }]]);
    expect(out[0]!.events.map((x) => x.fields.Cmd)).toEqual(['whoami', 'ipconfig'].reverse());
  });

  it('temporal_ordered: in the listed order only', () => {
    const e = engineOf([
      base('step1', '{Action: newdevice}'),
      base('step2', '{Action: pwchange}'),
      base('step3', '{Action: transfer}'),
      corr('type: temporal_ordered\nrules: [step1, step2, step3]\ngroup-by: [Account]\ntimespan: 1h'),
    ]);
    const out = e.process([
      at(0, { Action: 'pwchange', Account: 'a' }),
      at(1, { Action: 'newdevice', Account: 'a' }),
      at(2, { Action: 'transfer', Account: 'a' }),
      at(3, { Action: 'newdevice', Account: 'b' }),
      at(4, { Action: 'pwchange', Account: 'b' }),
      at(5, { Action: 'transfer', Account: 'b' }),
    ]);
    expect(out.map((m) => m.group)).toEqual([{ Account: 'b' }]);
    expect(out[0]!.events.map((x) => x.fields.Action)).toEqual(['newdevice', 'pwchange', 'transfer']);
    // Too slow: the chain must fit in the timespan.
    const late = e.process([
      at(10_000, { Action: 'newdevice', Account: 'c' }),
      at(10_001, { Action: 'pwchange', Account: 'c' }),
      at(20_000, { Action: 'transfer', Account: 'c' }),
    ]);
    expect(late).toEqual([]);
  });

  it('value_sum, value_avg and value_percentile', () => {
    const web = base('upload', '{Method: POST}');
    const sum = engineOf([
      web,
      corr('type: value_sum\nrules: [upload]\ngroup-by: [User]\ntimespan: 1h\ncondition: {field: Bytes, gt: 1000}'),
    ]);
    expect(
      sum.process([at(0, { Method: 'POST', User: 'u', Bytes: 600 }), at(1, { Method: 'POST', User: 'v', Bytes: 600 })]),
    ).toEqual([]);
    expect(sum.process([at(2, { Method: 'POST', User: 'u', Bytes: '500' })]).map((m) => m.group)).toEqual([
      { User: 'u' },
    ]);

    const avg = engineOf([
      web,
      corr('type: value_avg\nrules: [upload]\ngroup-by: [User]\ntimespan: 1m\ncondition: {field: Bytes, gt: 500}'),
    ]);
    avg.process([
      at(0, { Method: 'POST', User: 'u', Bytes: 400 }),
      at(1, { Method: 'POST', User: 'u', Bytes: 700 }),
      at(2, { Method: 'POST', User: 'v', Bytes: 100 }),
    ]);
    expect(avg.flush().map((m) => m.group)).toEqual([{ User: 'u' }]);

    const pct = engineOf([
      base('proc', '{EventID: 1}'),
      corr('type: value_percentile\nrules: [proc]\ngroup-by: [Host]\ntimespan: 1d\ncondition: {field: Image, lte: 10}'),
    ]);
    const evs = Array.from({ length: 20 }, (_, i) => at(i, { EventID: 1, Host: 'h', Image: 'svchost.exe' }));
    expect(pct.process(evs)).toEqual([]);
    expect(pct.process([at(30, { EventID: 1, Host: 'h', Image: 'rare.exe' })]).map((m) => m.events.length)).toEqual([
      20,
    ]);
  });

  it('aliases group different fields of different rules together', () => {
    const e = engineOf([
      base('internal_error', '{status: 500}'),
      base('new_conn', '{type: connection}'),
      corr(
        'type: temporal\nrules: [internal_error, new_conn]\ngroup-by: [internal_ip]\ntimespan: 10s\naliases:\n  internal_ip:\n    internal_error: destination.ip\n    new_conn: source.ip',
      ),
    ]);
    const out = e.process([
      at(0, { type: 'connection', source: { ip: '10.0.0.5' } }),
      at(1, { status: 500, destination: { ip: '10.0.0.9' } }),
      at(2, { status: 500, destination: { ip: '10.0.0.5' } }),
    ]);
    expect(out.map((m) => m.group)).toEqual([{ internal_ip: '10.0.0.5' }]);
  });

  it('chains: a correlation of correlations, by name', () => {
    const rules = [
      base('failed_login', '{EventID: 4625}'),
      base('ok_login', '{EventID: 4624}'),
      'title: many failures\nid: many\nname: many_failed\ncorrelation:\n  type: event_count\n  rules: [failed_login]\n  group-by: [User]\n  timespan: 10m\n  condition: {gte: 3}\n',
      'title: brute force then success\nid: chain\nlevel: critical\ncorrelation:\n  type: temporal_ordered\n  rules: [many_failed, ok_login]\n  group-by: [User]\n  timespan: 10m\n',
    ];
    const e = engineOf(rules);
    expect(e.report.errors).toEqual([]);
    const out = e.process([
      at(0, { EventID: 4625, User: 'x' }),
      at(1, { EventID: 4625, User: 'x' }),
      at(2, { EventID: 4625, User: 'x' }),
      at(3, { EventID: 4624, User: 'x' }),
      at(4, { EventID: 4624, User: 'y' }),
    ]);
    expect(out.map((m) => [m.ruleId, m.level, m.group])).toEqual([['chain', 'critical', { User: 'x' }]]);
    expect(out[0]!.events).toHaveLength(4);
  });

  it('refuses reference cycles and references to correlations that failed', () => {
    const e = engineOf([
      'title: a\nid: ca\ncorrelation:\n  type: event_count\n  rules: [cb]\n  group-by: [U]\n  timespan: 1m\n  condition: {gte: 1}\n',
      'title: b\nid: cb\ncorrelation:\n  type: event_count\n  rules: [ca]\n  group-by: [U]\n  timespan: 1m\n  condition: {gte: 1}\n',
      'title: c\nid: cc\ncorrelation:\n  type: event_count\n  rules: [gone]\n  group-by: [U]\n  timespan: 1m\n  condition: {gte: 1}\n',
      'title: d\nid: cd\ncorrelation:\n  type: temporal\n  rules: [cc]\n  group-by: [U]\n  timespan: 1m\n',
    ]);
    const reasons = Object.fromEntries(e.report.errors.map((x) => [x.ruleId, x.reason]));
    expect(reasons.ca).toMatch(/cycle/);
    expect(reasons.cc).toMatch(/"gone", which is not a loaded rule/);
    expect(reasons.cd).toMatch(/cc, which did not compile/);
  });

  it('state stays bounded: groups are capped and expired ones dropped', () => {
    const e = engineOf(
      [login, corr('type: event_count\nrules: [failed]\ngroup-by: [User]\ntimespan: 1m\ncondition: {gte: 1000}')],
      { correlation: { maxGroups: 500 } },
    );
    for (let i = 0; i < 20_000; i++) e.process([at(i / 100, { Outcome: 'fail', User: `u${i}` })]);
    expect(e.correlationState()).toBeLessThanOrEqual(500);
    for (let i = 0; i < 300; i++) e.process([at(1000 + i, { Outcome: 'ok' })]);
    e.process([at(5000, { Outcome: 'fail', User: 'late' })]);
    expect(e.correlationState()).toBeLessThan(500);
  });
  it('a match carries the first and the last events of its group, and a group keeps no more', () => {
    const e = engineOf([
      login,
      corr('type: event_count\nrules: [failed]\ngroup-by: [User]\ntimespan: 1h\ncondition: {gte: 1000}'),
    ]);
    let out: RuleMatch[] = [];
    for (let i = 0; i < 1000; i++) {
      out = e.process([at(i, { Outcome: 'fail', User: 'a', n: i })]);
      if (i === 500) expect(e.correlationStats().events).toBe(20);
    }
    expect(out).toHaveLength(1);
    expect(out[0]!.events.map((x) => x.fields.n)).toEqual([
      0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 990, 991, 992, 993, 994, 995, 996, 997, 998, 999,
    ]);
    expect(e.correlationStats()).toMatchObject({ groups: 1, events: 0 });
  });

  it('sample events leave with their window; state is released when groups go', () => {
    const e = engineOf([
      login,
      corr(
        'type: value_count\nrules: [failed]\ngroup-by: [SourceIp]\ntimespan: 1m\ncondition: {field: User, gte: 100}',
      ),
    ]);
    for (let i = 0; i < 600; i++) e.process([at(i, { Outcome: 'fail', User: `u${i}`, SourceIp: 'x' })]);
    // One event a second in a one-minute window: at most 61 still inside it, of which 20 are kept.
    expect(e.correlationStats()).toMatchObject({ groups: 1, events: 20 });
    expect(e.flush()).toEqual([]);
    expect(e.correlationStats()).toMatchObject({ groups: 0, events: 0, bytes: 0 });
  });

  it('one memory budget across correlations: the least recently hit groups are evicted and counted', () => {
    const rules = [
      login,
      corr('type: event_count\nrules: [failed]\ngroup-by: [User]\ntimespan: 1h\ncondition: {gte: 1000}'),
      corr(
        'type: value_count\nrules: [failed]\ngroup-by: [User]\ntimespan: 1h\ncondition: {field: Ip, gte: 1000}',
      ).replace(/id: corr/, 'id: corr2'),
    ];
    const e = engineOf(rules, { correlation: { maxStateBytes: 2 * 1024 * 1024 } });
    for (let i = 0; i < 20_000; i++)
      e.process([at(i / 10, { Outcome: 'fail', User: `u${i}`, Ip: `10.0.${i % 250}.1`, pad: 'x'.repeat(200) })]);
    const st = e.correlationStats();
    expect(st.bytes).toBeLessThanOrEqual(2 * 1024 * 1024);
    expect(st.evictedGroups).toBeGreaterThan(20_000);
    expect(st.groups).toBeGreaterThan(1000);
    // The most recent groups are still there: a user's next failure completes nothing, but counts.
    expect(e.correlationState()).toBe(st.groups);
  });

  it('under memory pressure groups give up their sample events before anything is evicted; counts stay', () => {
    const e = engineOf(
      [
        login,
        corr('type: value_count\nrules: [failed]\ngroup-by: [User]\ntimespan: 1h\ncondition: {field: Ip, gte: 2}'),
      ],
      { correlation: { maxStateBytes: 8 * 1024 * 1024 } },
    );
    for (let i = 0; i < 5000; i++)
      expect(
        e.process([at(i / 10, { Outcome: 'fail', User: `u${i}`, Ip: '10.0.0.1', pad: 'x'.repeat(2000) })]),
      ).toEqual([]);
    const st = e.correlationStats();
    expect(st).toMatchObject({ groups: 5000, evictedGroups: 0 });
    expect(st.shedEvents).toBeGreaterThan(1000);
    expect(st.bytes).toBeLessThanOrEqual(8 * 1024 * 1024);
    // The first user's evidence is gone, not its count: a second address fires, with the event that did it.
    const out = e.process([at(600, { Outcome: 'fail', User: 'u0', Ip: '10.0.0.2' })]);
    expect(out.map((m) => [m.group, m.events.map((x) => x.fields.Ip)])).toEqual([[{ User: 'u0' }, ['10.0.0.2']]]);
  });

  describe('tick: windows that only time closes', () => {
    const beat = base('beat', '{event: heartbeat}');
    const silence = corr('type: event_count\nrules: [beat]\ngroup-by: [feed]\ntimespan: 1m\ncondition: {lt: 3}');
    const hb = (sec: number, feed: string) => at(sec, { event: 'heartbeat', feed });

    it('fires once, after the window end plus the lateness allowance, with no further events', () => {
      let wall = T0;
      const e = engineOf([beat, silence], { clock: () => wall, latenessMs: 5000 });
      wall = T0 + 2 * S;
      expect(e.process([hb(0, 'sse'), hb(1, 'sse'), hb(1, 'szse'), hb(2, 'szse'), hb(2, 'szse')])).toEqual([]);
      expect(e.tick(T0 + 30 * S)).toEqual([]);
      // The window [0 s, 60 s) ends; with 5 s allowed for late events, it closes once the clock passes 65 s.
      expect(e.tick(T0 + 64 * S)).toEqual([]);
      const out = e.tick(T0 + 66 * S);
      expect(out.map((m) => [m.ruleId, m.group, m.events.length])).toEqual([['corr', { feed: 'sse' }, 2]]);
      expect(e.tick(T0 + 67 * S)).toEqual([]);
      // szse's window [1 s, 61 s) held 3 and did not fire; a whole minute of silence after it does, once.
      expect(e.tick(T0 + 125 * S)).toEqual([]);
      const silent = e.tick(T0 + 127 * S);
      expect(silent.map((m) => [m.ruleId, m.group, m.events.map((x) => x.time), m.time])).toEqual([
        ['corr', { feed: 'szse' }, [T0 + 2 * S], T0 + 121 * S],
      ]);
      expect(e.tick(T0 + 600 * S)).toEqual([]);
      expect(e.flush()).toEqual([]);
    });

    it('a feed beating again after a healthy window is not silent; the end of input is not silence', () => {
      let wall = T0;
      const e = engineOf([beat, silence], { clock: () => wall, latenessMs: 0 });
      wall = T0 + 70 * S;
      e.process([hb(0, 'a'), hb(20, 'a'), hb(40, 'a'), hb(70, 'a'), hb(90, 'a'), hb(110, 'a')]);
      // [0, 60) held 3, [70, 130) holds 3: nothing fires while it beats.
      expect(e.tick(T0 + 129 * S)).toEqual([]);
      expect(e.flush()).toEqual([]);
      // Offline (no tick), the same events end with no silence alert either.
      const offline = engineOf([beat, silence]);
      expect([...offline.process([hb(0, 'b'), hb(20, 'b'), hb(40, 'b')]), ...offline.flush()]).toEqual([]);
    });

    it('replaying the past: only the time idle since the last event counts, not how old events are', () => {
      const day = T0 + 86_400 * S;
      let wall = day;
      const e = engineOf([beat, silence], { clock: () => wall, latenessMs: 5000 });
      e.process([hb(0, 'old')]);
      expect(e.tick(day + S)).toEqual([]);
      // Events keep coming: event time moves with them, and ticks in between close nothing.
      for (let sec = 10; sec <= 50; sec += 10) {
        wall = day + sec * S;
        e.process([hb(sec, 'busy')]);
        expect(e.tick(wall + 500)).toEqual([]);
      }
      // Idle from here: the window of `old` ([0 s, 60 s)) closes 15 s (10 s left, 5 s allowed) later.
      expect(e.tick(wall + 14 * S)).toEqual([]);
      expect(e.tick(wall + 16 * S).map((m) => m.group)).toEqual([{ feed: 'old' }]);
      expect(e.flush()).toEqual([]);
    });

    it('a window with enough events does not fire; a late event after the close opens a new window', () => {
      let wall = T0;
      const e = engineOf([beat, silence], { clock: () => wall, latenessMs: 0 });
      wall = T0 + 50 * S;
      e.process([hb(0, 'a'), hb(20, 'a'), hb(50, 'a')]);
      expect(e.tick(T0 + 61 * S)).toEqual([]);
      wall = T0 + 70 * S;
      e.process([hb(65, 'a')]);
      expect(e.tick(T0 + 200 * S).map((m) => m.group)).toEqual([{ feed: 'a' }]);
    });
  });
});
