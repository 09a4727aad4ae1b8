/**
 * Ownership of correlation partitions (NATS KV `P_owners`, real NATS, own prefix): fair shares as
 * workers come and go, a graceful stop handing partitions over, and a lost renewal stopping a
 * partition at once.
 */
import { randomBytes } from 'node:crypto';
import { Kvm } from '@nats-io/kv';
import { afterAll, describe, expect, it } from 'vitest';
import { connectNats, type Nats } from '../../src/server/platform/cluster/nats.js';
import {
  corrSubject,
  encodeFeeds,
  type CorrelationFeed,
} from '../../src/server/modules/detection/cluster/corr-messages.js';
import { createStageTwo, type StageTwo } from '../../src/server/modules/detection/cluster/stage-two.js';
import { bodyCorrelator } from '../../src/server/modules/detection/cluster/stage-two-partition.js';
import { createCheckpoints } from '../../src/server/modules/detection/cluster/stage-two-checkpoint.js';
import { ownersBucket } from '../../src/server/modules/detection/cluster/stage-two-ownership.js';
import type { RuleMatch } from '../../src/server/modules/detection/index.js';
import { dropNatsPrefix, NATS_URL } from '../helpers/nats.js';

const TTL_MS = 3000;
const RENEW_MS = 300;

async function until(check: () => boolean | Promise<boolean>, ms: number, what: string): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** Every feed is a match of its own (enough to see which worker hands what over), named `tag:event id`. */
const echo = (tag = 'v1') => ({
  feed: (feeds: CorrelationFeed[]): RuleMatch[] =>
    feeds.map((f) => ({
      ruleId: tag,
      ruleTitle: 'echo',
      level: 'low',
      tags: [],
      kind: 'correlation',
      events: [f.event],
      time: f.time,
    })),
  advance: () => [],
  tick: () => [],
});

const feed = (id: string): CorrelationFeed => ({
  correlation: 'echo',
  indices: [0],
  key: id,
  time: 1,
  event: { id, time: 1, source: 'api', logsource: {}, fields: {} },
  values: {},
});

describe.skipIf(!NATS_URL)('stage two: partition ownership', () => {
  const conns: Nats[] = [];
  const instances: StageTwo[] = [];
  const prefixes: string[] = [];

  afterAll(async () => {
    for (const s of instances) await s.kill();
    for (const c of conns) await c.close();
    for (const prefix of prefixes) await dropNatsPrefix(prefix);
  });

  async function setup(partitions: number, version: { tag: string; spanMs?: number } = { tag: 'v1' }) {
    const logs: string[] = [];
    const prefix = `t${randomBytes(4).toString('hex')}`;
    prefixes.push(prefix);
    const raised = new Map<string, string[]>();
    const errors: string[] = [];
    const connect = async (name: string) => {
      const c = await connectNats({ servers: [NATS_URL!], prefix }, name);
      conns.push(c);
      return c;
    };
    const worker = async (name: string) => {
      raised.set(name, []);
      const s = createStageTwo({
        nats: await connect(name),
        id: name,
        partitions,
        retentionMs: 10 * 60_000,
        correlators: () => ({
          create: () => echo(version.tag),
          timespans: version.spanMs ? [{ ruleId: version.tag, ms: version.spanMs }] : [],
        }),
        log: (level, msg) => logs.push(`${level}: ${msg}`),
        raise: async (ms) => raised.get(name)!.push(...ms.map((m) => `${m.ruleId}:${m.events[0]!.id}`)),
        ttlMs: TTL_MS,
        renewMs: RENEW_MS,
        onError: (err, where) => errors.push(`${name} ${where}: ${(err as Error).message}`),
      });
      instances.push(s);
      return s;
    };
    return { prefix, raised, errors, logs, worker, connect };
  }

  it('shares 16 partitions fairly among three workers, and a graceful stop hands its partitions to the others at their next round', async () => {
    const { worker, errors } = await setup(16);
    const ws = [await worker('a'), await worker('b'), await worker('c')];
    for (const w of ws) await w.start();
    const all = () => ws.flatMap((w) => w.owned()).sort((x, y) => x - y);
    await until(
      () => ws.every((w) => w.owned().length <= 6) && all().length === 16, // ceil(16 / 3) at most
      10_000,
      'a fair split',
    );
    expect(all()).toEqual(Array.from({ length: 16 }, (_, i) => i)); // each owned by exactly one
    await ws[2]!.stop();
    expect(ws[2]!.owned()).toEqual([]);
    await until(() => ws[0]!.owned().length === 8 && ws[1]!.owned().length === 8, TTL_MS, 'the hand-over');
    expect(all()).toEqual(Array.from({ length: 16 }, (_, i) => i));
    expect(errors).toEqual([]);
  }, 30_000);

  it('stops a partition at once when its renewal is refused (someone else wrote the key): nothing more is raised from it', async () => {
    const { prefix, raised, worker, connect } = await setup(2);
    const w = await worker('solo');
    await w.start();
    expect(w.owned()).toEqual([0, 1]);
    const pub = await connect('pub');
    const send = async (p: number, id: string) => {
      const m = encodeFeeds([feed(id)]);
      await pub.js.publish(corrSubject(prefix, p), m.data, { headers: m.headers });
    };
    await send(0, 'before');
    await until(() => raised.get('solo')!.includes('v1:before'), 5000, 'the first feed raised');

    // Another writer takes partition 0's key: the next renewal fails and the partition stops.
    const kv = await new Kvm(pub.js).open(ownersBucket(prefix));
    await kv.put('part.0', 'intruder');
    const keepAlive = setInterval(() => void kv.put('part.0', 'intruder').catch(() => {}), RENEW_MS);
    try {
      await until(() => !w.owned().includes(0), 5000, 'the loss');
      await send(0, 'after-loss');
      await send(1, 'still-ours');
      await until(() => raised.get('solo')!.includes('v1:still-ours'), 5000, 'partition 1 still fed');
      await w.idle();
      expect(raised.get('solo')).not.toContain('v1:after-loss');
      expect(w.owned()).toEqual([1]);
    } finally {
      clearInterval(keepAlive);
    }
  }, 30_000);

  it('starts its partitions again with the new rule set when rules change, replaying the stream without raising again what was raised', async () => {
    const version: { tag: string; spanMs?: number } = { tag: 'v1' };
    const { prefix, raised, logs, worker, connect } = await setup(1, version);
    const w = await worker('r');
    await w.start();
    const pub = await connect('pub');
    const send = async (id: string) => {
      const m = encodeFeeds([feed(id)]);
      await pub.js.publish(corrSubject(prefix, 0), m.data, { headers: m.headers });
    };
    await send('e1');
    await until(() => raised.get('r')!.includes('v1:e1'), 5000, 'e1 raised');
    await w.idle();
    // Recorded as raised at the next tick.
    const record = createCheckpoints(pub);
    await until(async () => (await record.read(0)) > 0, 5000, 'the record of what was raised');

    version.tag = 'v2';
    version.spanMs = 2 * 3_600_000; // longer than the 10 minutes P_corr keeps here
    w.rulesChanged();
    expect(logs.filter((l) => l.startsWith('warn'))).toEqual([
      'warn: correlation v2 spans 120 min, longer than P_corr keeps feeds (TOCSIN_CORRELATION_RETENTION_MINUTES=10): a partition taken over rebuilds only what the stream keeps',
    ]);
    await send('e2');
    await until(() => raised.get('r')!.includes('v2:e2'), 5000, 'e2 raised by the new rule set');
    await until(() => w.lag().every((l) => l.caughtUp), 5000, 'the replay');
    await w.idle();
    expect(raised.get('r')).toEqual(['v1:e1', 'v2:e2']); // e1 replayed into the new correlator, not raised again
  }, 30_000);

  it('rebuilds a partition from the stream when its correlator is lost with the engine thread: the later feed raised once', async () => {
    const { prefix, raised, errors, connect } = await setup(1);
    let made = 0;
    let lose = false;
    raised.set('t', []);
    // Correlators as the engine thread gives them (bodies in, matches out); the first one is lost on demand.
    const pub = await connect('pub');
    const send = async (id: string) => {
      const m = encodeFeeds([feed(id)]);
      await pub.js.publish(corrSubject(prefix, 0), m.data, { headers: m.headers });
    };
    const lost = createStageTwo({
      nats: await connect('t2'),
      id: 't2',
      partitions: 1,
      retentionMs: 10 * 60_000,
      correlators: () => ({
        create: () => {
          const n = ++made;
          const inner = bodyCorrelator(echo(`c${n}`));
          return {
            apply: (bodies) =>
              n === 1 && lose ? Promise.reject(new Error('the detection worker stopped')) : inner.apply(bodies),
            tick: inner.tick,
            close: inner.close,
          };
        },
      }),
      raise: async (ms) => raised.get('t')!.push(...ms.map((m) => `${m.ruleId}:${m.events[0]!.id}`)),
      ttlMs: TTL_MS,
      renewMs: RENEW_MS,
      onError: (err, where) => errors.push(`${where}: ${(err as Error).message}`),
    });
    instances.push(lost);
    await lost.start();
    await until(() => lost.owned().length === 1, 5000, 'the partition owned');
    await send('before');
    await until(() => raised.get('t')!.includes('c1:before'), 5000, 'the first feed raised');
    lose = true;
    await send('after');
    await until(() => raised.get('t')!.includes('c2:after'), 10_000, 'the partition rebuilt');
    await lost.idle();
    expect(made).toBe(2);
    expect(errors).toContain('partition 0: the detection worker stopped');
    expect(raised.get('t')!.filter((x) => x.endsWith(':after'))).toEqual(['c2:after']);
  }, 30_000);
});
