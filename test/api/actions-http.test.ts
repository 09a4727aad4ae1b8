/**
 * The generic HTTP action against a loopback receiver: templates (JSON-escaped in the body, encoded in
 * the URL), the HMAC-SHA256 signature with its timestamp, secret headers redacted in the record,
 * expected statuses; plus what plan activation relies on: a run asked for by the system (any allowed
 * person approves, two-person included) and a re-delivered job that does nothing twice.
 */
import { createHmac } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ActionRun } from '../../src/shared/connector-schemas.js';
import { createTestApp, type Session, type TestApp } from '../helpers/app.js';
import { buildIncident } from '../helpers/fixtures.js';
import { STORE_KINDS } from '../helpers/store.js';

const SIGNING_KEY = 'whsec-9f8e7d6c5b4a';
const TOKEN = 'Bearer tok-55aa66bb77cc';

interface Received {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}

describe.each(STORE_KINDS)('generic HTTP action (%s)', (kind) => {
  let t: TestApp;
  let admin: Session;
  let responder: Session;
  let incident: { id: string; key: string };
  let base = '';
  const received: Received[] = [];
  let answer = 202;
  let garbage = false;
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push({
        method: req.method!,
        url: req.url!,
        headers: req.headers,
        body: Buffer.concat(chunks).toString(),
      });
      if (garbage) {
        res.writeHead(200, { 'content-type': 'text/html' });
        res.end('<html>maintenance</html>');
        return;
      }
      res.writeHead(answer, { 'content-type': 'application/json' });
      res.end('{"accepted":true}');
    });
  });
  const clock = {
    t: Date.parse('2026-12-03T08:00:00Z'),
    now() {
      return this.t;
    },
  };

  beforeAll(async () => {
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    t = await createTestApp(kind, {}, { clock });
    admin = await t.login('admin');
    responder = await t.login('responder');
    incident = await buildIncident(t.s, { title: 'Webhook' });
    const made = await t.as(admin, {
      method: 'POST',
      url: '/api/v1/connectors',
      payload: {
        name: 'soar-hook',
        kind: 'http',
        config: {
          url: `${base}/hooks/{{ host }}?incident={{ incident }}`,
          headers: { 'X-Incident': '{{ incident }}' },
          body: '{"host": "{{ host }}", "note": "{{ note }}"}',
          expectedStatus: [202],
          actions: ['isolate_host'],
        },
        secrets: { signingKey: SIGNING_KEY, headers: { Authorization: TOKEN } },
      },
    });
    expect(made.statusCode, made.body).toBe(201);
  });
  afterAll(async () => {
    await t.close();
    await new Promise((r) => server.close(r));
  });

  const request = (
    parameters: Record<string, unknown>,
    approval: 'none' | 'two_person' = 'none',
    key = `k-${Math.random()}`,
  ) =>
    t.s.store.transaction((tx) =>
      t.s.actions.request(tx, {
        incidentId: incident.id,
        connector: 'soar-hook',
        action: 'isolate_host',
        parameters,
        approval,
        key,
        requestedBy: null,
      }),
    );
  const get = async (id: string): Promise<ActionRun> =>
    (await t.as(responder, { method: 'GET', url: `/api/v1/actions/${id}` })).json();

  it('sends the rendered, signed request and records it with its secrets redacted', async () => {
    const { run, publish } = await request({ host: 'ws 1/2', incident: incident.key, note: 'say "hi"\n' });
    publish();
    await t.s.jobs.runDue(clock.t);
    const done = await get(run.id);
    expect(done.state, done.error ?? '').toBe('succeeded');
    const got = received.at(-1)!;
    expect(got.url).toBe(`/hooks/ws%201%2F2?incident=${incident.key}`);
    expect(JSON.parse(got.body)).toEqual({ host: 'ws 1/2', note: 'say "hi"\n' });
    expect(got.headers['x-incident']).toBe(incident.key);
    expect(got.headers.authorization).toBe(TOKEN);
    expect(got.headers['idempotency-key']).toBe(run.key);
    const ts = got.headers['x-tocsin-timestamp'] as string;
    expect(ts).toBe(String(clock.t / 1000));
    const mac = createHmac('sha256', SIGNING_KEY).update(`${ts}.${got.body}`).digest('hex');
    expect(got.headers['x-tocsin-signature']).toBe(`sha256=${mac}`);
    const recorded = JSON.stringify(done.request);
    expect(recorded).not.toContain(SIGNING_KEY);
    expect(recorded).not.toContain('tok-55aa66bb77cc');
    expect(recorded).not.toContain(mac);
    expect(done.response).toMatchObject({ answers: [{ status: 202, body: { accepted: true } }] });
  });

  it('counts a status outside the expected ones as a failure', async () => {
    answer = 200;
    const { run } = await request({ host: 'h', incident: 'x', note: 'n' });
    await t.s.jobs.runDue(clock.t);
    const now = await get(run.id);
    expect(now.state).toBe('failed');
    expect(now.error).toMatch(/HTTP 200/);
    answer = 202;
  });

  it('treats a garbage answer as a failed attempt: retried, then failed with the reason', async () => {
    const made = await t.as(admin, {
      method: 'POST',
      url: '/api/v1/connectors',
      payload: { name: 'fw-garbage', kind: 'firewall', config: { baseUrl: base, maxAttempts: 2 } },
    });
    expect(made.statusCode, made.body).toBe(201);
    garbage = true;
    const { run } = await t.s.store.transaction((tx) =>
      t.s.actions.request(tx, {
        connector: 'fw-garbage',
        action: 'block_ip',
        parameters: { ip: '192.0.2.9' },
        approval: 'none',
        key: 'garbage-1',
        requestedBy: null,
      }),
    );
    expect(run.incidentKey).toBeNull();
    await t.s.jobs.runDue(clock.t);
    expect((await get(run.id)).state).toBe('queued');
    clock.t += 3600_000;
    await t.s.jobs.runDue(clock.t);
    const now = await get(run.id);
    expect(now.state).toBe('failed');
    expect(now.error).toMatch(/garbage answer \(HTTP 200, not a JSON object\) \(attempt 2 of 2\)/);
    expect(now.response).toMatchObject({ answers: [{ status: 200, body: '<html>maintenance</html>' }] });
    garbage = false;
  });

  it('lets any allowed person approve a two-person run the system asked for; re-delivery does nothing twice', async () => {
    const { run, created } = await request({ host: 'h2', incident: 'x', note: 'n' }, 'two_person', 'plan:step:1');
    expect(created).toBe(true);
    expect((await request({ host: 'h2', incident: 'x', note: 'n' }, 'two_person', 'plan:step:1')).created).toBe(false);
    const ok = await t.as(responder, { method: 'POST', url: `/api/v1/actions/${run.id}/approve` });
    expect(ok.statusCode, ok.body).toBe(200);
    const before = received.length;
    await t.s.jobs.runDue(clock.t);
    expect((await get(run.id)).state).toBe('succeeded');
    // The job delivered again (a process died after the far side answered): nothing is sent again.
    await t.s.store.transaction((tx) =>
      t.s.jobs.enqueue(tx, { kind: 'action.run', payload: { runId: run.id }, key: `${run.id}:again` }),
    );
    await t.s.jobs.runDue(clock.t);
    expect(received.length).toBe(before + 1);
    expect((await get(run.id)).attempts).toBe(1);
  });
});
