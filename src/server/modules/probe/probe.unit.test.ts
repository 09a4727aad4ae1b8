/** The outbound guard, hysteresis and health rules, the scheduler on a real timer, and the probe settings in the environment. */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../../test/helpers/app.js';
import { ConfigError, loadConfig } from '../../platform/config.js';
import { runCheck } from './checks.js';
import { createOutboundGuard, GuardRefusal } from '../../platform/outbound-guard.js';
import { nextState, percentile, worst } from './hysteresis.js';
import { startProbeScheduler } from './scheduler.js';

describe('outbound guard', () => {
  it('refuses link-local, metadata and unspecified addresses, allows private ranges', () => {
    const g = createOutboundGuard();
    for (const a of ['169.254.169.254', '169.254.0.1', 'fe80::1', '0.0.0.0', '::', '::ffff:169.254.169.254'])
      expect(g.refusal(a), a).toMatch(/refused range/);
    for (const a of ['10.1.2.3', '192.168.0.10', '172.16.5.5', 'fd00::5', '203.0.113.9'])
      expect(g.refusal(a), a).toBeNull();
  });

  it('refuses loopback in every spelling unless allowed by TOCSIN_PROBE_ALLOW_LOOPBACK or an allow range', () => {
    const g = createOutboundGuard();
    for (const a of ['127.0.0.1', '127.8.9.10', '::1', '::ffff:127.0.0.1', '0:0:0:0:0:0:0:1']) {
      expect(g.refusal(a), a).toMatch(/is a loopback address: .*self:\/path .*TOCSIN_PROBE_ALLOW_LOOPBACK=true/);
    }
    const allowed = createOutboundGuard({ allowLoopback: true });
    for (const a of ['127.0.0.1', '::1', '::ffff:127.0.0.1']) expect(allowed.refusal(a), a).toBeNull();
    expect(allowed.refusal('169.254.169.254')).toMatch(/refused range/);
    const listed = createOutboundGuard({ allowCidrs: ['127.0.0.1/32', '10.0.0.0/8'] });
    expect(listed.refusal('127.0.0.1')).toBeNull();
    expect(listed.refusal('127.0.0.2')).toMatch(/loopback/);
    expect(listed.refusal('::1')).toMatch(/loopback/);
  });

  it('a name that resolves to loopback is refused, at every resolution', async () => {
    const answers: Record<string, string> = { 'trade.internal': '10.0.0.5' };
    const g = createOutboundGuard({ resolver: async (h) => [{ address: answers[h] ?? '127.0.0.1', family: 4 }] });
    await expect(g.resolve('localhost')).rejects.toThrow(/localhost resolves to 127\.0\.0\.1 is a loopback address/);
    expect(await g.resolve('trade.internal')).toEqual({ address: '10.0.0.5', family: 4 });
    answers['trade.internal'] = '127.0.0.1'; // DNS changed after the probe was saved
    await expect(g.resolve('trade.internal')).rejects.toThrow(/loopback/);
  });

  it('adds configured deny ranges and, when given, keeps probes inside the allow ranges', () => {
    const g = createOutboundGuard({ denyCidrs: ['10.9.0.0/16'], allowCidrs: ['10.0.0.0/8', '127.0.0.0/8'] });
    expect(g.refusal('127.0.0.1')).toBeNull(); // an allow range that names loopback allows it
    expect(g.refusal('10.9.1.1')).toMatch(/refused range \(10\.9\.0\.0\/16/);
    expect(g.refusal('10.1.1.1')).toBeNull();
    expect(g.refusal('192.168.1.1')).toMatch(/outside the allowed ranges/);
    expect(g.refusal('169.254.169.254')).toMatch(/refused range/);
  });

  it('judges every address a name resolves to', async () => {
    const g = createOutboundGuard({
      resolver: async () => [
        { address: '10.0.0.5', family: 4 },
        { address: '169.254.169.254', family: 4 },
      ],
    });
    await expect(g.resolve('metadata.internal')).rejects.toThrow(GuardRefusal);
    await expect(g.resolve('metadata.internal')).rejects.toThrow(/metadata\.internal resolves to 169\.254\.169\.254/);
    const ok = createOutboundGuard({ resolver: async () => [{ address: '10.0.0.5', family: 4 }] });
    expect(await ok.resolve('trade.internal')).toEqual({ address: '10.0.0.5', family: 4 });
  });

  it("a check whose name resolves to a refused address is refused (not down) with the guard's reason, and nothing is sent", async () => {
    const g = createOutboundGuard({ resolver: async () => [{ address: '169.254.169.254', family: 4 }] });
    const r = await runCheck({ kind: 'http', target: 'http://rebind.example/', timeoutMs: 1000, expect: {} }, g);
    expect(r).toMatchObject({ outcome: 'refused', status: null });
    expect(r.error).toMatch(/^refused by the outbound guard: rebind\.example resolves to 169\.254\.169\.254/);
  });

  it('a server slower than the timeout is down with "timed out", and a big body is read only up to 64 KiB', async () => {
    const srv = http.createServer((req, res) => {
      // /slow never answers (closed with the server), so only the check's timeout can end it, however busy the machine.
      if (req.url !== '/slow') res.end(`${'x'.repeat(200_000)}NEEDLE`);
    });
    await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(srv.address() as AddressInfo).port}`;
    try {
      const g = createOutboundGuard({ allowLoopback: true });
      const slow = await runCheck({ kind: 'http', target: `${url}/slow`, timeoutMs: 200, expect: {} }, g);
      expect(slow).toMatchObject({ outcome: 'down', status: null, error: 'timed out after 200 ms (HTTP)' });
      expect(slow.latencyMs).toBeGreaterThanOrEqual(190); // a timer never fires early; late is possible on a busy machine
      const big = await runCheck(
        { kind: 'http', target: `${url}/big`, timeoutMs: 2000, expect: { bodyContains: 'NEEDLE' } },
        g,
      );
      expect(big).toMatchObject({ outcome: 'down', status: 200, error: 'body does not contain "NEEDLE"' });
    } finally {
      srv.closeAllConnections();
      srv.close();
    }
  });

  it('parses targets', () => {
    const g = createOutboundGuard();
    expect(g.parse('tcp', 'db.internal:5432')).toEqual({ host: 'db.internal', port: 5432 });
    expect(g.parse('tcp', '[fd00::1]:443')).toEqual({ host: 'fd00::1', port: 443 });
    expect(g.parse('http', 'https://[::1]:8443/x').host).toBe('::1');
    expect(() => g.parse('tcp', 'db:0')).toThrow(/port 1–65535/);
    expect(() => g.parse('http', 'gopher://x')).toThrow(/scheme gopher/);
    expect(() => g.parse('http', 'http://user:pw@x/')).toThrow(/credentials/);
  });
});

describe('hysteresis and health', () => {
  const limits = { failuresToDown: 3, successesToUp: 2 };
  it('goes down after failuresToDown failures in a row and up after successesToUp successes', () => {
    let s = { state: 'up' as const, failStreak: 0, okStreak: 5 } as Parameters<typeof nextState>[0];
    const step = (result: Parameters<typeof nextState>[1]) => {
      s = nextState(s, result, limits);
      return s.state;
    };
    for (const want of ['up', 'up', 'down']) expect(step('down')).toBe(want);
    expect(step('up')).toBe('down');
    expect(step('down')).toBe('down'); // the success streak starts over
    expect(step('up')).toBe('down');
    expect(step('degraded')).toBe('degraded');
    expect(step('up')).toBe('up');
    expect(nextState({ state: 'unknown', failStreak: 0, okStreak: 0 }, 'up', limits).state).toBe('up');
    expect(nextState({ state: 'unknown', failStreak: 0, okStreak: 0 }, 'down', limits).state).toBe('unknown');
  });

  it('a service is as bad as its worst known probe', () => {
    expect(worst([])).toBe('unknown');
    expect(worst(['unknown', 'up'])).toBe('up');
    expect(worst(['up', 'degraded', 'unknown'])).toBe('degraded');
    expect(worst(['degraded', 'down', 'up'])).toBe('down');
    expect(percentile([10, 20, 30, 40], 0.5)).toBe(20);
    expect(
      percentile(
        [...Array(100).keys()].map((i) => i + 1),
        0.95,
      ),
    ).toBe(95);
  });
});

describe('probe settings in the environment', () => {
  it('reads CIDR lists and the retention, and names a bad range', () => {
    const c = loadConfig({
      TOCSIN_PROBE_DENY_CIDRS: '10.9.0.0/16, fd00:9::/32',
      TOCSIN_PROBE_ALLOW_CIDRS: '10.0.0.0/8',
      TOCSIN_PROBE_RETENTION_DAYS: '3',
    });
    expect(c.probes).toEqual({
      denyCidrs: ['10.9.0.0/16', 'fd00:9::/32'],
      allowCidrs: ['10.0.0.0/8'],
      allowLoopback: false,
      retentionMs: 3 * 24 * 3600_000,
    });
    expect(loadConfig({}).probes).toEqual({
      denyCidrs: [],
      allowCidrs: [],
      allowLoopback: false,
      retentionMs: 7 * 24 * 3600_000,
    });
    expect(loadConfig({ TOCSIN_PROBE_ALLOW_LOOPBACK: 'true' }).probes.allowLoopback).toBe(true);
    expect(() => loadConfig({ TOCSIN_PROBE_ALLOW_LOOPBACK: 'yes please' })).toThrow(
      /TOCSIN_PROBE_ALLOW_LOOPBACK: must be true or false/,
    );
    try {
      loadConfig({ TOCSIN_PROBE_DENY_CIDRS: '10.0.0.0/33', TOCSIN_PROBE_ALLOW_CIDRS: 'intranet' });
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(ConfigError);
      expect((err as ConfigError).problems.map((p) => p.split(':')[0])).toEqual([
        'TOCSIN_PROBE_DENY_CIDRS',
        'TOCSIN_PROBE_ALLOW_CIDRS',
      ]);
    }
  });
});

describe('scheduler (real timer)', () => {
  let t: TestApp;
  let hits: string[] = [];
  const server = http.createServer((req, res) => {
    hits.push(req.url ?? '');
    res.end('ok');
  });
  let base = '';
  beforeAll(async () => {
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    t = await createTestApp('sqlite', { TOCSIN_PROBE_ALLOW_LOOPBACK: 'true' });
  });
  afterAll(async () => {
    await t.close();
    server.closeAllConnections();
    server.close();
  });

  it('runs a new probe at once, applies a changed target without a restart, and stops', async () => {
    const admin = await t.login('admin');
    await t.as(admin, {
      method: 'POST',
      url: '/api/v1/services',
      payload: { key: 'market-data', nameZh: '行情', nameEn: 'Market data' },
    });
    const scheduler = startProbeScheduler(t.s.probes, { clock: t.s.clock, tickMs: 50 });
    try {
      const probe = (
        await t.as(admin, {
          method: 'POST',
          url: '/api/v1/services/market-data/probes',
          payload: { name: 'Feed', kind: 'http', target: `${base}/a`, intervalS: 60, timeoutMs: 1000 },
        })
      ).json();
      await expect.poll(() => hits, { timeout: 3000 }).toEqual(['/a']);
      await t.as(admin, { method: 'PATCH', url: `/api/v1/probes/${probe.id}`, payload: { target: `${base}/b` } });
      await expect.poll(() => hits, { timeout: 3000 }).toEqual(['/a', '/b']);
      // Five more ticks of the scheduler: the probe is not run again before its interval.
      const ticked = scheduler.ticks();
      await expect.poll(() => scheduler.ticks(), { timeout: 3000 }).toBeGreaterThanOrEqual(ticked + 5);
      expect(hits).toEqual(['/a', '/b']);
    } finally {
      await scheduler.stop();
    }
    hits = [];
  });
});
