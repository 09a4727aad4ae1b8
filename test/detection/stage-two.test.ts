/**
 * Stage two of detection across processes, on a real NATS JetStream (own prefix) and a real store:
 * correlation feeds for "5 failed logins by the same user in 1 min" spread over 4 partitions, two
 * stage-two instances sharing them, one dying mid-stream without giving anything back.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compose, type Services } from '../../src/server/compose.js';
import { connectNats, type Nats } from '../../src/server/platform/cluster/nats.js';
import {
  corrMsgId,
  corrSubject,
  encodeFeeds,
  encodeWatermark,
  ensureCorrStream,
  type CorrelationFeed,
} from '../../src/server/modules/detection/cluster/corr-messages.js';
import { createStageTwo, type StageTwo } from '../../src/server/modules/detection/cluster/stage-two.js';
import { createCheckpoints } from '../../src/server/modules/detection/cluster/stage-two-checkpoint.js';
import {
  createCorrelator,
  createSigmaEngine,
  partitionOf,
  type DetectionEvent,
  type SigmaEngineOptions,
} from '@tocsin/sigma';
import { dropNatsPrefix, NATS_URL } from '../helpers/nats.js';
import { PG_URL, testConfig } from '../helpers/store.js';

const PARTITIONS = 4;
const TTL_MS = 3000;
const RENEW_MS = 500;
const T0 = Date.UTC(2026, 11, 3, 9, 30);

/** Polls `check` until it holds or `ms` pass (no sleeping on a fixed time to assert elapsed time). */
async function until(check: () => boolean | Promise<boolean>, ms = 20_000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** "5 failed logins by the same user in 1 min": a detection rule and its correlation (named per test). */
const rulesFor = (rule: string): SigmaEngineOptions => ({
  rules: [
    {
      file: `${rule}.yml`,
      text: `title: Failed login
id: ${rule}-failed-login
name: ${rule}_failed_login
status: test
logsource:
  product: trading
  service: auth
detection:
  selection:
    outcome: failure
  condition: selection
level: low
---
title: 5 failed logins by the same user in 1 min
id: ${rule}
status: test
correlation:
  type: event_count
  rules:
    - ${rule}_failed_login
  group-by:
    - user
  timespan: 1m
  condition:
    gte: 5
level: high
`,
    },
  ],
});

let n = 0;
const failedLogin = (user: string, time: number): DetectionEvent => ({
  id: `ev-${user}-${++n}`,
  time,
  source: 'api',
  logsource: { product: 'trading', service: 'auth' },
  fields: { user, outcome: 'failure' },
});

describe.skipIf(!NATS_URL)('stage two: correlation partitions across workers', () => {
  const kind = PG_URL ? 'postgres' : 'sqlite';
  let drop: () => Promise<void>;
  let services: Services;
  const conns: Nats[] = [];
  const instances: StageTwo[] = [];
  const prefixes: string[] = [];

  beforeAll(async () => {
    const t = testConfig(kind);
    drop = t.drop;
    services = await compose(t.config);
  });

  afterAll(async () => {
    for (const s of instances) await s.kill();
    for (const c of conns) await c.close();
    for (const prefix of prefixes) await dropNatsPrefix(prefix);
    await services?.close();
    await drop?.();
  });

  /**
   * Two instances share the partitions; feeds of "early" groups fire before w1 dies, "straddling" groups
   * get 3 failures before and 2 after. `w1TickMs` large: w1 never records how far it raised.
   */
  async function scenario(rule: string, o: { waitForCheckpoint: boolean; w1TickMs?: number }) {
    const prefix = `t${randomBytes(4).toString('hex')}`;
    prefixes.push(prefix);
    const errors: string[] = [];
    const connect = async (name: string) => {
      const c = await connectNats({ servers: [NATS_URL!], prefix }, name);
      conns.push(c);
      return c;
    };
    const pub = await connect('test-publisher');
    await ensureCorrStream(pub.jsm, prefix, 60 * 60_000);
    const options = rulesFor(rule);
    const stageOne = createSigmaEngine(options);
    let batch = 0;
    /** Stage one: evaluates the events, publishes the feeds per partition, then a watermark to every partition. */
    const publish = async (events: DetectionEvent[]) => {
      const b = String(++batch);
      const { feeds, maxTime } = stageOne.evaluate(events);
      const by = new Map<number, CorrelationFeed[]>();
      for (const f of feeds) {
        const p = partitionOf(f.key, PARTITIONS);
        by.set(p, [...(by.get(p) ?? []), f]);
      }
      for (const [p, fs] of by) {
        const m = encodeFeeds(fs, corrMsgId(b, p, 'feeds'));
        await pub.js.publish(corrSubject(prefix, p), m.data, { headers: m.headers, msgID: corrMsgId(b, p, 'feeds') });
      }
      for (let p = 0; p < PARTITIONS; p++) {
        const m = encodeWatermark(maxTime, corrMsgId(b, p, 'watermark'));
        await pub.js.publish(corrSubject(prefix, p), m.data, { headers: m.headers });
      }
    };
    const instance = async (name: string, tickMs?: number) => {
      const s = createStageTwo({
        nats: await connect(name),
        id: name,
        partitions: PARTITIONS,
        retentionMs: 60 * 60_000,
        correlators: () => ({ create: () => createCorrelator(options) }),
        raise: (matches) => services.alerts.raise(matches),
        ttlMs: TTL_MS,
        renewMs: RENEW_MS,
        tickMs,
        onError: (err, where) => errors.push(`${name} ${where}: ${(err as Error).message}`),
      });
      instances.push(s);
      return s;
    };
    const alerts = () =>
      services.store.db
        .selectFrom('alerts')
        .select(['group_json', 'count', 'event_count'])
        .where('rule_id', '=', rule)
        .execute();

    const one = await instance('w1', o.w1TickMs);
    const two = await instance('w2');
    await one.start();
    expect(one.owned()).toEqual([0, 1, 2, 3]); // alone, it takes them all
    await two.start();
    // w1 gives back what is beyond its share once it sees w2; w2 claims it.
    await until(() => one.owned().length === 2 && two.owned().length === 2, 10_000, 'a fair split');
    expect([...one.owned(), ...two.owned()].sort()).toEqual([0, 1, 2, 3]); // each partition owned by exactly one

    // Users whose groups live in w1's partitions (those it will lose) and in w2's.
    const users = Array.from({ length: 60 }, (_, i) => `u${i}`);
    const partOf = (u: string) => partitionOf(stageOne.evaluate([failedLogin(u, T0)]).feeds[0]!.key, PARTITIONS);
    const inOne = users.filter((u) => one.owned().includes(partOf(u)));
    const inTwo = users.filter((u) => two.owned().includes(partOf(u)));
    const early = [...inOne.slice(0, 3), ...inTwo.slice(0, 2)]; // fire before the death
    const straddle = [...inOne.slice(3, 6), ...inTwo.slice(2, 4)]; // 3 failures before, 2 after

    const before: DetectionEvent[] = [];
    for (let i = 0; i < 5; i++) for (const u of early) before.push(failedLogin(u, T0 + i * 5000));
    for (let i = 0; i < 3; i++) for (const u of straddle) before.push(failedLogin(u, T0 + i * 5000));
    await publish(before);
    await until(async () => (await alerts()).length === early.length, 10_000, 'the early groups to fire');
    await one.idle();
    if (o.waitForCheckpoint) {
      const raised = createCheckpoints(pub);
      await until(
        async () => (await Promise.all(one.owned().map((p) => raised.read(p)))).every((seq) => seq > 0),
        10_000,
        'w1 to record how far it raised',
      );
    }

    // w1 dies: no renewals, no consumers, nothing given back.
    await one.kill();
    const after: DetectionEvent[] = [];
    for (let i = 3; i < 5; i++) for (const u of straddle) after.push(failedLogin(u, T0 + i * 5000));
    await publish(after);

    // Taken over within the TTL and a renewal (plus slack for a loaded machine).
    await until(() => two.owned().length === PARTITIONS, TTL_MS + 2 * RENEW_MS + 2000, 'the takeover');
    await until(() => two.lag().every((l) => l.caughtUp && l.pending === 0), 10_000, 'the replay');
    await until(
      async () => (await alerts()).length === early.length + straddle.length,
      10_000,
      'the straddling groups',
    );
    await two.idle();

    const rows = await alerts();
    const groups = rows.map((r) => (JSON.parse(r.group_json!) as { user: string }).user).sort();
    expect(groups).toEqual([...early, ...straddle].sort()); // every group fired, each into one alert
    // Replaying w1's partitions fired its early groups again: the alerts count them once.
    expect(rows.map((r) => [r.count, r.event_count])).toEqual(rows.map(() => [1, 5]));
    await two.stop();
    expect(two.owned()).toEqual([]);
    expect(errors).toEqual([]);
  }

  it('gives each partition one owner and fires once per group; when a worker dies the other takes its partitions over, rebuilds them and fires the straddling groups once', async () => {
    await scenario('failed-logins-a', { waitForCheckpoint: true });
  }, 60_000);

  it('does not double a group when the dead worker raised alerts it had not yet recorded as raised (alerts are idempotent)', async () => {
    await scenario('failed-logins-b', { waitForCheckpoint: false, w1TickMs: 3_600_000 });
  }, 60_000);
});
