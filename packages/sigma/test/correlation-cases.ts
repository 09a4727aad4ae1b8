/**
 * Correlation scenarios as data (rules and their events), for tests that run the same case through
 * different paths: the cases of correlation.test.ts, and streams mixing every correlation type, chains,
 * aliases, shared rules, late events and silent feeds.
 */
import type { DetectionEvent } from '../src/event.js';

export interface CorrelationCase {
  name: string;
  rules: string[];
  events: DetectionEvent[];
  /**
   * Why the case needs stage two to learn each event's time (batches of one event): a chain whose
   * child fires when event time closes its window. `process` closes it at the first event past its end;
   * stage two, at the next feed or `advance` it gets, so the parent may see that firing after other hits.
   */
  perEvent?: string;
  /**
   * Why the case holds on one partition only: `process` closes windows in the order they opened, so a
   * window opened by a late event waits for those opened before it, which other partitions may hold.
   */
  onePartition?: string;
}

const T0 = 1_700_000_000_000;
const S = 1000;
let n = 0;
const at = (sec: number, fields: Record<string, unknown>, product = 'test'): DetectionEvent => ({
  id: `c${++n}`,
  time: T0 + sec * S,
  source: 'test',
  logsource: { product },
  fields,
});
const base = (id: string, sel: string, extra = '') =>
  `title: ${id}\nid: ${id}\nname: ${id}\nlogsource: {product: test}\ndetection:\n  sel: ${sel}\n  condition: sel\n${extra}`;
const corr = (id: string, body: string, extra = '') =>
  `title: ${id}\nid: ${id}\nname: ${id}\nlevel: high\ncorrelation:\n${body.replace(/^/gm, '  ')}\n${extra}`;

/** A small deterministic random number generator (mulberry32). */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const pick = <T>(r: () => number, xs: T[]): T => xs[Math.floor(r() * xs.length)]!;

const login = base('failed', '{Outcome: fail}');
const ok = base('ok', '{Outcome: ok}');
const beat = base('beat', '{event: heartbeat}');
const upload = base('upload', '{Method: POST}');

/**
 * Every correlation type over one stream; chains of sliding and windowed correlations; rules shared by
 * correlations. Components keyed by User, Host or feed.
 */
const mixedRules = [
  login,
  ok,
  upload,
  beat,
  base('upload2', '{Method: POST}'),
  base('whoami', '{Cmd: whoami}'),
  base('ipconfig', '{Cmd: ipconfig}'),
  corr('burst', 'type: event_count\nrules: [failed]\ngroup-by: [User]\ntimespan: 1m\ncondition: {gte: 3}'),
  corr('few', 'type: event_count\nrules: [failed]\ngroup-by: [User, Ip]\ntimespan: 1m\ncondition: {gt: 1, lte: 3}'),
  corr('takeover', 'type: temporal_ordered\nrules: [burst, ok]\ngroup-by: [User]\ntimespan: 5m', 'generate: true'),
  corr(
    'sum',
    'type: value_sum\nrules: [upload]\ngroup-by: [User, Host]\ntimespan: 3m\ncondition: {field: Bytes, gt: 2000}',
  ),
  corr('avg', 'type: value_avg\nrules: [upload]\ngroup-by: [User]\ntimespan: 1m\ncondition: {field: Bytes, gt: 600}'),
  corr(
    'pct',
    'type: value_percentile\nrules: [upload2]\ngroup-by: [Host]\ntimespan: 10m\ncondition: {field: Bytes, lte: 10}',
  ),
  corr('recon', 'type: temporal\nrules: [whoami, ipconfig]\ngroup-by: [Host]\ntimespan: 1m'),
  corr('silent', 'type: event_count\nrules: [beat]\ngroup-by: [feed]\ntimespan: 1m\ncondition: {lt: 3}'),
];

/** A component that cannot be split: two correlations share a rule but no group-by field. */
const unsplitRules = [
  login,
  corr('spray', 'type: value_count\nrules: [failed]\ngroup-by: [Ip]\ntimespan: 2m\ncondition: {field: User, gte: 3}'),
  corr('burst', 'type: event_count\nrules: [failed]\ngroup-by: [User]\ntimespan: 1m\ncondition: {gte: 3}'),
];

/** Chains over correlations judged when their window ends (or a feed goes silent). */
const windowChainRules = [
  login,
  ok,
  beat,
  corr('few', 'type: event_count\nrules: [failed]\ngroup-by: [User, Ip]\ntimespan: 1m\ncondition: {gt: 1, lte: 3}'),
  corr('few_then_ok', 'type: temporal_ordered\nrules: [few, ok]\ngroup-by: [User]\ntimespan: 5m'),
  corr('silent', 'type: event_count\nrules: [beat]\ngroup-by: [feed]\ntimespan: 1m\ncondition: {lt: 3}'),
  corr('quiet_then_ok', 'type: temporal\nrules: [silent, ok]\ntimespan: 10m'),
];

function mixedEvents(seed: number, count: number, lateEvery = 0): DetectionEvent[] {
  const r = random(seed);
  const users = ['alice', 'bob', 'carol', 'dave', 'erin', 'frank', 'grace', 5, '5'];
  const hosts = ['h1', 'h2', 'h3', 'h4'];
  const out: DetectionEvent[] = [];
  let sec = 0;
  for (let i = 0; i < count; i++) {
    sec += r() < 0.1 ? 30 + Math.floor(r() * 90) : Math.floor(r() * 4);
    const late = lateEvery && i % lateEvery === 0 ? -Math.floor(r() * 40) : 0;
    const x = r();
    const fields: Record<string, unknown> =
      x < 0.45
        ? { Outcome: 'fail', User: pick(r, users), Ip: `10.0.0.${Math.floor(r() * 4)}` }
        : x < 0.55
          ? { Outcome: 'ok', User: pick(r, users) }
          : x < 0.75
            ? { Method: 'POST', User: pick(r, users), Host: pick(r, hosts), Bytes: Math.floor(r() * 1500) }
            : x < 0.85
              ? { Cmd: pick(r, ['whoami', 'ipconfig']), Host: pick(r, hosts) }
              : x < 0.95
                ? { event: 'heartbeat', feed: pick(r, ['sse', 'szse', 'hk']) }
                : { Other: 'noise' };
    if (r() < 0.05) delete fields.User;
    out.push(at(sec + late, fields));
  }
  return out;
}

export const CORRELATION_CASES: CorrelationCase[] = [
  {
    name: 'event_count per group; the base rule is silent',
    rules: [
      login,
      corr('c', 'type: event_count\nrules: [failed]\ngroup-by: [User]\ntimespan: 1m\ncondition: {gte: 3}'),
    ],
    events: [0, 10, 20, 100, 110, 115].map((s, i) => at(s, { Outcome: 'fail', User: i === 1 ? 'b' : 'a' })),
  },
  {
    name: 'generate: true also reports the referenced rule',
    rules: [
      login,
      corr(
        'c',
        'type: event_count\nrules: [failed]\ngroup-by: [User]\ntimespan: 1m\ncondition: {gte: 2}\ngenerate: true',
      ),
    ],
    events: [at(0, { Outcome: 'fail', User: 'a' }), at(1, { Outcome: 'fail', User: 'a' })],
  },
  {
    name: 'event_count with an upper bound, judged when the window closes',
    rules: [
      login,
      corr('c', 'type: event_count\nrules: [failed]\ngroup-by: [User]\ntimespan: 1m\ncondition: {gt: 1, lte: 3}'),
    ],
    events: [
      ...[0, 5].map((s) => at(s, { Outcome: 'fail', User: 'a' })),
      at(6, { Outcome: 'fail', User: 'b' }),
      ...[7, 8, 9, 10].map((s) => at(s, { Outcome: 'fail', User: 'c' })),
      at(70, { Outcome: 'ok' }),
    ],
  },
  {
    name: 'temporal and temporal_ordered',
    rules: [
      base('a', '{Action: newdevice}'),
      base('b', '{Action: pwchange}'),
      base('c', '{Action: transfer}'),
      corr('ordered', 'type: temporal_ordered\nrules: [a, b, c]\ngroup-by: [Account]\ntimespan: 1h'),
      corr('any', 'type: temporal\nrules: [a, c]\ngroup-by: [Account]\ntimespan: 10m'),
    ],
    events: [
      ['pwchange', 'a'],
      ['newdevice', 'a'],
      ['transfer', 'a'],
      ['newdevice', 'b'],
      ['pwchange', 'b'],
      ['transfer', 'b'],
    ].map(([Action, Account], i) => at(i, { Action, Account })),
  },
  {
    name: 'aliases group different fields of different rules together',
    rules: [
      base('internal_error', '{status: 500}'),
      base('new_conn', '{type: connection}'),
      corr(
        'c',
        'type: temporal\nrules: [internal_error, new_conn]\ngroup-by: [internal_ip]\ntimespan: 10s\naliases:\n  internal_ip:\n    internal_error: destination.ip\n    new_conn: source.ip',
      ),
    ],
    events: [
      at(0, { type: 'connection', source: { ip: '10.0.0.5' } }),
      at(1, { status: 500, destination: { ip: '10.0.0.9' } }),
      at(2, { status: 500, destination: { ip: '10.0.0.5' } }),
    ],
  },
  {
    name: 'a chain by name: many failures then a success',
    rules: [
      base('failed_login', '{EventID: 4625}'),
      base('ok_login', '{EventID: 4624}'),
      'title: many\nid: many\nname: many_failed\ncorrelation:\n  type: event_count\n  rules: [failed_login]\n  group-by: [User]\n  timespan: 10m\n  condition: {gte: 3}\n',
      'title: chain\nid: chain\nlevel: critical\ncorrelation:\n  type: temporal_ordered\n  rules: [many_failed, ok_login]\n  group-by: [User]\n  timespan: 10m\n',
    ],
    events: [
      ...[0, 1, 2].map((s) => at(s, { EventID: 4625, User: 'x' })),
      at(3, { EventID: 4624, User: 'x' }),
      at(4, { EventID: 4624, User: 'y' }),
    ],
  },
  {
    name: 'a match carries the first and the last events of its group',
    rules: [
      login,
      corr('c', 'type: event_count\nrules: [failed]\ngroup-by: [User]\ntimespan: 1h\ncondition: {gte: 100}'),
    ],
    events: Array.from({ length: 250 }, (_, i) => at(i, { Outcome: 'fail', User: i % 2 ? 'a' : 'b', n: i })),
  },
  {
    name: 'a group quiet for longer than its timespan starts over (sample events too)',
    rules: [
      login,
      corr('c', 'type: event_count\nrules: [failed]\ngroup-by: [User]\ntimespan: 1m\ncondition: {gte: 25}'),
    ],
    events: [
      ...Array.from({ length: 15 }, (_, i) => at(i, { Outcome: 'fail', User: 'a' })),
      // Enough events in between for process to sweep expired groups; stage two sees none of them.
      ...Array.from({ length: 300 }, (_, i) => at(100 + i, { Other: 'noise' })),
      ...Array.from({ length: 30 }, (_, i) => at(400 + i, { Outcome: 'fail', User: 'a' })),
    ],
  },
  {
    name: 'silence: fewer than 3 heartbeats, and a whole timespan without one',
    rules: [beat, corr('c', 'type: event_count\nrules: [beat]\ngroup-by: [feed]\ntimespan: 1m\ncondition: {lt: 3}')],
    events: [
      ...[0, 1].map((s) => at(s, { event: 'heartbeat', feed: 'sse' })),
      ...[1, 2, 2].map((s) => at(s, { event: 'heartbeat', feed: 'szse' })),
      at(70, { other: 1 }),
      at(200, { other: 1 }),
    ],
  },
  { name: 'a component with no group-by field in common', rules: unsplitRules, events: mixedEvents(7, 800) },
  { name: 'every type, chains and shared rules (stream 1)', rules: mixedRules, events: mixedEvents(1, 1500) },
  { name: 'every type, chains and shared rules (stream 2)', rules: mixedRules, events: mixedEvents(2, 1500) },
  {
    name: 'chains over windows and silence',
    rules: windowChainRules,
    events: mixedEvents(4, 1500),
    perEvent: 'the children fire when event time passes the end of their window',
  },
  {
    name: 'every type, with late events',
    rules: mixedRules,
    events: mixedEvents(3, 1500, 7),
    onePartition: 'windows opened by late events close in opening order',
  },
];
