/**
 * Probes over HTTP against real local servers (node:http and a TCP listener), with a fake clock driving
 * `runDue(now)`: up, status mismatch, body condition, slow -> degraded, refused -> down after
 * failuresToDown (an alert is raised), recovery after successesToUp (recorded, no alert), the outbound
 * guard, access, audit, the stream.
 */
import http from 'node:http';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type Session, type TestApp } from '../../../../test/helpers/app.js';
import { errorPaths, expectProblem } from '../../../../test/helpers/problem.js';
import { openSse } from '../../../../test/helpers/sse.js';
import { STORE_KINDS } from '../../../../test/helpers/store.js';
import type { ProbeHealth } from '../../../shared/probe-schemas.js';

/** A web server whose answer the test sets. */
function webServer() {
  const behaviour = { status: 200, body: 'OK trading open', delayMs: 0 };
  let hits = 0;
  const server = http.createServer((_req, res) => {
    hits += 1;
    setTimeout(
      () => res.writeHead(behaviour.status, { 'content-type': 'text/plain' }).end(behaviour.body),
      behaviour.delayMs,
    );
  });
  return {
    behaviour,
    hits: () => hits,
    start: () =>
      new Promise<string>((resolve) =>
        server.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`)),
      ),
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A TCP listener that can be stopped and started again on the same port. */
function tcpServer() {
  let server: net.Server | null = null;
  let port = 0;
  return {
    get port() {
      return port;
    },
    start: () =>
      new Promise<void>((resolve) => {
        server = net.createServer((s) => s.end());
        server.listen(port, '127.0.0.1', () => {
          port = (server!.address() as AddressInfo).port;
          resolve();
        });
      }),
    stop: () => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())),
  };
}

describe.each(STORE_KINDS)('probes over HTTP (%s)', (kind) => {
  let t: TestApp;
  let admin: Session;
  let commander: Session;
  let responder: Session;
  const clock = {
    t: Date.now(),
    now() {
      return this.t;
    },
  };
  const web = webServer();
  const tcp = tcpServer();
  let base = '';
  const key = 'online-trading';

  const tick = async (seconds: number) => {
    clock.t += seconds * 1000;
    return t.s.probes.runDue(clock.t);
  };
  const health = async () => (await t.as(responder, { method: 'GET', url: `/api/v1/services/${key}/health` })).json();
  const probeIn = (h: { probes: ProbeHealth[] }, id: string) => h.probes.find((p) => p.id === id)!;
  const create = async (body: Record<string, unknown>, as = commander) =>
    t.as(as, { method: 'POST', url: `/api/v1/services/${key}/probes`, payload: body });

  beforeAll(async () => {
    base = await web.start();
    await tcp.start();
    // The test's services listen on loopback, which probes may reach only when allowed.
    t = await createTestApp(kind, { TOCSIN_PROBE_ALLOW_LOOPBACK: 'true' }, { clock });
    admin = await t.login('admin');
    commander = await t.login('incident_commander');
    responder = await t.login('responder');
    const svc = await t.as(admin, {
      method: 'POST',
      url: '/api/v1/services',
      payload: { key, nameZh: '网上交易', nameEn: 'Online trading' },
    });
    expect(svc.statusCode, svc.body).toBe(201);
  });
  afterAll(async () => {
    await t?.s.probes.stop();
    await t?.close();
    await web.stop();
    await tcp.stop();
  });

  it('a new service with no probes has unknown health', async () => {
    const h = await health();
    expect(h).toMatchObject({ serviceKey: key, nameEn: 'Online trading', state: 'unknown', probes: [] });
    const all = await t.as(responder, { method: 'GET', url: '/api/v1/health/services' });
    expect(all.json().items.map((s: { serviceKey: string; state: string }) => [s.serviceKey, s.state])).toEqual([
      [key, 'unknown'],
    ]);
  });

  it('an HTTP probe that answers 200 with the expected body makes the service up, with latency and uptime', async () => {
    const res = await create({
      name: 'Login page',
      kind: 'http',
      target: `${base}/login`,
      intervalS: 10,
      timeoutMs: 2000,
      expect: { status: [[200, 299]], bodyContains: 'trading open' },
    });
    expect(res.statusCode, res.body).toBe(201);
    const probe = res.json();
    expect(probe).toMatchObject({
      name: 'Login page',
      state: 'unknown',
      failuresToDown: 3,
      successesToUp: 2,
      enabled: true,
      lastResult: null,
    });
    expect(await tick(0)).toBe(1);
    const h = await health();
    expect(h.state).toBe('up');
    const p = probeIn(h, probe.id);
    expect(p).toMatchObject({ state: 'up', lastResult: { outcome: 'up', status: 200, error: null } });
    expect(p.latency?.samples).toBe(1);
    expect(p.latency!.p95).toBeGreaterThanOrEqual(p.latency!.p50);
    expect(p.uptime24h).toBe(100);
    // not due again before its interval
    expect(await tick(5)).toBe(0);
  });

  it('a status mismatch counts as a failure and turns the probe down only after failuresToDown', async () => {
    const id = (await health()).probes[0].id;
    web.behaviour.status = 503;
    await tick(12);
    let p = probeIn(await health(), id);
    expect(p).toMatchObject({
      state: 'up',
      lastResult: { outcome: 'down', status: 503, error: 'status 503, expected 200–299' },
    });
    await tick(12);
    expect(probeIn(await health(), id).state).toBe('up');
    await tick(12);
    const h = await health();
    p = probeIn(h, id);
    expect(p.state).toBe('down');
    expect(h.state).toBe('down');
    expect(p.uptime24h).toBe(25);
    // recovery needs successesToUp (2) good answers
    web.behaviour.status = 200;
    await tick(12);
    expect(probeIn(await health(), id).state).toBe('down');
    await tick(12);
    expect((await health()).state).toBe('up');
  });

  it('a body that lacks the expected text fails, and run-now answers the result', async () => {
    const id = (await health()).probes[0].id;
    web.behaviour.body = 'Down for maintenance';
    const run = await t.as(commander, { method: 'POST', url: `/api/v1/probes/${id}/run` });
    expect(run.statusCode, run.body).toBe(200);
    expect(run.json().result).toMatchObject({
      outcome: 'down',
      status: 200,
      error: 'body does not contain "trading open"',
    });
    expect(run.json().probe.state).toBe('up'); // one failure is not an outage
    web.behaviour.body = 'OK trading open';
  });

  it('a body regex is applied, and a catastrophic one is refused', async () => {
    const bad = await create({ name: 'Regex', kind: 'http', target: base, expect: { bodyRegex: '(a+)+$' } });
    expect(errorPaths(bad)).toContain('expect.bodyRegex');
    expectProblem(bad, 422);
    const ok = await create({
      name: 'Version',
      kind: 'http',
      target: base,
      intervalS: 30,
      timeoutMs: 2000,
      expect: { bodyRegex: '^OK\\s+trading' },
    });
    expect(ok.statusCode, ok.body).toBe(201);
    const run = await t.as(commander, { method: 'POST', url: `/api/v1/probes/${ok.json().id}/run` });
    expect(run.json().result).toMatchObject({ outcome: 'up', error: null });
    await t.as(commander, { method: 'DELETE', url: `/api/v1/probes/${ok.json().id}` });
  });

  it('a success slower than maxLatencyMs is degraded, and so is the service', async () => {
    const res = await create({
      name: 'Quotes API',
      kind: 'http',
      target: `${base}/quotes`,
      intervalS: 10,
      timeoutMs: 3000,
      expect: { maxLatencyMs: 50 },
    });
    const id = res.json().id;
    web.behaviour.delayMs = 150;
    const run = await t.as(commander, { method: 'POST', url: `/api/v1/probes/${id}/run` });
    web.behaviour.delayMs = 0;
    expect(run.json().result.outcome).toBe('degraded');
    expect(run.json().result.error).toMatch(/^latency \d+ ms over 50 ms$/);
    expect(run.json().probe.state).toBe('degraded');
    expect((await health()).state).toBe('degraded');
    // disabled: it no longer counts for the service's health
    const off = await t.as(commander, { method: 'PATCH', url: `/api/v1/probes/${id}`, payload: { enabled: false } });
    expect(off.json()).toMatchObject({ enabled: false, state: 'unknown' });
    expect((await health()).state).toBe('up');
  });

  it('never runs the same probe twice at once: two run-now calls share one check', async () => {
    const id = (await health()).probes[0].id;
    web.behaviour.delayMs = 200;
    const before = web.hits();
    const [a, b] = await Promise.all(
      [0, 1].map(() => t.as(commander, { method: 'POST', url: `/api/v1/probes/${id}/run` })),
    );
    web.behaviour.delayMs = 0;
    expect(web.hits() - before).toBe(1);
    expect(a!.json().result).toEqual(b!.json().result);
  });

  it('a TCP probe: connection refused turns it down after failuresToDown and raises an alert naming the service', async () => {
    const res = await create({
      name: 'Order gateway',
      kind: 'tcp',
      target: `127.0.0.1:${tcp.port}`,
      intervalS: 5,
      timeoutMs: 1000,
      failuresToDown: 2,
      successesToUp: 2,
    });
    expect(res.statusCode, res.body).toBe(201);
    const id = res.json().id;
    await tick(6);
    expect(probeIn(await health(), id)).toMatchObject({ state: 'up', lastResult: { outcome: 'up', status: null } });
    const sse = await openSseOnApp();
    await tcp.stop();
    await tick(6);
    expect(probeIn(await health(), id)).toMatchObject({
      state: 'up',
      lastResult: { outcome: 'down', error: 'connection refused' },
    });
    expect(
      (await t.as(responder, { method: 'GET', url: '/api/v1/alerts' }))
        .json()
        .items.filter((a: { ruleId: string }) => a.ruleId === `probe:${id}`),
    ).toEqual([]);
    await tick(6);
    const h = await health();
    expect(h.state).toBe('down');
    expect(probeIn(h, id).state).toBe('down');
    const pushed = await sse.next(
      (m) => m.event === 'service.health' && (m.data as { health: { state: string } }).health.state === 'down',
    );
    expect(pushed.data).toMatchObject({
      incidentKey: null,
      health: { serviceKey: key, state: 'down', previous: 'up' },
    });
    sse.close();
    const alerts = (await t.as(responder, { method: 'GET', url: '/api/v1/alerts' }))
      .json()
      .items.filter((a: { ruleId: string }) => a.ruleId === `probe:${id}`);
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({
      level: 'high',
      kind: 'anomaly',
      services: [key],
      status: 'open',
      suggested: { category: 'equipment_failure' },
    });
    expect(alerts[0].ruleTitles).toEqual({
      'zh-CN': '拨测失败：网上交易 · Order gateway',
      en: 'Probe down: Online trading · Order gateway',
    });
    expect(alerts[0].ruleTitle).toBe('Probe down: Online trading · Order gateway');
    expect(alerts[0].incident?.key).toMatch(/^INC-/);
    const detail = (await t.as(responder, { method: 'GET', url: `/api/v1/alerts/${alerts[0].id}` })).json();
    expect(detail.events[0].fields).toMatchObject({
      'tocsin.service': key,
      error: 'connection refused',
      consecutive_failures: 2,
    });
    // staying down does not raise again
    await tick(6);
    expect(
      (await t.as(responder, { method: 'GET', url: '/api/v1/alerts' }))
        .json()
        .items.filter((a: { ruleId: string }) => a.ruleId === `probe:${id}`),
    ).toHaveLength(1);

    // recovery: after successesToUp checks, recorded in the health history, no new alert
    await tcp.start();
    await tick(6);
    expect(probeIn(await health(), id).state).toBe('down');
    await tick(6);
    const after = await health();
    expect(after.state).toBe('up');
    expect(after.changes.slice(0, 2)).toMatchObject([
      { probeId: null, from: 'down', to: 'up' },
      { probeId: id, from: 'down', to: 'up' },
    ]);
    expect(
      after.changes.some(
        (c: { probeId: string | null; to: string; reason: string }) =>
          c.probeId === id && c.to === 'down' && c.reason === 'connection refused',
      ),
    ).toBe(true);
    const list = (await t.as(responder, { method: 'GET', url: '/api/v1/alerts' }))
      .json()
      .items.filter((a: { ruleId: string }) => a.ruleId === `probe:${id}`);
    expect(list).toHaveLength(1);
    expect(list[0].count).toBe(1);
  });

  it('refuses cloud-metadata, link-local and unspecified targets and other schemes with 422', async () => {
    for (const [k, target] of [
      ['http', 'http://169.254.169.254/latest/meta-data/'],
      ['http', 'http://[fe80::1]/'],
      ['http', 'http://0.0.0.0:8080/'],
      ['http', 'http://[::ffff:169.254.169.254]/'],
      ['tcp', '[::]:22'],
      ['http', 'ftp://127.0.0.1/file'],
      ['http', 'file:///etc/passwd'],
      ['tcp', 'no-port-here'],
    ] as const) {
      const res = await create({ name: 'Sneaky', kind: k, target });
      const problem = expectProblem(res, 422);
      expect(
        problem.errors?.map((e) => e.path),
        target,
      ).toEqual(['target']);
    }
    const res = await create({ name: 'Metadata', kind: 'http', target: 'http://169.254.169.254/latest/meta-data/' });
    expect(res.json().detail).toMatch(/169\.254\.169\.254 is in a refused range/);
    // body conditions do not apply to TCP; a timeout must fit in the interval
    expectProblem(await create({ name: 'x', kind: 'tcp', target: '127.0.0.1:1', expect: { bodyContains: 'x' } }), 422);
    expectProblem(await create({ name: 'x', kind: 'tcp', target: '127.0.0.1:1', intervalS: 5, timeoutMs: 5000 }), 422);
    expectProblem(await create({ name: 'x', kind: 'tcp', target: '127.0.0.1:1', intervalS: 2 }), 400);
    // Without a timeout, a short interval gets half of it (the 5 s default would not fit).
    const quick = await create({ name: 'quick', kind: 'tcp', target: '127.0.0.1:1', intervalS: 5 });
    expect(quick.statusCode, quick.body).toBe(201);
    expect(quick.json()).toMatchObject({ intervalS: 5, timeoutMs: 2500 });
    expect((await t.as(admin, { method: 'DELETE', url: `/api/v1/probes/${quick.json().id}` })).statusCode).toBe(204);
  });

  it('lets admins and incident commanders manage probes; others read; no session is 401', async () => {
    const responderCreate = await create({ name: 'Nope', kind: 'tcp', target: '127.0.0.1:1' }, responder);
    expectProblem(responderCreate, 403);
    expectProblem(
      await t.as(null, {
        method: 'POST',
        url: `/api/v1/services/${key}/probes`,
        payload: { name: 'Nope', kind: 'tcp', target: '127.0.0.1:1' },
      }),
      401,
    );
    expectProblem(await t.as(null, { method: 'GET', url: '/api/v1/health/services' }), 401);
    const list = await t.as(responder, { method: 'GET', url: `/api/v1/services/${key}/probes` });
    expect(list.statusCode).toBe(200);
    expect(list.json().items.map((p: { name: string }) => p.name)).toEqual([
      'Login page',
      'Quotes API',
      'Order gateway',
    ]);
    const id = list.json().items[0].id;
    expectProblem(await t.as(responder, { method: 'POST', url: `/api/v1/probes/${id}/run` }), 403);
    expectProblem(await t.as(responder, { method: 'DELETE', url: `/api/v1/probes/${id}` }), 403);
    expectProblem(await t.as(admin, { method: 'GET', url: '/api/v1/services/no-such-service/probes' }), 404);
    expectProblem(await t.as(admin, { method: 'POST', url: '/api/v1/probes/nope/run' }), 404);
  });

  it('audits every change with before and after, and deleting removes the probe from health', async () => {
    const created = await create({ name: 'Temp', kind: 'tcp', target: `127.0.0.1:${tcp.port}` });
    const id = created.json().id;
    await t.as(admin, { method: 'PATCH', url: `/api/v1/probes/${id}`, payload: { name: 'Temp 2', failuresToDown: 5 } });
    const del = await t.as(admin, { method: 'DELETE', url: `/api/v1/probes/${id}` });
    expect(del.statusCode).toBe(204);
    expect(probeIn(await health(), id)).toBeUndefined();
    const entries = (await t.as(admin, { method: 'GET', url: `/api/v1/audit?targetType=probe&targetId=${id}` })).json()
      .items;
    expect(entries.map((e: { action: string }) => e.action)).toEqual(['probe.delete', 'probe.update', 'probe.create']);
    const update = entries[1];
    expect(update.before).toMatchObject({ name: 'Temp', failuresToDown: 3 });
    expect(update.after).toMatchObject({ name: 'Temp 2', failuresToDown: 5 });
    expect(entries[0].before).toMatchObject({ name: 'Temp 2', kind: 'tcp' });
  });

  it('prunes results older than the retention period in batches', async () => {
    const id = (await health()).probes[0].id;
    const old = clock.t - 8 * 24 * 3600_000;
    for (let i = 0; i < 25; i++)
      await t.s.store.db
        .insertInto('probe_results')
        .values({
          id: `old-${kind}-${i}`,
          probe_id: id,
          at: old + i,
          outcome: 'down',
          latency_ms: 1,
          status_code: null,
          error: 'old',
        })
        .execute();
    expect(await t.s.probes.prune(clock.t, 10)).toBe(25);
    const left = await t.s.store.db
      .selectFrom('probe_results')
      .select('id')
      .where('at', '<', clock.t - 7 * 24 * 3600_000)
      .execute();
    expect(left).toEqual([]);
    expect(probeIn(await health(), id).lastResult).not.toBeNull();
  });

  /** The app on a real socket, and the responder's live stream. */
  async function openSseOnApp() {
    if (!t.app.server.listening) await t.app.listen({ port: 0, host: '127.0.0.1' });
    const port = (t.app.server.address() as AddressInfo).port;
    return openSse(`http://127.0.0.1:${port}/api/v1/stream`, { cookie: responder.cookie });
  }
});
