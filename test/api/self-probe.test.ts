/**
 * Probes and loopback, as a new user meets them: loopback targets are refused unless configured (at
 * create with 422, and at run time when DNS changes), a refused check is `refused` (never "down", never an
 * alert), `self` targets check this Tocsin wherever it listens, and the demo's probes (self targets) stay
 * up when the server starts on another port than the demo knew: no false incident. Time is a test
 * clock; checks run through `probes.runDue(now)`, as the scheduler would.
 */
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { wire } from '../../src/server/compose.js';
import { loadDemo, settableClock } from '../../src/server/cli/demo.js';
import { createProbeService } from '../../src/server/modules/probe/index.js';
import { createOutboundGuard, type OutboundGuard } from '../../src/server/platform/outbound-guard.js';
import { createTestApp, type Session, type TestApp } from '../helpers/app.js';
import { buildPrincipal, buildService } from '../helpers/fixtures.js';
import { expectProblem } from '../helpers/problem.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { countRows } from '../helpers/store.js';

const testClock = (t = Date.now()) => ({
  t,
  now() {
    return this.t;
  },
});

describe('loopback targets', () => {
  let t: TestApp;
  let admin: Session;
  beforeAll(async () => {
    t = await createTestApp('sqlite');
    admin = await t.login('admin');
    await buildService(t.s);
  });
  afterAll(() => t.close());
  const create = (app: TestApp, s: Session, kind: string, target: string) =>
    app.as(s, {
      method: 'POST',
      url: '/api/v1/services/online-trading/probes',
      payload: { name: 'Local', kind, target },
    });

  it('are refused at create with 422 naming the target, the reason and the ways to allow one', async () => {
    for (const [kind, target] of [
      ['http', 'http://127.0.0.1:8080/api/v1/health'],
      ['http', 'http://localhost:8080/'],
      ['http', 'http://[::1]:8080/'],
      ['http', 'http://[::ffff:127.0.0.1]/'],
      ['http', 'http://127.1/'],
      ['tcp', '127.0.0.1:22'],
      ['tcp', 'localhost:5432'],
    ] as const) {
      const p = expectProblem(await create(t, admin, kind, target), 422);
      expect(
        p.errors?.map((e) => e.path),
        target,
      ).toEqual(['target']);
      expect(p.detail, target).toMatch(/is a loopback address: .*self:\/path .*TOCSIN_PROBE_ALLOW_LOOPBACK=true/);
    }
  });

  it('are allowed with TOCSIN_PROBE_ALLOW_LOOPBACK=true or a loopback range in TOCSIN_PROBE_ALLOW_CIDRS', async () => {
    for (const env of [
      { TOCSIN_PROBE_ALLOW_LOOPBACK: 'true' },
      { TOCSIN_PROBE_ALLOW_CIDRS: '127.0.0.0/8,10.0.0.0/8' },
    ] as Record<string, string>[]) {
      const other = await createTestApp('sqlite', env);
      try {
        const a = await other.login('admin');
        await buildService(other.s);
        const res = await create(other, a, 'tcp', '127.0.0.1:22');
        expect(res.statusCode, `${JSON.stringify(env)}: ${res.body}`).toBe(201);
      } finally {
        await other.close();
      }
    }
  });

  it('self targets are accepted in their two forms and a wrong form is a 422 naming the right one', async () => {
    expect((await create(t, admin, 'http', 'self:/api/v1/health')).statusCode).toBe(201);
    expect((await create(t, admin, 'tcp', 'self')).statusCode).toBe(201);
    expect(expectProblem(await create(t, admin, 'http', 'self'), 422).detail).toMatch(
      /self:\/path, e\.g\. self:\/api\/v1\/health/,
    );
    expect(expectProblem(await create(t, admin, 'http', 'self://evil.example/'), 422).detail).toMatch(/self:\/path/);
    expect(expectProblem(await create(t, admin, 'tcp', 'self:/x'), 422).detail).toMatch(
      /TCP self probe is written "self"/,
    );
  });
});

describe('a check the guard refuses', () => {
  let t: TestApp;
  const clock = testClock();
  /** The guard as configured now: the test switches TOCSIN_PROBE_ALLOW_LOOPBACK off and DNS answers. */
  const dns: Record<string, string> = { 'gw.trading.internal': '127.0.0.1' };
  let allowLoopback = true;
  const guards = () =>
    createOutboundGuard({ allowLoopback, resolver: async (h) => [{ address: dns[h] ?? '10.0.0.9', family: 4 }] });
  const guard: OutboundGuard = {
    parse: (k, target) => guards().parse(k, target),
    refusal: (a) => guards().refusal(a),
    resolve: (h) => guards().resolve(h),
  };
  let probes: ReturnType<typeof createProbeService>;
  let closedPort = 0;

  beforeAll(async () => {
    t = await createTestApp('sqlite', {}, { clock });
    probes = createProbeService({
      store: t.s.store,
      audit: t.s.audit,
      bus: t.s.bus,
      clock,
      config: t.s.config.probes,
      raise: (m) => t.s.alerts.raise(m),
      guard,
    });
    await buildService(t.s);
    closedPort = await new Promise<number>((resolve) => {
      const s = net.createServer().listen(0, '127.0.0.1', () => {
        const port = (s.address() as AddressInfo).port;
        s.close(() => resolve(port));
      });
    });
  });
  afterAll(async () => {
    await probes.stop();
    await t.close();
  });

  const admin = () => buildPrincipal(t.s);
  const probeAlerts = async (id: string) =>
    (await t.s.store.db.selectFrom('alerts').select('id').where('rule_id', '=', `probe:${id}`).execute()).length;
  const incidents = () => countRows(t.s.store, 'incidents');
  const tick = (s: number) => {
    clock.t += s * 1000;
    return probes.runDue(clock.t);
  };

  it('is "refused" with the reason, makes the probe unknown instead of down, and raises no alert or incident', async () => {
    const p = await admin();
    // A real outage first (nothing listens), while loopback was allowed: down, one alert.
    const down = await probes.create(p, 'online-trading', {
      name: 'Gateway',
      kind: 'tcp',
      target: `127.0.0.1:${closedPort}`,
      intervalS: 10,
      timeoutMs: 1000,
      expect: {},
      failuresToDown: 2,
      successesToUp: 2,
      enabled: true,
    });
    await tick(0);
    await tick(11);
    expect((await probes.health(p, 'online-trading')).state).toBe('down');
    expect(await probeAlerts(down.id)).toBe(1);
    const incidentsBefore = await incidents();

    // The administrator turns loopback off: the probe is no longer checked; that is not an outage.
    allowLoopback = false;
    for (let i = 0; i < 4; i++) await tick(11);
    const h = await probes.health(p, 'online-trading');
    const probe = h.probes.find((x) => x.id === down.id)!;
    expect(probe.state).toBe('unknown');
    expect(probe.lastResult).toMatchObject({
      outcome: 'refused',
      error: expect.stringMatching(/^refused by the outbound guard: 127\.0\.0\.1 is a loopback address/),
    });
    expect(h.state).toBe('unknown');
    expect(h.changes[0]).toMatchObject({ from: 'down', to: 'unknown' });
    expect(probe.uptime24h).toBe(0); // refused checks are not counted as checks
    expect(await probeAlerts(down.id)).toBe(1);
    expect(await incidents()).toBe(incidentsBefore);
  });

  it('a name that resolved elsewhere when saved and to loopback now is refused at run time, never down', async () => {
    const p = await admin();
    dns['gw.trading.internal'] = '10.1.2.3';
    const probe = await probes.create(p, 'online-trading', {
      name: 'Renamed',
      kind: 'tcp',
      target: 'gw.trading.internal:7000',
      intervalS: 10,
      timeoutMs: 1000,
      expect: {},
      failuresToDown: 1,
      successesToUp: 1,
      enabled: true,
    });
    dns['gw.trading.internal'] = '127.0.0.1';
    for (let i = 0; i < 3; i++) await tick(11);
    const now = (await probes.list(p, 'online-trading')).items.find((x) => x.id === probe.id)!;
    expect(now).toMatchObject({
      state: 'unknown',
      lastResult: {
        outcome: 'refused',
        error: expect.stringMatching(/gw\.trading\.internal resolves to 127\.0\.0\.1 is a loopback address/),
      },
    });
    expect(await probeAlerts(probe.id)).toBe(0);
  });
});

describe('self probes and the demo on another port', () => {
  let server: TestServer;
  const clock = testClock();

  beforeAll(async () => {
    // The server gets a random port; the demo below is loaded as `npm run demo` would on the default 8080.
    server = await startTestServer({ serve: { clock, probeScheduler: false } });
    const { store, bus } = server.running.services;
    const demoClock = settableClock();
    const { loadConfig } = await import('../../src/server/platform/config.js');
    const atDefaultPort = {
      ...loadConfig({ TOCSIN_DATA_DIR: server.running.services.config.dataDir, TOCSIN_LOG_LEVEL: 'silent' }),
    };
    expect(atDefaultPort.port).toBe(8080);
    await loadDemo(wire(store, atDefaultPort, { clock: demoClock, bus }), demoClock);
  }, 60_000);
  afterAll(() => server?.stop());

  it('the demo writes self probes; on a random port they come up and no alert or incident is raised', async () => {
    const s = server.running.services;
    expect(new URL(server.url).port).not.toBe('8080');
    const rows = await s.store.db.selectFrom('probes').select(['kind', 'target']).orderBy('kind').execute();
    expect(rows).toEqual([
      { kind: 'http', target: 'self:/api/v1/health' },
      { kind: 'tcp', target: 'self' },
    ]);
    const incidentsBefore = await countRows(s.store, 'incidents');
    // Five 30-second intervals (plus the most jitter, 3 s): well past failuresToDown (3) had they failed.
    for (let i = 0; i < 5; i++) {
      clock.t += 34_000;
      await s.probes.runDue(clock.t);
    }
    const states = await s.store.db.selectFrom('probes').select(['target', 'state']).orderBy('kind').execute();
    expect(states).toEqual([
      { target: 'self:/api/v1/health', state: 'up' },
      { target: 'self', state: 'up' },
    ]);
    const results = await s.store.db.selectFrom('probe_results').select(['outcome', 'status_code']).execute();
    expect(results.length).toBe(10);
    expect(new Set(results.map((r) => r.outcome))).toEqual(new Set(['up']));
    expect(results.some((r) => r.status_code === 200)).toBe(true);
    expect(await s.store.db.selectFrom('alerts').select('id').where('rule_id', 'like', 'probe:%').execute()).toEqual(
      [],
    );
    expect(await countRows(s.store, 'incidents')).toBe(incidentsBefore);
  });
});
