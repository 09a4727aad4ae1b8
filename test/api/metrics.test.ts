/**
 * POST /api/v1/metrics and the series API through buildApp() + inject(): access, good and bad samples
 * mixed, bad bodies, reading series and points back; end to end, samples -> anomaly detector -> an
 * alert in GET /api/v1/alerts (on the catalog service named by the series), also across a restart;
 * retention pruning.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compose } from '../../src/server/compose.js';
import { createTestApp, type Session, type TestApp } from '../helpers/app.js';
import { buildService, buildToken } from '../helpers/fixtures.js';
import { expectProblem } from '../helpers/problem.js';
import { STORE_KINDS, tempDir, testConfig } from '../helpers/store.js';

const MIN = 60_000;
const BODY_LIMIT = 32 * 1024;

const METRICS_YAML = `
detectors:
  - id: order-rejects
    title_zh: 订单拒绝率异常
    title_en: Order rejection rate anomaly
    metric: trading_order_rejects_per_min
    match: { venue: sse }
    kind: robust_z
    window: 30
    threshold: 4
    min_deviation: 5
    warmup: 20
    fire_after: 3
    clear_after: 3
    direction: up
    level: high
    tags: [tocsin.trading]
`;

/** 40 calm minutes (rejections 10..12 a minute) ending at `end`, oldest first. */
const calm = (end: number, n = 40) =>
  Array.from({ length: n }, (_, i) => ({ time: end - (n - 1 - i) * MIN, value: 10 + (i % 3) }));
const sample = (
  time: number,
  value: number,
  labels: Record<string, string> = { venue: 'sse', service: 'online-trading' },
) => ({ name: 'trading_order_rejects_per_min', labels, value, time });

describe.each(STORE_KINDS)('metrics API (%s)', (kind) => {
  let t: TestApp;
  let eventsToken: string;
  let readToken: string;
  let executive: Session;
  let responder: Session;
  let metricsFile: string;

  const post = (body: unknown, opts: { token?: string; type?: string; raw?: boolean } = {}) => {
    const headers: Record<string, string> = { 'content-type': opts.type ?? 'application/json' };
    if (opts.token !== '') headers.authorization = `Bearer ${opts.token ?? eventsToken}`;
    return t.app.inject({
      method: 'POST',
      url: '/api/v1/metrics',
      headers,
      payload: opts.raw ? (body as string) : JSON.stringify(body),
    });
  };

  beforeAll(async () => {
    metricsFile = path.join(tempDir(), 'metrics.yaml');
    fs.writeFileSync(metricsFile, METRICS_YAML);
    t = await createTestApp(kind, {
      TOCSIN_METRICS_FILE: metricsFile,
      TOCSIN_INGEST_BODY_LIMIT_BYTES: String(BODY_LIMIT),
    });
    responder = await t.login('responder');
    executive = await t.login('executive');
    eventsToken = (await buildToken(t.s, responder.userId, { scopes: ['events'] })).token;
    readToken = (await buildToken(t.s, responder.userId, { scopes: ['read'] })).token;
    await buildService(t.s);
  });
  afterAll(() => t.close());

  it('needs an events token or a session allowed to ingest', async () => {
    expectProblem(await post([sample(Date.now(), 1)], { token: '' }), 401);
    const wrongScope = expectProblem(await post([sample(Date.now(), 1)], { token: readToken }), 403);
    expect(wrongScope.detail).toMatch(/metric\.ingest/);
    const asExecutive = await t.as(executive, {
      method: 'POST',
      url: '/api/v1/metrics',
      headers: { 'content-type': 'application/json' },
      payload: JSON.stringify([]),
    });
    expectProblem(asExecutive, 403);
    const asResponder = await t.as(responder, {
      method: 'POST',
      url: '/api/v1/metrics',
      headers: { 'content-type': 'application/json' },
      payload: JSON.stringify([{ name: 'session_posted', value: 1 }]),
    });
    expect(asResponder.statusCode, asResponder.body).toBe(202);
    // Reading needs metric.read: the read token and every staff role have it.
    expect(
      (
        await t.app.inject({
          method: 'GET',
          url: '/api/v1/metrics/series',
          headers: { authorization: `Bearer ${readToken}` },
        })
      ).statusCode,
    ).toBe(200);
    expect((await t.as(executive, { method: 'GET', url: '/api/v1/metrics/series' })).statusCode).toBe(200);
    expectProblem(
      await t.app.inject({
        method: 'GET',
        url: '/api/v1/metrics/series',
        headers: { authorization: `Bearer ${eventsToken}` },
      }),
      403,
    );
  });

  it('takes the good samples of a mixed batch and says why each bad one was refused', async () => {
    const now = Date.now();
    const res = await post({
      samples: [
        { name: 'gateway_latency_ms', labels: { gw: 'a' }, value: 12.5, time: new Date(now - 2 * MIN).toISOString() },
        { name: '9bad', value: 1 },
        { name: 'gateway_latency_ms', labels: { gw: 'a' }, value: 14, time: now - MIN },
        { name: 'gateway_latency_ms', labels: { gw: 'a' }, value: 'fast' },
        { name: 'gateway_latency_ms', labels: { __name__: 'x' }, value: 1 },
        {
          name: 'gateway_latency_ms',
          labels: Object.fromEntries(Array.from({ length: 33 }, (_, i) => [`l${i}`, 'v'])),
          value: 1,
        },
        { name: 'gateway_latency_ms', value: 1, time: '2026-11-28 10:00' },
        { name: 'gateway_latency_ms', value: 1, extra: true },
        'not an object',
        { name: 'gateway_latency_ms', labels: { gw: 'b' }, value: 7 },
      ],
    });
    expect(res.statusCode, res.body).toBe(202);
    const body = res.json();
    expect(body.accepted).toBe(3);
    expect(body.rejectedCount).toBe(7);
    expect(body.rejected.map((r: { index: number }) => r.index)).toEqual([1, 3, 4, 5, 6, 7, 8]);
    expect(body.rejected[0].reason).toMatch(/Prometheus metric name/);
    expect(body.rejected[1].reason).toMatch(/finite number/);
    expect(body.rejected[2].reason).toMatch(/reserved/);
    expect(body.rejected[3].reason).toMatch(/more than 32 labels/);
    expect(body.rejected[4].reason).toMatch(/ISO-8601/);
    expect(body.rejected[5].reason).toMatch(/unknown field "extra"/);

    const list = await t.as(executive, { method: 'GET', url: '/api/v1/metrics/series?name=gateway_latency_ms' });
    expect(list.statusCode).toBe(200);
    const series = list.json().items as {
      id: string;
      labels: Record<string, string>;
      lastValue: number;
      source: string;
    }[];
    expect(series.map((s) => s.labels.gw).sort()).toEqual(['a', 'b']);
    const a = series.find((s) => s.labels.gw === 'a')!;
    expect(a).toMatchObject({ lastValue: 14, source: 'api' });

    const pts = await t.as(executive, {
      method: 'GET',
      url: `/api/v1/metrics/series/${a.id}/points?from=${encodeURIComponent(new Date(now - 10 * MIN).toISOString())}`,
    });
    expect(pts.statusCode, pts.body).toBe(200);
    expect(pts.json().points.map((p: { value: number }) => p.value)).toEqual([12.5, 14]);
    expect(pts.json().truncated).toBe(false);
    const one = await t.as(executive, {
      method: 'GET',
      url: `/api/v1/metrics/series/${a.id}/points?from=${encodeURIComponent(new Date(now - 10 * MIN).toISOString())}&limit=1`,
    });
    expect(one.json()).toMatchObject({ points: [{ value: 12.5 }], truncated: true });
  });

  it('pages through series with a cursor', async () => {
    await post(Array.from({ length: 5 }, (_, i) => ({ name: 'paged_metric', labels: { n: String(i) }, value: i })));
    const first = (
      await t.as(executive, { method: 'GET', url: '/api/v1/metrics/series?name=paged_metric&limit=3' })
    ).json();
    expect(first.items).toHaveLength(3);
    const second = (
      await t.as(executive, {
        method: 'GET',
        url: `/api/v1/metrics/series?name=paged_metric&limit=3&cursor=${first.next}`,
      })
    ).json();
    expect(second.items).toHaveLength(2);
    expect(second.next).toBeNull();
  });

  it('a second sample of a series at the same time replaces the first; a late older one does not move the last value', async () => {
    const at = Date.now() - 5 * MIN;
    await post([
      { name: 'resent_metric', value: 1, time: at },
      { name: 'resent_metric', value: 2, time: at },
    ]);
    await post([{ name: 'resent_metric', value: 3, time: at }]);
    await post([{ name: 'resent_metric', value: 9, time: at - MIN }]);
    const [s] = (await t.as(executive, { method: 'GET', url: '/api/v1/metrics/series?name=resent_metric' })).json()
      .items;
    expect(s.lastValue).toBe(3);
    const pts = (await t.as(executive, { method: 'GET', url: `/api/v1/metrics/series/${s.id}/points` })).json().points;
    expect(pts.map((p: { value: number }) => p.value)).toEqual([9, 3]);
  });

  it('answers bad bodies with problem+json', async () => {
    expect(expectProblem(await post('{"samples": [', { raw: true }), 400).detail).toMatch(/not valid JSON/);
    expectProblem(await post({ name: 'x', value: 1 }), 400);
    expectProblem(await post('name=x', { raw: true, type: 'application/x-www-form-urlencoded' }), 415);
    expectProblem(await post('', { raw: true }), 400);
    expectProblem(await post('x'.repeat(BODY_LIMIT + 10), { raw: true }), 413);
    expectProblem(await t.as(executive, { method: 'GET', url: '/api/v1/metrics/series/nope/points' }), 404);
    expectProblem(await t.as(executive, { method: 'GET', url: '/api/v1/metrics/series?name=bad-name' }), 400);
  });

  it('a lasting rise in a watched series raises one alert on its business service; calm series and single blips raise none', async () => {
    const end = Date.now() - 10 * MIN;
    const calmPoints = calm(end).map((p) => sample(p.time, p.value));
    // Another venue is not watched (match: venue=sse), however wild.
    const other = calm(end).map((p, i) => sample(p.time, i === 30 ? 500 : p.value, { venue: 'szse' }));
    expect((await post([...calmPoints, ...other])).json().accepted).toBe(80);
    // One blip: no alert.
    await post([sample(end + MIN, 90), sample(end + 2 * MIN, 11)]);
    expect((await alertsOf('anomaly:order-rejects')).length).toBe(0);
    // Three minutes of rejections at 80: one alert.
    await post([
      sample(end + 3 * MIN, 80),
      sample(end + 4 * MIN, 85),
      sample(end + 5 * MIN, 82),
      sample(end + 6 * MIN, 90),
    ]);
    const alerts = await alertsOf('anomaly:order-rejects');
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({
      kind: 'anomaly',
      level: 'high',
      ruleTitle: 'Order rejection rate anomaly',
      ruleTitles: { 'zh-CN': '订单拒绝率异常', en: 'Order rejection rate anomaly' },
      services: ['online-trading'],
      tags: ['tocsin.trading'],
      count: 1,
    });
    const detail = (await t.as(executive, { method: 'GET', url: `/api/v1/alerts/${alerts[0]!.id}` })).json();
    const fields = detail.events[0].fields;
    expect(fields).toMatchObject({
      metric: 'trading_order_rejects_per_min',
      labels: { venue: 'sse', service: 'online-trading' },
      value: 82,
      detector: 'order-rejects',
    });
    expect(fields.expected).toBeGreaterThanOrEqual(10);
    expect(fields.expected).toBeLessThanOrEqual(12);
    expect(fields.upper).toBeLessThan(82);
  });

  async function alertsOf(rule: string): Promise<{ id: string; [k: string]: unknown }[]> {
    const res = await t.as(executive, { method: 'GET', url: `/api/v1/alerts?rule=${encodeURIComponent(rule)}` });
    expect(res.statusCode, res.body).toBe(200);
    return res.json().items;
  }
});

describe.each(STORE_KINDS)('metrics across a restart, and retention (%s)', (kind) => {
  let dir: string;
  beforeAll(() => {
    dir = tempDir();
    fs.writeFileSync(path.join(dir, 'metrics.yaml'), METRICS_YAML);
  });

  it('rebuilds detector state from stored points: no second warm-up after a restart', async () => {
    const { config, drop } = testConfig(kind, { TOCSIN_METRICS_FILE: path.join(dir, 'metrics.yaml') });
    try {
      const end = Date.now() - 10 * MIN;
      const body = (items: unknown[]) => Buffer.from(JSON.stringify(items));
      const first = await compose(config);
      await first.metrics.ingestBody(body(calm(end).map((p) => sample(p.time, p.value))), 'application/json');
      await first.close();
      // Restarted: the first points after the restart are judged at once (a fresh detector would be warming up for 20).
      const second = await compose(config);
      await second.metrics.ingestBody(
        body([sample(end + MIN, 80), sample(end + 2 * MIN, 85), sample(end + 3 * MIN, 82)]),
        'application/json',
      );
      const raised = await second.store.db
        .selectFrom('alerts')
        .select(['rule_id', 'status'])
        .where('rule_id', '=', 'anomaly:order-rejects')
        .execute();
      expect(raised).toEqual([{ rule_id: 'anomaly:order-rejects', status: 'open' }]);
      expect(second.metrics.stats().detectors.rebuilt).toBe(1);
      await second.close();
      // Restarted during the episode: it is still open, so more anomalous points raise nothing new.
      const third = await compose(config);
      await third.metrics.ingestBody(
        body([sample(end + 4 * MIN, 88), sample(end + 5 * MIN, 86), sample(end + 6 * MIN, 90)]),
        'application/json',
      );
      const after = await third.store.db
        .selectFrom('alerts')
        .select(['count'])
        .where('rule_id', '=', 'anomaly:order-rejects')
        .execute();
      expect(after.map((a) => Number(a.count))).toEqual([1]);
      await third.close();
    } finally {
      await drop();
    }
  });

  it('refuses samples that would start a series beyond TOCSIN_METRICS_MAX_SERIES, keeping the rest and the series it has', async () => {
    const { config, drop } = testConfig(kind, { TOCSIN_METRICS_MAX_SERIES: '3' });
    try {
      const s = await compose(config);
      const body = (items: unknown[]) => Buffer.from(JSON.stringify(items));
      const burst = ['a', 'b', 'c', 'd', 'e'].map((id) => ({
        name: 'http_requests',
        labels: { session_id: id },
        value: 1,
      }));
      const r = await s.metrics.ingestBody(body([{ name: 'bad name!', value: 1 }, ...burst]), 'application/json');
      expect(r.accepted).toBe(3);
      expect(r.rejected.map((x) => x.index)).toEqual([0, 4, 5]);
      expect(r.rejected[1]!.reason).toMatch(/beyond the limit of 3 series .*high-cardinality label/);
      // The series it has still take points.
      const again = await s.metrics.ingestBody(
        body([
          { name: 'http_requests', labels: { session_id: 'a' }, value: 2 },
          { name: 'http_requests', labels: { session_id: 'z' }, value: 2 },
        ]),
        'application/json',
      );
      expect([again.accepted, again.rejectedCount]).toEqual([1, 1]);
      expect((await s.metrics.listSeries({ limit: 10 })).items).toHaveLength(3);
      await s.close();
    } finally {
      await drop();
    }
  });

  it('prunes points past the retention period, and series left with none', async () => {
    let now = Date.UTC(2026, 10, 20);
    const { config, drop } = testConfig(kind, { TOCSIN_METRICS_RETENTION_DAYS: '8' });
    try {
      const s = await compose(config, { clock: { now: () => now } });
      await s.metrics.ingestBody(
        Buffer.from(
          JSON.stringify([
            { name: 'old_only', value: 1, time: now - 7 * 86_400_000 },
            { name: 'kept', value: 1, time: now - 7 * 86_400_000 },
            { name: 'kept', value: 2, time: now },
          ]),
        ),
        'application/json',
      );
      now += 2 * 86_400_000; // nine days after the oldest points
      expect(await s.metrics.prune()).toEqual({ points: 2, series: 1 });
      const names = (await s.metrics.listSeries({ limit: 10 })).items.map((x) => x.name);
      expect(names).toEqual(['kept']);
      // Too old to take in the first place.
      const late = await s.metrics.ingestBody(
        Buffer.from(JSON.stringify([{ name: 'kept', value: 1, time: now - 9 * 86_400_000 }])),
        'application/json',
      );
      expect(late.rejected[0]!.reason).toMatch(/retention/);
      await s.close();
    } finally {
      await drop();
    }
  });
});
