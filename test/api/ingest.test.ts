/**
 * POST /api/v1/events and POST /api/v1/complaints through buildApp() + inject(): formats, encodings,
 * idempotency (also across a restart), per-line rejections, limits, access; complaints and their PII.
 */
import fs from 'node:fs';
import path from 'node:path';
import { Writable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import type { InjectOptions } from 'fastify';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { compose } from '../../src/server/compose.js';
import { buildApp } from '../../src/server/http/app.js';
import type { DetectionEvent } from '../../src/server/modules/detection/index.js';
import { createLogger } from '../../src/server/platform/logger.js';
import { createTestApp, type Session, type TestApp } from '../helpers/app.js';
import { buildToken } from '../helpers/fixtures.js';
import { expectProblem } from '../helpers/problem.js';
import { STORE_KINDS, tempDir } from '../helpers/store.js';

const BODY_LIMIT = 64 * 1024;
const LINE_LIMIT = 2048;
const APP_BODY_LIMIT = 4096;

const SOURCES_YAML = `
sources:
  - name: trading-gw
    logsource: { product: trading_gateway, category: authentication }
    timeField: occurredAt
    timeFormat: epoch_s
    fieldMap:
      clientIp: src_ip
      account.id: TargetUserName
  - name: zeek
    format: zeek-conn
`;

const ndjson = (...lines: unknown[]) => lines.map((l) => (typeof l === 'string' ? l : JSON.stringify(l))).join('\n');

describe.each(STORE_KINDS)('event ingest API (%s)', (kind) => {
  let t: TestApp;
  const received: DetectionEvent[] = [];
  let eventsToken: string;
  let adminEventsToken: string;
  let writeToken: string;
  let responder: Session;
  let executive: Session;
  let customerService: Session;

  const post = (
    body: string | Buffer | unknown[],
    opts: { token?: string; type?: string; encoding?: string; source?: string } = {},
  ) => {
    const headers: Record<string, string> = {
      'content-type':
        opts.type ?? (typeof body === 'string' || Buffer.isBuffer(body) ? 'application/x-ndjson' : 'application/json'),
    };
    if (opts.encoding) headers['content-encoding'] = opts.encoding;
    if (opts.token !== '') headers.authorization = `Bearer ${opts.token ?? eventsToken}`;
    const payload = typeof body === 'string' || Buffer.isBuffer(body) ? body : JSON.stringify(body);
    return t.app.inject({
      method: 'POST',
      url: `/api/v1/events${opts.source ? `?source=${opts.source}` : ''}`,
      headers,
      payload,
    });
  };

  beforeAll(async () => {
    const dir = tempDir();
    const sourcesFile = path.join(dir, 'sources.yaml');
    fs.writeFileSync(sourcesFile, SOURCES_YAML);
    t = await createTestApp(
      kind,
      {
        TOCSIN_INGEST_BODY_LIMIT_BYTES: String(BODY_LIMIT),
        TOCSIN_INGEST_LINE_LIMIT_BYTES: String(LINE_LIMIT),
        TOCSIN_BODY_LIMIT_BYTES: String(APP_BODY_LIMIT),
        TOCSIN_SOURCES_FILE: sourcesFile,
      },
      { sink: (events) => void received.push(...events) },
    );
    responder = await t.login('responder');
    executive = await t.login('executive');
    customerService = await t.login('customer_service');
    eventsToken = (await buildToken(t.s, responder.userId, { scopes: ['events'] })).token;
    const admin = await t.login('admin');
    adminEventsToken = (await buildToken(t.s, admin.userId, { scopes: ['events'] })).token;
    writeToken = (await buildToken(t.s, responder.userId, { scopes: ['read', 'write'] })).token;
  });
  afterAll(() => t.close());
  beforeEach(() => {
    received.length = 0;
  });

  it('accepts a JSON array and hands normalized events to the sink', async () => {
    const res = await post([
      {
        '@timestamp': '2026-03-01T09:30:00+08:00',
        event: 'login',
        user: 'zhang.san',
        logsource: { product: 'trading', service: 'login' },
      },
      { event: 'order', qty: 100 },
    ]);
    expect(res.statusCode, res.body).toBe(202);
    expect(res.json()).toEqual({ accepted: 2, duplicates: 0, rejected: [], rejectedCount: 0 });
    expect(received).toHaveLength(2);
    expect(received[0]).toMatchObject({
      source: 'api',
      time: Date.UTC(2026, 2, 1, 1, 30),
      logsource: { product: 'trading', service: 'login' },
      fields: { event: 'login', user: 'zhang.san' },
    });
    expect(received[0]!.fields).not.toHaveProperty('logsource');
    expect(received[1]!.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(Math.abs(received[1]!.time - Date.now())).toBeLessThan(60_000);
  });

  it('accepts NDJSON and gzip, and says per line why it refused one, keeping the good lines', async () => {
    const deep = `${'{"a":'.repeat(40)}1${'}'.repeat(40)}`;
    const body = Buffer.concat([
      Buffer.from(`${ndjson({ n: 1 }, 'not json at all', [1, 2], { n: 2 })}\n`),
      Buffer.from('{"n":"caf'),
      Buffer.from([0xe9, 0xff]),
      Buffer.from('"}\n'),
      Buffer.from(`${deep}\n{"huge":"${'x'.repeat(LINE_LIMIT)}"}\n{"id":{"not":"a string"}}\n\n{"n":3}\n`),
    ]);
    for (const encoding of [undefined, 'gzip']) {
      received.length = 0;
      const res = await post(encoding ? gzipSync(body) : body, { encoding });
      expect(res.statusCode, res.body).toBe(202);
      const r = res.json();
      expect(r.accepted).toBe(3);
      expect(r.rejectedCount).toBe(6);
      expect(r.rejected).toEqual([
        { line: 2, reason: expect.stringMatching(/^not valid JSON/) },
        { line: 3, reason: 'not a JSON object' },
        { line: 5, reason: 'not valid UTF-8' },
        { line: 6, reason: 'nested deeper than 32 levels' },
        { line: 7, reason: expect.stringMatching(/^too large: \d+ bytes; the limit is 2048$/) },
        { line: 8, reason: '"id" must be a string of 1–200 characters (no NUL) or an integer' },
      ]);
      expect(received.map((e) => e.fields.n)).toEqual([1, 2, 3]);
    }
  });

  it('treats an id already seen from the same source as a duplicate, also after a restart', async () => {
    const first = await post(
      ndjson({ id: 'evt-1', v: 1 }, { id: 'evt-2', v: 2 }, { id: 'evt-1', v: 'again in the same batch' }),
    );
    expect(first.json()).toMatchObject({ accepted: 2, duplicates: 1 });
    received.length = 0;
    const again = await post(
      ndjson({ id: 'evt-1', v: 1 }, { id: 'evt-2', v: 2 }, { id: 'evt-3', v: 3 }, { v: 'no id' }),
    );
    expect(again.json()).toMatchObject({ accepted: 2, duplicates: 2 });
    expect(received.map((e) => e.id).slice(0, 1)).toEqual(['evt-3']);
    // Another source has ids of its own.
    expect((await post(ndjson({ id: 'evt-1' }), { source: 'zeek' })).json()).toMatchObject({
      accepted: 1,
      duplicates: 0,
    });

    // A second server process on the same store remembers them.
    const restarted = await compose(t.s.config, { skipMigrate: true, sink: () => {} });
    const app2 = await buildApp(restarted);
    try {
      const res = await app2.inject({
        method: 'POST',
        url: '/api/v1/events',
        payload: ndjson({ id: 'evt-2' }, { id: 'evt-4' }),
        headers: { authorization: `Bearer ${eventsToken}`, 'content-type': 'application/x-ndjson' },
      });
      expect(res.json()).toMatchObject({ accepted: 1, duplicates: 1 });
    } finally {
      await app2.close();
      await restarted.close();
    }
  });

  it('forgets ids after the retention window', async () => {
    const rows = await t.s.store.db
      .selectFrom('ingest_seen')
      .select(['source', 'event_id'])
      .where('source', '=', 'api')
      .execute();
    expect(rows.map((r) => r.event_id)).toEqual(expect.arrayContaining(['evt-1', 'evt-2', 'evt-3', 'evt-4']));
    await t.s.store.db
      .updateTable('ingest_seen')
      .set({ seen_at: Date.now() - 25 * 3600_000 })
      .where('event_id', '=', 'evt-1')
      .execute();
    // Pruning runs at most once a minute per source: a fresh service prunes on its first batch.
    const later = await compose(t.s.config, { skipMigrate: true, sink: () => {} });
    try {
      expect(await later.ingest.ingestRecords('api', [{ line: 1, value: { id: 'evt-1' } }])).toMatchObject({
        accepted: 1,
        duplicates: 0,
      });
      expect(await later.ingest.ingestRecords('api', [{ line: 1, value: { id: 'evt-3' } }])).toMatchObject({
        accepted: 0,
        duplicates: 1,
      });
    } finally {
      await later.close();
    }
  });

  it('applies a configured source: its log source, time field and field names', async () => {
    const res = await post(
      ndjson({
        occurredAt: 1_772_000_000,
        clientIp: '203.0.113.9',
        account: { id: 'A-1001', tier: 'vip' },
        outcome: 'fail',
      }),
      { source: 'trading-gw' },
    );
    expect(res.json()).toMatchObject({ accepted: 1 });
    expect(received[0]).toMatchObject({
      source: 'trading-gw',
      time: 1_772_000_000_000,
      logsource: { product: 'trading_gateway', category: 'authentication' },
      fields: { src_ip: '203.0.113.9', TargetUserName: 'A-1001', account: { tier: 'vip' }, outcome: 'fail' },
    });
    received.length = 0;
    await post(
      ndjson({
        ts: 1_591_367_999.3,
        uid: 'C1',
        'id.orig_h': '10.0.0.1',
        'id.resp_h': '10.0.0.2',
        'id.resp_p': 445,
        proto: 'tcp',
      }),
      { source: 'zeek' },
    );
    expect(received[0]).toMatchObject({
      id: 'C1',
      logsource: { product: 'zeek', service: 'conn' },
      fields: { dst_port: 445, src_ip: '10.0.0.1' },
    });

    const unknown = expectProblem(await post(ndjson({ a: 1 }), { source: 'nope' }), 422);
    expect(unknown.detail).toMatch(/unknown ingest source "nope"; known: .*trading-gw/);
    expectProblem(await post(ndjson({ a: 1 }), { source: 'Bad Name!' }), 400);
  });

  it('has its own body limit: larger than other routes allow, 413 beyond it, compressed or not', async () => {
    const big = Array.from({ length: 100 }, (_, i) => ({ i, pad: 'y'.repeat(80) }));
    expect(JSON.stringify(big).length).toBeGreaterThan(APP_BODY_LIMIT);
    expect((await post(big)).json()).toMatchObject({ accepted: 100 });

    const tooBig = ndjson(...Array.from({ length: 700 }, (_, i) => ({ i, pad: 'z'.repeat(90) })));
    expect(tooBig.length).toBeGreaterThan(BODY_LIMIT);
    received.length = 0;
    const p = expectProblem(await post(tooBig), 413);
    expect(p.title).toBe('Payload too large');
    // A small gzip body that inflates past the limit (a zip bomb) is refused the same way.
    const bomb = gzipSync(Buffer.alloc(BODY_LIMIT * 20, 0x20));
    expect(bomb.length).toBeLessThan(BODY_LIMIT);
    expectProblem(await post(bomb, { encoding: 'gzip' }), 413);
    expect(received).toHaveLength(0);

    // Other routes keep the application's limit and JSON-only parsing.
    const incident = { title: 'x'.repeat(100), summary: 's'.repeat(APP_BODY_LIMIT), category: 'other', grade: 'IV' };
    expectProblem(await t.as(responder, { method: 'POST', url: '/api/v1/incidents', payload: incident }), 413);
    expectProblem(
      await t.as(responder, {
        method: 'POST',
        url: '/api/v1/incidents',
        headers: { 'content-type': 'application/x-ndjson' },
        payload: '{"title":"x"}',
      }),
      415,
    );
  });

  it('refuses bodies it cannot read as a whole with problem+json', async () => {
    expect(expectProblem(await post('<events/>', { type: 'application/xml' }), 415).detail).toMatch(
      /application\/x-ndjson/,
    );
    expectProblem(await post(ndjson({ a: 1 }), { encoding: 'br' }), 415);
    expect(expectProblem(await post(Buffer.from('not gzip at all'), { encoding: 'gzip' }), 400).detail).toMatch(/gzip/);
    expectProblem(await post('', {}), 400);
    expectProblem(
      await t.app.inject({
        method: 'POST',
        url: '/api/v1/events',
        headers: { authorization: `Bearer ${eventsToken}` },
      }),
      415,
    );
    // A body that is one broken array is a rejection, not a failure.
    const broken = await post('[{"a":1}, {"b": ', { type: 'application/json' });
    expect(broken.statusCode).toBe(202);
    expect(broken.json()).toMatchObject({
      accepted: 1,
      rejected: [
        { line: 2, reason: expect.stringMatching(/^not valid JSON/) },
        { line: 3, reason: 'the array is not closed: the body ends early' },
      ],
    });
  });

  it('lets event-scoped tokens and allowed roles in, and nobody else', async () => {
    const anonymous = await post(ndjson({ a: 1 }), { token: '' });
    expectProblem(anonymous, 401);
    expectProblem(await post(ndjson({ a: 1 }), { token: writeToken }), 403);
    expect((await post(ndjson({ a: 1 }), { token: adminEventsToken })).statusCode).toBe(202);
    const asSession = (s: Session, extra: Partial<InjectOptions> = {}) =>
      t.as(s, {
        method: 'POST',
        url: '/api/v1/events',
        headers: { 'content-type': 'application/x-ndjson' },
        payload: ndjson({ a: 1 }),
        ...extra,
      });
    expect((await asSession(responder)).statusCode).toBe(202);
    expectProblem(await asSession(executive), 403);
    // A cookie session needs its CSRF header, as on every write.
    expectProblem(
      await t.app.inject({
        method: 'POST',
        url: '/api/v1/events',
        headers: { cookie: responder.cookie, 'content-type': 'application/x-ndjson' },
        payload: ndjson({ a: 1 }),
      }),
      403,
    );
    expect(received.length).toBe(2);
  });

  it('counts what it accepted, dropped and refused', () => {
    const s = t.s.ingest.stats();
    expect(s.accepted).toBeGreaterThan(0);
    expect(s.duplicates).toBeGreaterThan(0);
    expect(s.rejected).toBeGreaterThan(0);
  });

  describe('complaints', () => {
    const complaint = {
      channel: 'phone',
      text: '无法登录交易App，资金被盗？ cannot log in',
      customerRef: 'C-13800138000',
      time: '2026-03-01T10:00:00+08:00',
      topic: 'login',
    };

    it('stores a complaint and emits it as a tocsin/complaints event without the customer reference', async () => {
      const res = await t.as(customerService, { method: 'POST', url: '/api/v1/complaints', payload: complaint });
      expect(res.statusCode, res.body).toBe(201);
      const body = res.json();
      expect(body).toMatchObject({
        id: expect.any(String),
        channel: 'phone',
        topic: 'login',
        time: '2026-03-01T02:00:00.000Z',
        receivedAt: expect.any(String),
      });
      expect(res.body).not.toContain('13800138000');
      const row = await t.s.store.db
        .selectFrom('complaints')
        .selectAll()
        .where('id', '=', body.id)
        .executeTakeFirstOrThrow();
      expect(row).toMatchObject({
        channel: 'phone',
        customer_ref: 'C-13800138000',
        text: complaint.text,
        time: Date.UTC(2026, 2, 1, 2),
        created_by: customerService.userId,
      });
      expect(received).toEqual([
        {
          id: body.id,
          time: Date.UTC(2026, 2, 1, 2),
          source: 'complaints',
          logsource: { product: 'tocsin', service: 'complaints' },
          fields: { complaintId: body.id, channel: 'phone', topic: 'login', text: complaint.text },
        },
      ]);
      const audit = await t.s.store.db
        .selectFrom('audit_log')
        .select(['action', 'after_json'])
        .where('target_id', '=', body.id)
        .execute();
      expect(audit).toHaveLength(1);
      expect(audit[0]!.action).toBe('complaint.create');
      expect(audit[0]!.after_json).not.toContain('13800138000');
      // Without a time, it is when it arrived; an event-scoped token may file one.
      const bare = await t.app.inject({
        method: 'POST',
        url: '/api/v1/complaints',
        headers: { authorization: `Bearer ${eventsToken}` },
        payload: { channel: 'app', text: 'funds missing' },
      });
      expect(bare.statusCode).toBe(201);
      expect(Math.abs(Date.parse(bare.json().time) - Date.now())).toBeLessThan(60_000);
    });

    it('never writes the customer reference to the log', async () => {
      const lines: string[] = [];
      const app = await buildApp(t.s, {
        logger: createLogger(
          'trace',
          new Writable({
            write: (c, _e, done) => {
              lines.push(String(c));
              done();
            },
          }),
        ),
      });
      try {
        const cookie = { cookie: customerService.cookie, 'x-csrf-token': customerService.csrf };
        expect(
          (await app.inject({ method: 'POST', url: '/api/v1/complaints', headers: cookie, payload: complaint }))
            .statusCode,
        ).toBe(201);
        // Nor when the request fails validation.
        expect(
          (
            await app.inject({
              method: 'POST',
              url: '/api/v1/complaints',
              headers: cookie,
              payload: { ...complaint, channel: 'pigeon' },
            })
          ).statusCode,
        ).toBe(400);
      } finally {
        await app.close();
      }
      expect(lines.join('')).toContain('/api/v1/complaints');
      expect(lines.join('')).not.toContain('13800138000');
    });

    it('validates complaints and who may file them', async () => {
      const bad = expectProblem(
        await t.as(customerService, {
          method: 'POST',
          url: '/api/v1/complaints',
          payload: { channel: 'pigeon', text: '', extra: 1 },
        }),
        400,
      );
      expect(bad.errors!.map((e) => e.path).sort()).toEqual(['body.channel', 'body.extra', 'body.text']);
      expectProblem(await t.as(executive, { method: 'POST', url: '/api/v1/complaints', payload: complaint }), 403);
      expectProblem(
        await t.app.inject({
          method: 'POST',
          url: '/api/v1/complaints',
          headers: { authorization: `Bearer ${writeToken}` },
          payload: complaint,
        }),
        403,
      );
      expectProblem(await t.app.inject({ method: 'POST', url: '/api/v1/complaints', payload: complaint }), 401);
    });
  });
});
