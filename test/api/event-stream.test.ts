/**
 * Detection across processes, stage one (real NATS JetStream, own prefix; PostgreSQL when configured):
 * a web process answers 202 only once the event stream holds the events; a worker's stage one turns a
 * rule match into one alert; a batch delivered again raises nothing twice; two workers share the
 * consumer (each event evaluated once in all); a worker that dies mid-batch leaves its messages to the other.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compose, type Services } from '../../src/server/compose.js';
import { decodeCorrMessage, type CorrMessage } from '../../src/server/modules/detection/cluster/corr-messages.js';
import type { DetectionEvent } from '../../src/server/modules/detection/index.js';
import { createStageOne, type StageOne } from '../../src/server/modules/detection/cluster/stage-one.js';
import { stageOneCaughtUp } from '../../src/server/modules/detection/cluster/stage-one-progress.js';
import { connectNats, type Nats } from '../../src/server/platform/cluster/nats.js';
import { eventsStream } from '../../src/server/platform/cluster/streams.js';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { insertCustomers } from '../helpers/customers.js';
import { buildToken } from '../helpers/fixtures.js';
import { dropNatsPrefix, NATS_URL } from '../helpers/nats.js';
import { PG_URL } from '../helpers/store.js';

const RANSOM_NOTE = '59c192dd-851b-4125-8b63-a057287c1451'; // 2 matches in its positive events
const BURST = 'cc0fbfd9-61e3-4d94-be2b-a99280104ca0'; // login failures for one account (a correlation)
const loginBurst = fs
  .readFileSync(path.resolve('rules/tocsin/tests/trading_login_failure_burst/positive.ndjson'), 'utf8')
  .trim()
  .split('\n');
const ransomEvents = fs
  .readFileSync(path.resolve('rules/tocsin/tests/file_event_ransom_note/positive.ndjson'), 'utf8')
  .trim()
  .split('\n');

/** Polls `check` until it holds (tests never sleep for a fixed time), failing after `ms`. */
async function until(check: () => Promise<boolean> | boolean, ms = 15_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe.skipIf(!NATS_URL)('detection across processes: the event stream and stage one', () => {
  const prefix = `t${randomBytes(4).toString('hex')}`;
  const kind = PG_URL ? 'postgres' : 'sqlite';
  let web: TestApp;
  let worker: Services;
  let admin: Nats;
  let token: string;
  const extra: { stop(): Promise<void> }[] = [];
  const errors: string[] = [];

  const streamMessages = async () => (await admin.jsm.streams.info(eventsStream(prefix))).state.messages;
  const consumerState = () => admin.jsm.consumers.info(eventsStream(prefix), 'stage1');
  /** Everything in the stream delivered and acknowledged. */
  const allAcked = async () => {
    const c = await consumerState();
    return c.num_pending === 0 && c.num_ack_pending === 0;
  };
  const post = (lines: string[]) =>
    web.app.inject({
      method: 'POST',
      url: '/api/v1/events',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/x-ndjson' },
      payload: lines.join('\n'),
    });
  const alertsOf = (ruleId: string) =>
    web.s.store.db.selectFrom('alerts').select(['id', 'count', 'event_count']).where('rule_id', '=', ruleId).execute();
  const matchesOf = async (ruleId: string) => (await alertsOf(ruleId)).reduce((a, r) => a + Number(r.count), 0);

  beforeAll(async () => {
    admin = await connectNats({ servers: [NATS_URL!], prefix }, 'test admin');
    web = await createTestApp(kind, {
      TOCSIN_NATS_URL: NATS_URL!,
      TOCSIN_NATS_PREFIX: prefix,
      TOCSIN_ROLE: 'web',
      TOCSIN_EVENT_PARTITIONS: '4',
      TOCSIN_CORRELATION_PARTITIONS: '4',
      // An affected set waits this long for stage one to index what was accepted (the test stops it once).
      TOCSIN_ACTIVITY_WAIT_MS: '300',
    });
    const adminUser = await web.login('admin');
    token = (await buildToken(web.s, adminUser.userId, { scopes: ['events'] })).token;
    // A worker process on the same store and NATS, its engine on the detection worker thread (as in production).
    const c = web.s.config;
    worker = await compose(
      { ...c, detection: { ...c.detection, thread: 'worker' }, cluster: { ...c.cluster, role: 'worker' } },
      { skipMigrate: true, onDetection: { error: (err) => errors.push((err as Error).message) } },
    );
  });

  afterAll(async () => {
    for (const s of extra) await s.stop();
    await worker?.close();
    await web?.close();
    await admin?.close();
    await dropNatsPrefix(prefix);
  });

  it('a web process answers 202 only once the stream holds the events, and runs no engine', async () => {
    expect(web.s.stageOne).toBeNull();
    const before = await streamMessages();
    const res = await post(ransomEvents);
    expect(res.statusCode, res.body).toBe(202);
    expect(res.json()).toMatchObject({ accepted: ransomEvents.length });
    // No waiting: the answer came after the PubAcks.
    expect(await streamMessages()).toBeGreaterThan(before);
    const stored = (await admin.jsm.streams.info(eventsStream(prefix))).state.messages;
    let events = 0;
    for (let seq = 1; seq <= stored; seq++) {
      const m = await admin.jsm.streams.getMessage(eventsStream(prefix), { seq });
      events += (m!.json() as DetectionEvent[]).length;
    }
    expect(events).toBe(ransomEvents.length);
    expect(web.s.detection.stats.events).toBe(0);
  });

  it('a worker-role instance turns the rule match into one alert per match, and acknowledges', async () => {
    expect(worker.stageOne).not.toBeNull();
    await worker.stageOne!.start();
    await until(async () => (await matchesOf(RANSOM_NOTE)) === 2 && (await allAcked()));
    expect(await matchesOf(RANSOM_NOTE)).toBe(2);
    expect(await worker.stageOne!.lag()).toBe(0);
  });

  it('indexes account activity in the worker (stage one), not on the web; an affected set waits for it', async () => {
    const rowsOf = async (account: string) =>
      Number(
        (
          await web.s.store.db
            .selectFrom('account_activity')
            .select((eb) => eb.fn.countAll().as('n'))
            .where('account_no', '=', account)
            .executeTakeFirstOrThrow()
        ).n,
      );
    // Successful logins: account activity that feeds no rule (the tests below count the burst's feeds).
    const logins = (account: string) =>
      loginBurst.map((l) => l.replace('3100031676', account).replace('"failure"', '"success"'));
    const account = '3100055555';
    // A customer holds this account: its rows carry the customer's number, found as they are written.
    const holder = `C${prefix}`;
    await insertCustomers(web.s.store, [{ customerNo: holder, name: '客户 甲', accounts: [account] }]);
    const before = await rowsOf(account);
    expect((await post([...logins(account), ...logins('3100066666')])).statusCode).toBe(202);
    // Once stage one has acknowledged up to what the stream held, the rows are there: no polling needed.
    expect(await stageOneCaughtUp(admin, { timeoutMs: 15_000 })).toEqual({ caughtUp: true });
    expect(await rowsOf(account)).toBe(before + loginBurst.length);
    const customerNos = async (acct: string) =>
      (
        await web.s.store.db
          .selectFrom('account_activity')
          .select('customer_no')
          .distinct()
          .where('account_no', '=', acct)
          .execute()
      ).map((r) => r.customer_no);
    expect(await customerNos(account)).toEqual([holder]);
    // An account nobody holds: no customer number.
    expect(await customerNos('3100066666')).toEqual([null]);
    expect(web.s.stageOne).toBeNull();

    // Workers stopped: what is accepted now is not indexed, and an affected set says so (503) rather
    // than miss it; once a worker has caught up the set is evaluated with those events.
    await worker.stageOne!.stop();
    const admin2 = await web.login('admin');
    const inc = await web.as(admin2, {
      method: 'POST',
      url: '/api/v1/incidents',
      payload: { title: 'Login failures on the trading front end', category: 'network_attack', grade: 'III' },
    });
    expect(inc.statusCode, inc.body).toBe(201);
    const late = logins('3100099999');
    expect((await post(late)).statusCode).toBe(202);
    const behind = await stageOneCaughtUp(admin, { timeoutMs: 0 });
    expect(behind.caughtUp).toBe(false);
    const body = {
      name: 'Failed logins',
      definition: {
        sources: [
          { kind: 'activity', accounts: ['3100099999'], from: '2026-03-02T00:00:00Z', to: '2026-03-03T00:00:00Z' },
        ],
      },
    };
    const refused = await web.as(admin2, {
      method: 'POST',
      url: `/api/v1/incidents/${inc.json().key}/affected-sets`,
      payload: body,
    });
    expect(refused.statusCode, refused.body).toBe(503);
    expect(refused.headers['retry-after']).toBe('5');
    expect(refused.json().detail).toContain('account-activity index');
    await worker.stageOne!.start();
    const created = await web.as(admin2, {
      method: 'POST',
      url: `/api/v1/incidents/${inc.json().key}/affected-sets`,
      payload: body,
    });
    expect(created.statusCode, created.body).toBe(201);
    expect(await rowsOf('3100099999')).toBe(late.length);
  });

  it('the same batch delivered again (published under another message id) raises no second alert', async () => {
    const before = await alertsOf(RANSOM_NOTE);
    const handled = worker.stageOne!.stats.messages;
    const stored = (await admin.jsm.streams.info(eventsStream(prefix))).state.messages;
    for (let seq = 1; seq <= stored; seq++) {
      const m = (await admin.jsm.streams.getMessage(eventsStream(prefix), { seq }))!;
      await admin.js.publish(m.subject, m.data, { msgID: `again-${seq}` });
    }
    await until(async () => worker.stageOne!.stats.messages >= handled + stored && (await allAcked()));
    expect(await alertsOf(RANSOM_NOTE)).toEqual(before);
  });

  it('a message whose events cannot be read is terminated and counted, not retried for ever', async () => {
    const poisoned = worker.stageOne!.stats.poisoned;
    await admin.js.publish(`${prefix}.events.0`, new TextEncoder().encode('{"not":"an array"}'));
    await until(async () => worker.stageOne!.stats.poisoned === poisoned + 1 && (await allAcked()));
    // Logged by subject and sequence, without the message's content.
    expect(errors.at(-1)).toMatch(new RegExp(`terminated message \\d+ of ${prefix}\\.events\\.0 after 1 deliveries`));
    expect(errors.at(-1)).not.toContain('an array"');
  });

  /**
   * A stage one of its own (short ack wait), counting the events it evaluates; `hang` holds its first batch
   * for good, `slow` until that promise settles.
   */
  async function stageOneOf(
    seen: string[],
    opts: {
      hang?: boolean;
      slow?: Promise<void>;
      hangRaise?: boolean;
      noCorrelations?: boolean;
      watermarkEveryMs?: number;
      ackWaitMs?: number;
      maxHoldMs?: number;
    } = {},
  ) {
    const nats = await connectNats({ servers: [NATS_URL!], prefix }, 'test worker');
    let held = false;
    let began: () => void = () => {};
    const started = new Promise<void>((r) => (began = r));
    const s: StageOne = createStageOne({
      nats,
      evaluate: async (datas, partitions) => {
        if (opts.hang && !held) {
          held = true;
          began();
          return new Promise(() => {}); // never answers: the process dies with the batch in hand
        }
        if (opts.slow && !held) {
          held = true;
          began();
          await opts.slow;
        }
        const events = datas.flatMap((d) => JSON.parse(new TextDecoder().decode(d)) as DetectionEvent[]);
        for (const e of events) seen.push(e.id);
        const result = await worker.detection.evaluateMessages(datas, partitions);
        if (opts.noCorrelations) result.correlations = false;
        // A match to raise, so that the raise it hangs in happens (after the feeds are published).
        if (opts.hangRaise)
          result.matches.push({
            ...result.matches[0]!,
            ruleId: 'x',
            ruleTitle: 'x',
            level: 'low',
            tags: [],
            kind: 'detection',
            events,
            time: 0,
          });
        return result;
      },
      raise: (m) => (opts.hangRaise ? new Promise(() => {}) : worker.alerts.raise(m)),
      correlationPartitions: 4,
      correlationRetentionMs: 3_600_000,
      ackWaitMs: opts.ackWaitMs ?? 1000,
      ...(opts.maxHoldMs ? { maxHoldMs: opts.maxHoldMs } : {}),
      batchMessages: 4,
      watermarkEveryMs: opts.watermarkEveryMs,
      onError: () => {},
    });
    await s.start();
    const handle = { s, nats, started, stop: () => s.stop().then(() => nats.close()) };
    extra.push(handle);
    return handle;
  }

  const freshEvents = (n: number, tag: string) =>
    Array.from({ length: n }, (_, i) =>
      JSON.stringify({ id: `${tag}-${i}`, logsource: { product: 'windows', category: 'file_event' }, Image: 'x.exe' }),
    );

  it('two workers share the consumer: every event is evaluated once in all', async () => {
    await worker.stageOne!.stop();
    const a: string[] = [];
    const b: string[] = [];
    await stageOneOf(a);
    await stageOneOf(b);
    const sent: string[] = [];
    for (let r = 0; r < 10; r++) {
      const lines = freshEvents(20, `share${r}`);
      expect((await post(lines)).statusCode).toBe(202);
      sent.push(...lines.map((l) => (JSON.parse(l) as { id: string }).id));
    }
    await until(async () => a.length + b.length >= sent.length && (await allAcked()));
    expect([...a, ...b].sort()).toEqual([...sent].sort());
  });

  it('a worker that dies with a batch in hand leaves its messages to the other', async () => {
    for (const s of extra.splice(0)) await s.stop();
    const dying = await stageOneOf([], { hang: true });
    const lines = freshEvents(10, 'orphan');
    expect((await post(lines)).statusCode).toBe(202);
    await dying.started;
    // It dies: its connection goes without acknowledging anything.
    await dying.nats.nc.close();
    extra.splice(extra.indexOf(dying), 1);
    const other: string[] = [];
    await stageOneOf(other);
    await until(
      async () => lines.every((l) => other.includes((JSON.parse(l) as { id: string }).id)) && (await allAcked()),
    );
  });

  it('a live worker keeps a slow batch past its ack wait (in-progress acks); one stuck past its hold lets it go', async () => {
    await worker.stageOne!.stop();
    for (const s of extra.splice(0)) await s.stop();
    // Slow: held while more than one ack wait passes (five heartbeats of a third each), then finished by
    // the worker that had it; no worker (itself included: it pulls on meanwhile) is given it again.
    let release: () => void = () => {};
    const slowSeen: string[] = [];
    const slow = await stageOneOf(slowSeen, { slow: new Promise<void>((r) => (release = r)), ackWaitMs: 2000 });
    const lines = freshEvents(8, 'slow');
    expect((await post(lines)).statusCode).toBe(202);
    await slow.started;
    const other: string[] = [];
    await stageOneOf(other, { ackWaitMs: 2000 });
    await until(async () => slow.s.stats.inProgress >= 5);
    release();
    await until(async () => slow.s.stats.messages >= 1 && (await allAcked()));
    const ids = lines.map((l) => (JSON.parse(l) as { id: string }).id);
    expect([...slowSeen, ...other].filter((id) => ids.includes(id)).sort()).toEqual([...ids].sort());
    for (const s of extra.splice(0)) await s.stop();
    // Stuck (alive, never finishing): its heartbeat ends after the hold, and the batch is delivered again
    // (to the other worker, or to this one's next pull: only its first batch hangs).
    const stuckSeen: string[] = [];
    const stuck = await stageOneOf(stuckSeen, { hang: true, ackWaitMs: 1000, maxHoldMs: 2000 });
    const more = freshEvents(8, 'stuck');
    expect((await post(more)).statusCode).toBe(202);
    await stuck.started;
    const rescuer: string[] = [];
    await stageOneOf(rescuer, { ackWaitMs: 1000 });
    await until(
      async () =>
        more.every((l) => [...stuckSeen, ...rescuer].includes((JSON.parse(l) as { id: string }).id)) &&
        (await allAcked()),
    );
    expect(stuck.s.stats.inProgress).toBeGreaterThan(0);
  });

  it('publishes the hits of correlation rules to the feed stream, then watermarks; a batch redelivered publishes no feed twice', async () => {
    for (const x of extra.splice(0)) await x.stop();
    const corr = `${prefix}_corr`;
    const corrMessages = async () => {
      const n = (await admin.jsm.streams.info(corr)).state.last_seq;
      const out: { subject: string; m: CorrMessage }[] = [];
      for (let seq = 1; seq <= n; seq++) {
        const sm = await admin.jsm.streams.getMessage(corr, { seq }).catch(() => null);
        const m = sm && decodeCorrMessage({ headers: sm.header, data: sm.data });
        if (m) out.push({ subject: sm.subject, m });
      }
      return out;
    };
    // The failures feed this correlation (and others that read the same rule): once each.
    const burstFeeds = (ms: { m: CorrMessage }[]) =>
      ms.flatMap((x) => (x.m.kind === 'feeds' ? x.m.feeds.filter((f) => f.correlation === BURST) : []));
    const failures = loginBurst.filter((l) => l.includes('"outcome":"failure"')).length;

    // A worker publishes the feeds of its first batch, then dies before its alerts are stored and its
    // messages acknowledged.
    const dying = await stageOneOf([], { hangRaise: true });
    expect((await post(loginBurst)).statusCode).toBe(202);
    await until(async () => burstFeeds(await corrMessages()).length > 0);
    await dying.nats.nc.close();
    extra.splice(extra.indexOf(dying), 1);
    // Another gets the same messages (same stream sequences): the same feed message ids, dropped by JetStream.
    const seen: string[] = [];
    await stageOneOf(seen);
    await until(async () => seen.length >= loginBurst.length && (await allAcked()));
    const published = await corrMessages();
    const feeds = burstFeeds(published);
    expect(feeds.length).toBe(failures);
    // One account: one key, one partition; every partition hears the batch's event time.
    expect(new Set(feeds.map((f) => f.key)).size).toBe(1);
    const watermarks = published.filter((x) => x.m.kind === 'watermark').map((x) => x.subject);
    expect(new Set(watermarks)).toEqual(new Set([0, 1, 2, 3].map((p) => `${prefix}.corr.${p}`)));
    // Stage one raises no correlation alert: stage two does.
    expect(await alertsOf(BURST)).toEqual([]);
  });

  it('publishes no watermark while the rules hold no correlation', async () => {
    for (const x of extra.splice(0)) await x.stop();
    const corr = `${prefix}_corr`;
    const before = (await admin.jsm.streams.info(corr)).state.last_seq;
    const seen: string[] = [];
    await stageOneOf(seen, { noCorrelations: true });
    const lines = freshEvents(20, 'nowm');
    expect((await post(lines)).statusCode).toBe(202);
    await until(async () => seen.length >= lines.length && (await allAcked()));
    expect((await admin.jsm.streams.info(corr)).state.last_seq).toBe(before);
  });

  it('sends watermark rounds at most so often: the batches in between go with the next round, held ones at stop', async () => {
    for (const x of extra.splice(0)) await x.stop();
    const corr = `${prefix}_corr`;
    const watermarks = async (after: number) => {
      const out: number[] = [];
      const last = (await admin.jsm.streams.info(corr)).state.last_seq;
      for (let seq = after + 1; seq <= last; seq++) {
        const sm = await admin.jsm.streams.getMessage(corr, { seq }).catch(() => null);
        const m = sm && decodeCorrMessage({ headers: sm.header, data: sm.data });
        if (m?.kind === 'watermark') out.push(m.maxTime);
      }
      return out;
    };
    const before = (await admin.jsm.streams.info(corr)).state.last_seq;
    const seen: string[] = [];
    const one = await stageOneOf(seen, { watermarkEveryMs: 3_600_000 });
    // Events of their own times, the second batch's later than the first's.
    const timed = (tag: string, at: number) =>
      freshEvents(5, tag).map((l) => JSON.stringify({ ...JSON.parse(l), '@timestamp': new Date(at).toISOString() }));
    const t0 = Date.parse('2026-12-01T08:00:00.000Z');
    expect((await post(timed('wm1', t0))).statusCode).toBe(202);
    await until(async () => seen.length >= 5 && (await allAcked()));
    const round1 = await watermarks(before);
    // The first batch's round goes out at once, to each of the 4 partitions.
    expect(round1).toEqual([t0, t0, t0, t0]);
    expect((await post(timed('wm2', t0 + 60_000))).statusCode).toBe(202);
    await until(async () => seen.length >= 10 && (await allAcked()));
    // The second batch is acknowledged; its event time waits for the next round.
    expect(await watermarks(before)).toEqual(round1);
    await one.stop();
    extra.splice(extra.indexOf(one), 1);
    const all = await watermarks(before);
    expect(all).toEqual([...round1, t0 + 60_000, t0 + 60_000, t0 + 60_000, t0 + 60_000]);
  });

  it('refuses a process configured with another partition count, in one line', async () => {
    const c = web.s.config;
    await expect(
      compose({ ...c, cluster: { ...c.cluster, role: 'worker', eventPartitions: 8 } }, { skipMigrate: true }),
    ).rejects.toThrow(/^the event stream \S+ was made with 4 partitions but TOCSIN_EVENT_PARTITIONS is 8; [^\n]+$/);
  });

  it('answers 503 with Retry-After when the stream cannot store the events', async () => {
    const nats = await connectNats({ servers: [NATS_URL!], prefix }, 'test web');
    const down = await createTestApp(
      kind,
      { TOCSIN_NATS_URL: NATS_URL!, TOCSIN_NATS_PREFIX: prefix, TOCSIN_ROLE: 'web', TOCSIN_EVENT_PARTITIONS: '4' },
      { nats },
    );
    try {
      const u = await down.login('admin');
      const tok = (await buildToken(down.s, u.userId, { scopes: ['events'] })).token;
      await nats.nc.close();
      const res = await down.app.inject({
        method: 'POST',
        url: '/api/v1/events',
        headers: { authorization: `Bearer ${tok}`, 'content-type': 'application/x-ndjson' },
        payload: freshEvents(3, 'down').join('\n'),
      });
      expect(res.statusCode, res.body).toBe(503);
      expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
      expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
    } finally {
      await down.close();
    }
  });
});
