/**
 * /healthz, /readyz and /metrics on the port that serves the API (role all): readiness with each check
 * and 503 problem+json when one fails or the process is stopping; /metrics only with the metrics
 * token (401 without a bearer, 403 with another or when none is configured), in Prometheus text that
 * counts what a user did (events ingested by source, detection, the engine's time, alert intake, jobs).
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { buildToken } from '../helpers/fixtures.js';
import { parseExposition, sampleValue } from '../helpers/prometheus.js';
import { STORE_KINDS } from '../helpers/store.js';

const METRICS_TOKEN = 'metrics-token-0123456789abcdef';

describe.each(STORE_KINDS)('operations endpoints (%s)', (kind) => {
  let t: TestApp;
  afterEach(() => t?.close());

  it('/healthz answers, and /readyz lists its checks: ready, then 503 problem+json once a check fails or the process stops', async () => {
    t = await createTestApp(kind);
    const live = await t.app.inject({ method: 'GET', url: '/healthz' });
    expect(live.statusCode).toBe(200);
    expect(live.json()).toEqual({ status: 'ok' });

    const ready = await t.app.inject({ method: 'GET', url: '/readyz' });
    expect(ready.statusCode, ready.body).toBe(200);
    expect(ready.json()).toEqual({ status: 'ready', checks: { store: { ok: true }, shutdown: { ok: true } } });

    t.s.readiness.add('nats', () => 'disconnected from nats://127.0.0.1:4222');
    const notReady = await t.app.inject({ method: 'GET', url: '/readyz' });
    expect(notReady.statusCode).toBe(503);
    expect(notReady.headers['content-type']).toContain('application/problem+json');
    expect(notReady.json()).toMatchObject({
      status: 503,
      code: 'unavailable',
      detail: 'not ready: nats: disconnected from nats://127.0.0.1:4222',
      checks: { store: { ok: true }, nats: { ok: false, detail: 'disconnected from nats://127.0.0.1:4222' } },
    });

    t.s.readiness.add('nats', () => true);
    t.s.readiness.drain();
    const stopping = await t.app.inject({ method: 'GET', url: '/readyz' });
    expect(stopping.statusCode).toBe(503);
    expect(stopping.json().checks.shutdown).toEqual({ ok: false, detail: 'shutting down' });
    // The API's own health stays as it was.
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/health' })).json()).toEqual({ status: 'ok' });
  });

  it('keeps /metrics closed on the API port when no metrics token is configured, even to an administrator', async () => {
    t = await createTestApp(kind);
    const admin = await t.login('admin');
    const token = (await buildToken(t.s, admin.userId, { scopes: ['admin', 'read'] })).token;
    for (const headers of [{}, { authorization: `Bearer ${token}` }]) {
      const res = await t.app.inject({ method: 'GET', url: '/metrics', headers });
      expect(res.statusCode).toBe(403);
      expect(res.headers['content-type']).toContain('application/problem+json');
      expect(res.json()).toMatchObject({ code: 'forbidden' });
      expect(res.json().detail).toContain('TOCSIN_METRICS_TOKEN');
    }
  });

  it('serves /metrics to the metrics token only (401 without a bearer, 403 with another) and counts ingest, detection and jobs', async () => {
    t = await createTestApp(kind, { TOCSIN_METRICS_TOKEN: METRICS_TOKEN });
    const none = await t.app.inject({ method: 'GET', url: '/metrics' });
    expect(none.statusCode).toBe(401);
    expect(none.headers['www-authenticate']).toBe('Bearer realm="metrics"');
    expect(none.json()).toMatchObject({ status: 401, code: 'unauthorized' });
    const wrong = await t.app.inject({
      method: 'GET',
      url: '/metrics',
      headers: { authorization: 'Bearer not-the-metrics-token' },
    });
    expect(wrong.statusCode).toBe(403);
    expect(wrong.json()).toMatchObject({ status: 403, code: 'forbidden' });

    const admin = await t.login('admin');
    const events = (await buildToken(t.s, admin.userId, { scopes: ['events'] })).token;
    const posted = await t.app.inject({
      method: 'POST',
      url: '/api/v1/events?source=api',
      headers: { authorization: `Bearer ${events}`, 'content-type': 'application/x-ndjson' },
      payload:
        '{"id":"e1","event":"login","user":"u1"}\n{"id":"e2","event":"login","user":"u2"}\n{"id":"e3","event":"x"}\n',
    });
    expect(posted.statusCode, posted.body).toBe(202);
    await t.s.detection.idle();

    const res = await t.app.inject({
      method: 'GET',
      url: '/metrics',
      headers: { authorization: `Bearer ${METRICS_TOKEN}` },
    });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('text/plain; version=0.0.4');
    const samples = parseExposition(res.body);
    expect(sampleValue(samples, 'tocsin_events_ingested_total', { source: 'api' })).toBe(3);
    expect(sampleValue(samples, 'tocsin_detection_events_total')).toBe(3);
    expect(sampleValue(samples, 'tocsin_detection_matches_total')).toBeGreaterThanOrEqual(0);
    expect(sampleValue(samples, 'tocsin_rule_engine_seconds_count')).toBeGreaterThanOrEqual(1);
    // Nothing matched those events: no alert intake yet.
    expect(sampleValue(samples, 'tocsin_alert_intake_seconds_count')).toBe(0);
    expect(sampleValue(samples, 'tocsin_jobs', { state: 'dead' })).toBe(0);
    expect(sampleValue(samples, 'tocsin_jobs_failed_total')).toBe(0);
    expect(sampleValue(samples, 'tocsin_sse_clients')).toBe(0);
    expect(sampleValue(samples, 'tocsin_role_info', { role: 'all', nats: 'false' })).toBe(1);
    // Default process metrics come from its own registry.
    expect(sampleValue(samples, 'process_resident_memory_bytes')).toBeGreaterThan(0);

    // Lag is whatever the consumers report.
    t.s.telemetry.setLag('stage-one', 42);
    const again = parseExposition(
      (await t.app.inject({ method: 'GET', url: '/metrics', headers: { authorization: `Bearer ${METRICS_TOKEN}` } }))
        .body,
    );
    expect(sampleValue(again, 'tocsin_consumer_lag', { consumer: 'stage-one' })).toBe(42);
    expect(sampleValue(again, 'tocsin_events_ingested_total', { source: 'api' })).toBe(3);

    // Events a bundled rule matches: their alerts' intake is timed.
    const matching = await t.app.inject({
      method: 'POST',
      url: '/api/v1/events',
      headers: { authorization: `Bearer ${events}`, 'content-type': 'application/x-ndjson' },
      payload: fs.readFileSync(path.resolve('rules/tocsin/tests/file_event_ransom_note/positive.ndjson'), 'utf8'),
    });
    expect(matching.statusCode, matching.body).toBe(202);
    await t.s.detection.idle();
    const after = parseExposition(
      (await t.app.inject({ method: 'GET', url: '/metrics', headers: { authorization: `Bearer ${METRICS_TOKEN}` } }))
        .body,
    );
    expect(sampleValue(after, 'tocsin_alert_intake_seconds_count')).toBeGreaterThanOrEqual(1);
    expect(sampleValue(after, 'tocsin_alert_intake_seconds_sum')).toBeGreaterThan(0);
    expect(sampleValue(after, 'tocsin_alert_intake_seconds_bucket', { le: '+Inf' })).toBe(
      sampleValue(after, 'tocsin_alert_intake_seconds_count'),
    );
  });

  it('counts queued and dead jobs from the store and failed attempts of this process', async () => {
    t = await createTestApp(kind, { TOCSIN_METRICS_TOKEN: METRICS_TOKEN });
    t.s.jobs.register('test.fails', async () => {
      throw new Error('always');
    });
    t.s.jobs.register('test.later', async () => {});
    await t.s.store.transaction(async (tx) => {
      await t.s.jobs.enqueue(tx, { kind: 'test.fails', payload: {}, maxAttempts: 1 });
      await t.s.jobs.enqueue(tx, { kind: 'test.later', payload: {}, runAt: t.s.clock.now() + 3_600_000 });
    });
    await t.s.jobs.runDue();
    const res = await t.app.inject({
      method: 'GET',
      url: '/metrics',
      headers: { authorization: `Bearer ${METRICS_TOKEN}` },
    });
    const samples = parseExposition(res.body);
    expect(sampleValue(samples, 'tocsin_jobs', { state: 'dead' })).toBe(1);
    expect(sampleValue(samples, 'tocsin_jobs', { state: 'queued' })).toBeGreaterThanOrEqual(1);
    expect(sampleValue(samples, 'tocsin_jobs_failed_total')).toBe(1);
  });
});
