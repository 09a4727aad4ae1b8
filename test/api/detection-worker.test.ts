/**
 * The engine on a worker thread (TOCSIN_DETECTION_THREAD=worker, the server's default): events in
 * over the API become alerts as they do on the event loop; a rule switched off or uploaded reaches the
 * worker; ticks close windows there; a worker far behind refuses more with 503.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWorkerPipeline } from '../../src/server/modules/detection/index.js';
import type { RuleMatch } from '../../src/server/modules/detection/index.js';
import { compilePlan, loadMapping } from '../../src/server/modules/detection/rule-set.js';
import type { Clock } from '../../src/server/platform/ids.js';
import { createTestApp, type Session, type TestApp } from '../helpers/app.js';
import { buildToken } from '../helpers/fixtures.js';

const RANSOM_NOTE = '59c192dd-851b-4125-8b63-a057287c1451'; // 2 matches in its positive events
const HEARTBEATS_MISSING = '5471b979-4143-4d17-b50b-53c3ab2fb50c';
const positive = (stem: string) => fs.readFileSync(path.resolve('rules/tocsin/tests', stem, 'positive.ndjson'), 'utf8');

describe('detection on a worker thread', () => {
  let t: TestApp;
  let admin: Session;
  let token: string;
  let now = Date.now();
  const clock: Clock = { now: () => now };

  beforeAll(async () => {
    t = await createTestApp(
      'sqlite',
      { TOCSIN_DETECTION_THREAD: 'worker', TOCSIN_CORRELATION_LATENESS_MS: '0' },
      { clock },
    );
    admin = await t.login('admin');
    token = (await buildToken(t.s, admin.userId, { scopes: ['events'] })).token;
  });
  afterAll(() => t.close());

  const ingest = async (body: string, type = 'application/x-ndjson') => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/events',
      headers: { authorization: `Bearer ${token}`, 'content-type': type },
      payload: body,
    });
    expect(res.statusCode, res.body).toBe(202);
    await t.s.detection.idle();
  };
  const count = async (ruleId: string) => {
    const res = await t.as(admin, { method: 'GET', url: `/api/v1/alerts?limit=200&rule=${ruleId}` });
    return (res.json().items as { count: number }[]).reduce((a, x) => a + x.count, 0);
  };

  it('raises the alerts of a bundled rule; switching it off and on reaches the worker', async () => {
    await ingest(positive('file_event_ransom_note'));
    expect(await count(RANSOM_NOTE)).toBe(2);
    // Matches from the worker carry the English title; the alert has the rule's zh-CN title too.
    const [alert] = (await t.as(admin, { method: 'GET', url: `/api/v1/alerts?rule=${RANSOM_NOTE}` })).json().items as {
      ruleTitles: Record<string, string>;
    }[];
    expect(alert!.ruleTitles).toEqual({ 'zh-CN': expect.stringMatching(/勒索/), en: 'Ransom Note File Created' });
    await t.as(admin, { method: 'PATCH', url: `/api/v1/rules/${RANSOM_NOTE}`, payload: { enabled: false } });
    await t.s.rules.settled();
    await ingest(positive('file_event_ransom_note'));
    expect(await count(RANSOM_NOTE)).toBe(2);
    await t.as(admin, { method: 'PATCH', url: `/api/v1/rules/${RANSOM_NOTE}`, payload: { enabled: true } });
    await t.s.rules.settled();
    await ingest(positive('file_event_ransom_note'));
    expect(await count(RANSOM_NOTE)).toBe(4);
    expect(t.s.detection.stats).toMatchObject({ dropped: 0 });
  });

  it('the worker compiles the rule set and reports it: compile errors and counts come from there', async () => {
    const status = await t.as(admin, { method: 'GET', url: '/api/v1/rules/errors' });
    expect(status.statusCode, status.body).toBe(200);
    expect(status.json()).toMatchObject({ compiled: expect.any(Number), errors: [], pending: false });
    expect(status.json().compiled).toBeGreaterThan(40);
    // Nothing was compiled on the event loop: the rule service hands the pipeline only a spec.
    const engine = t.s.rules.buildEngine();
    expect(() => engine.process([])).toThrow(/runs on the detection worker thread/);
    t.s.detection.replaceEngine(engine); // the worker compiles it and reports back
    await t.s.rules.settled();
    expect((await t.as(admin, { method: 'GET', url: '/api/v1/rules/errors' })).json()).toMatchObject({
      compiled: status.json().compiled,
      pending: false,
    });
    const broken =
      'title: Broken on purpose\nid: worker-broken-1\nlogsource: {product: tocsin}\ndetection:\n  sel: {a|nope: 1}\n  condition: sel\n';
    expect(
      (await t.as(admin, { method: 'POST', url: '/api/v1/rules', payload: { fileName: 'b.yml', yaml: broken } }))
        .statusCode,
    ).toBe(422);
  });

  it('an uploaded rule matches on the worker', async () => {
    const yaml =
      'title: Worker upload\nid: worker-upload-1\nlogsource: {product: tocsin, service: worker_test}\ndetection:\n  sel: {message|contains: wake-the-worker}\n  condition: sel\nlevel: high\n';
    const up = await t.as(admin, { method: 'POST', url: '/api/v1/rules', payload: { fileName: 'w.yml', yaml } });
    expect(up.statusCode, up.body).toBe(201);
    await t.s.rules.settled();
    await ingest(
      JSON.stringify([
        { logsource: { product: 'tocsin', service: 'worker_test' }, message: 'please wake-the-worker now', user: 'w1' },
      ]),
      'application/json',
    );
    expect(await count('worker-upload-1')).toBe(1);
  });

  it("ticks close a silent feed's window on the worker, with the server's clock", async () => {
    const start = now;
    const beat = (at: number) => ({
      time: at,
      logsource: { product: 'tocsin', service: 'market_data' },
      event: 'heartbeat',
      feed: 'worker_feed',
      status: 'ok',
    });
    await ingest(JSON.stringify([beat(start), beat(start + 10_000)]), 'application/json');
    now = start + 125_000;
    t.s.detection.tick();
    await t.s.detection.idle();
    expect(await count(HEARTBEATS_MISSING)).toBe(1);
  });
});

describe('worker pipeline backpressure', () => {
  it('refuses events with 503 while too many wait for the engine, and takes them again once it caught up', async () => {
    const rule =
      'title: any\nid: any-1\nlogsource: {product: bp}\ndetection:\n  sel: {n|gte: 0}\n  condition: sel\nlevel: low\n';
    const engine = compilePlan(
      { sources: [{ file: 'bp.yml', text: rule }], muted: new Set() },
      loadMapping(undefined),
      {},
      { file: undefined },
    );
    const raised: RuleMatch[] = [];
    const p = createWorkerPipeline({
      loadEngine: () => engine,
      raise: async (ms) => void raised.push(...ms),
      onError: (e) => {
        throw e;
      },
      maxInFlight: 5,
    });
    try {
      const ev = (n: number) => ({ id: `e${n}`, time: n, source: 'test', logsource: { product: 'bp' }, fields: { n } });
      p.sink([ev(1), ev(2), ev(3)]);
      // Real backpressure: 503 with a Retry-After in whole seconds, to try the same batch again.
      expect(() => p.sink([ev(4), ev(5), ev(6)])).toThrow(
        expect.objectContaining({ status: 503, headers: { 'retry-after': expect.stringMatching(/^[1-9]\d*$/) } }),
      );
      await p.idle();
      p.sink([ev(4), ev(5), ev(6)]);
      await p.idle();
      expect(raised.map((m) => m.events[0]!.id)).toEqual(['e1', 'e2', 'e3', 'e4', 'e5', 'e6']);
    } finally {
      await p.close();
    }
  });

  const bpRule =
    'title: any\nid: any-1\nlogsource: {product: bp}\ndetection:\n  sel: {n|gte: 0}\n  condition: sel\nlevel: low\n';
  const bpEvent = (n: number) => ({
    id: `e${n}`,
    time: n,
    source: 'test',
    logsource: { product: 'bp' },
    fields: { n },
  });
  const bpPipeline = (raised: RuleMatch[]) => {
    const engine = compilePlan(
      { sources: [{ file: 'bp.yml', text: bpRule }], muted: new Set() },
      loadMapping(undefined),
      {},
      { file: undefined },
    );
    return createWorkerPipeline({
      loadEngine: () => engine,
      raise: async (ms) => void raised.push(...ms),
      onError: (e) => {
        throw e;
      },
      maxInFlight: 5,
    });
  };

  it('refuses a batch larger than it can ever hold with 413 naming the limit, even when idle (a retry would never help)', async () => {
    const raised: RuleMatch[] = [];
    const p = bpPipeline(raised);
    try {
      const six = [1, 2, 3, 4, 5, 6].map(bpEvent);
      for (const attempt of [() => p.sink(six), () => p.admit(6)]) {
        let err: unknown;
        try {
          attempt();
        } catch (e) {
          err = e;
        }
        expect(err).toMatchObject({
          status: 413,
          type: 'too-many-events',
          code: 'too_many_events',
          message: expect.stringContaining('send at most 5 events'),
        });
        expect((err as { headers?: unknown }).headers).toBeUndefined();
      }
      p.sink(six.slice(0, 5));
      await p.idle();
      expect(raised).toHaveLength(5);
    } finally {
      await p.close();
    }
  });

  it('holds room for a request under way: others get 503 meanwhile, and its own batches are never refused', async () => {
    const raised: RuleMatch[] = [];
    const p = bpPipeline(raised);
    try {
      const held = p.admit(4);
      expect(() => p.sink([bpEvent(10), bpEvent(11)])).toThrow(expect.objectContaining({ status: 503 }));
      expect(() => p.admit(2)).toThrow(expect.objectContaining({ status: 503 }));
      // The room held is the request's, one slice after another, while the worker has not caught up.
      held.sink([bpEvent(1), bpEvent(2)]);
      held.sink([bpEvent(3)]);
      expect(() => p.admit(2)).toThrow(expect.objectContaining({ status: 503 }));
      held.release();
      // What it did not use is free again: 3 waiting, room for 2.
      const next = p.admit(2);
      next.sink([bpEvent(4), bpEvent(5)]);
      next.release();
      await p.idle();
      expect(raised.map((m) => m.events[0]!.id)).toEqual(['e1', 'e2', 'e3', 'e4', 'e5']);
      // Caught up: room for a whole batch again.
      p.sink([6, 7, 8, 9, 10].map(bpEvent));
      await p.idle();
      expect(raised).toHaveLength(10);
    } finally {
      await p.close();
    }
  });
});
