/**
 * The per-request event limit (TOCSIN_INGEST_MAX_EVENTS) and detection's room, as a SIEM forwarder
 * meets them: 413 naming the limit for a request that can never be taken (retrying is pointless), 503
 * with Retry-After only while detection is really behind (the same request is taken later).
 */
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  createWorkerPipeline,
  type DetectionEvent,
  type DetectionPipeline,
  type RuleMatch,
} from '../../src/server/modules/detection/index.js';
import { compilePlan, loadMapping } from '../../src/server/modules/detection/rule-set.js';
import type { EventSink } from '../../src/server/modules/ingest/index.js';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { buildToken } from '../helpers/fixtures.js';
import { expectProblem } from '../helpers/problem.js';
import { STORE_KINDS } from '../helpers/store.js';

const MAX_EVENTS = 50;
const ROOM = 80;
const RULE =
  'title: any\nid: any-1\nlogsource: {product: lim}\ndetection:\n  sel: {n|gte: 0}\n  condition: sel\nlevel: low\n';

const lines = (n: number, from = 0, extra: Record<string, unknown> = {}) =>
  Array.from({ length: n }, (_, i) => JSON.stringify({ n: from + i, logsource: { product: 'lim' }, ...extra }));

describe.each(STORE_KINDS)('ingest limits (%s)', (kind) => {
  let t: TestApp;
  let token: string;
  let pipeline: DetectionPipeline;
  const raised: RuleMatch[] = [];
  const delivered: DetectionEvent[] = [];

  const post = (body: string | Buffer, headers: Record<string, string> = {}) =>
    t.app.inject({
      method: 'POST',
      url: '/api/v1/events',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/x-ndjson', ...headers },
      payload: body,
    });

  beforeAll(async () => {
    // The engine on its worker thread with room for 80 events waiting, as compose.ts wires it (with less room).
    const engine = compilePlan(
      { sources: [{ file: 'lim.yml', text: RULE }], muted: new Set() },
      loadMapping(undefined),
      {},
      { file: undefined },
    );
    pipeline = createWorkerPipeline({
      loadEngine: () => engine,
      raise: async (ms) => void raised.push(...ms),
      onError: (e) => {
        throw e;
      },
      maxInFlight: ROOM,
    });
    const sink: EventSink = Object.assign(
      (events: DetectionEvent[]) => {
        pipeline.sink(events);
        delivered.push(...events);
      },
      {
        admit: (count: number) => {
          const held = pipeline.admit(count);
          return {
            sink: (events: DetectionEvent[]) => {
              held.sink(events);
              delivered.push(...events);
            },
            release: () => held.release(),
          };
        },
      },
    );
    t = await createTestApp(kind, { TOCSIN_INGEST_MAX_EVENTS: String(MAX_EVENTS) }, { sink });
    const admin = await t.login('admin');
    token = (await buildToken(t.s, admin.userId, { scopes: ['events'] })).token;
  });
  afterAll(async () => {
    await t.close();
    await pipeline.close();
  });
  beforeEach(async () => {
    await pipeline.idle();
    delivered.length = 0;
  });

  it('refuses a request of more events than TOCSIN_INGEST_MAX_EVENTS with 413 naming the limit, in every form; nothing is taken', async () => {
    const over = lines(MAX_EVENTS + 1);
    const forms: [string, string | Buffer, Record<string, string>][] = [
      ['NDJSON', over.join('\n'), {}],
      ['gzip NDJSON', gzipSync(over.join('\n')), { 'content-encoding': 'gzip' }],
      ['JSON array', `[${over.join(',')}]`, { 'content-type': 'application/json' }],
      // Every line that is not blank counts, whatever it turns out to be: the count is made before parsing.
      ['empty objects', Array.from({ length: MAX_EVENTS + 1 }, () => '{}').join('\n'), {}],
      ['lines that are not JSON', 'x\n'.repeat(MAX_EVENTS + 1), {}],
    ];
    for (const [form, body, headers] of forms) {
      const res = await post(body, headers);
      const p = expectProblem(res, 413);
      expect(p.type, form).toBe('about:blank#too-many-events');
      expect(p.detail, form).toMatch(/more than 50 events.*TOCSIN_INGEST_MAX_EVENTS/);
      expect(res.headers['retry-after'], form).toBeUndefined();
    }
    expect(delivered).toHaveLength(0);
  });

  it('takes exactly the limit, blank lines not counted', async () => {
    const body = lines(MAX_EVENTS).join('\n\n  \r\n');
    const res = await post(gzipSync(body), { 'content-encoding': 'gzip' });
    expect(res.statusCode, res.body).toBe(202);
    expect(res.json()).toMatchObject({ accepted: MAX_EVENTS, rejectedCount: 0 });
    expect(delivered.map((e) => e.fields.n)).toEqual([...Array(MAX_EVENTS).keys()]);
  });

  it('answers 503 with Retry-After while detection is behind, and takes the same request once it has room (ids not burnt)', async () => {
    // Another request under way holds room for 40 of the 80 events detection may have waiting.
    const other = pipeline.admit(40);
    const body = lines(MAX_EVENTS, 100, {})
      .map((l, i) => l.replace('{', `{"id":"evt-${i}",`))
      .join('\n');
    const res = await post(body);
    const p = expectProblem(res, 503);
    expect(res.headers['retry-after']).toMatch(/^[1-9]\d*$/);
    expect(p.detail).toMatch(/detection is behind.*send these again in \d+ s/);
    expect(delivered).toHaveLength(0);
    other.release();
    // The sender retries after Retry-After: the same events are taken, not counted as duplicates.
    const again = await post(body);
    expect(again.statusCode, again.body).toBe(202);
    expect(again.json()).toMatchObject({ accepted: MAX_EVENTS, duplicates: 0 });
    await pipeline.idle();
    expect(raised.filter((m) => (m.events[0]!.fields.n as number) >= 100)).toHaveLength(MAX_EVENTS);
  });
});

describe('detection room and the event limit', () => {
  it('detection on its worker always has room for one whole request, however high the limit is set', async () => {
    const t = await createTestApp('sqlite', { TOCSIN_DETECTION_THREAD: 'worker', TOCSIN_INGEST_MAX_EVENTS: '300000' });
    try {
      // A request of the most events allowed is admitted when detection is idle (never a 413 from detection).
      t.s.detection.admit(300_000).release();
      expect(() => t.s.detection.admit(300_001)).toThrow(expect.objectContaining({ status: 413 }));
    } finally {
      await t.close();
    }
  });
});

describe('metrics bodies', () => {
  it("takes gzip, refuses more than 50,000 samples with 413 before parsing, a body that is not UTF-8 with 400, and a lone surrogate in a label value as that sample's reason", async () => {
    const t = await createTestApp('sqlite');
    try {
      const admin = await t.login('admin');
      const token = (await buildToken(t.s, admin.userId, { scopes: ['events'] })).token;
      const post = (payload: string | Buffer, headers: Record<string, string> = {}) =>
        t.app.inject({
          method: 'POST',
          url: '/api/v1/metrics',
          headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', ...headers },
          payload,
        });
      const at = Date.now();
      const gz = await post(
        gzipSync(
          JSON.stringify({
            samples: [
              { name: 'gw_latency_ms', value: 12, time: at },
              { name: 'gw_latency_ms', labels: { venue: 'a\ud800' }, value: 1, time: at },
            ],
          }),
        ),
        { 'content-encoding': 'gzip' },
      );
      expect(gz.statusCode, gz.body).toBe(202);
      expect(gz.json()).toMatchObject({
        accepted: 1,
        rejected: [{ index: 1, reason: expect.stringMatching(/^label "venue" contains a lone UTF-16 surrogate/) }],
      });

      const many = `{"samples":[${Array.from({ length: 50_001 }, () => '{"name":"x","value":1}').join(',')}]}`;
      const p = expectProblem(await post(many), 413);
      expect(p).toMatchObject({
        type: 'about:blank#too-many-samples',
        detail: expect.stringContaining('more than 50,000 samples'),
      });
      const notUtf8 = expectProblem(
        await post(
          Buffer.concat([
            Buffer.from('[{"name":"x","labels":{"a":"'),
            Buffer.from([0xff]),
            Buffer.from('"},"value":1}]'),
          ]),
        ),
        400,
      );
      expect(notUtf8.detail).toMatch(/not valid UTF-8/);
    } finally {
      await t.close();
    }
  });
});
