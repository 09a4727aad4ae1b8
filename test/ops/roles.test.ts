/**
 * Roles and the one-process guard through serve() on a real listener: without NATS a second server on
 * the same store is refused naming the holder (a dead holder on this host is taken over at once); a web
 * process serves the API but runs no job loop or scheduler; a worker serves only /healthz, /readyz and
 * /metrics, runs the jobs and holds the schedulers' leases.
 */
import os from 'node:os';
import { afterEach, describe, expect, it } from 'vitest';
import { serve, type Running, type ServeOptions } from '../../src/server/serve.js';
import type { Config } from '../../src/server/platform/config.js';
import { parseExposition, sampleValue } from '../helpers/prometheus.js';
import { testConfig } from '../helpers/store.js';

/** Polls `check` until it holds, or fails after `ms` (a condition, not a sleep). */
async function until(check: () => Promise<boolean>, what: string, ms = 20_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('process roles and the one-process guard (sqlite)', () => {
  const running: Running[] = [];
  const drops: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const r of running.splice(0)) await r.stop();
    for (const d of drops.splice(0)) await d();
  });

  const fresh = (env: Record<string, string> = {}) => {
    const t = testConfig('sqlite', { TOCSIN_HOST: '127.0.0.1', ...env });
    drops.push(t.drop);
    return t.config;
  };
  const start = async (config: Config, opts: ServeOptions = {}) => {
    const r = await serve(config, () => {}, opts);
    running.push(r);
    return r;
  };
  const withRole = (config: Config, role: 'all' | 'web' | 'worker'): Config => ({
    ...config,
    cluster: { ...config.cluster, role },
  });
  const stop = async (r: Running) => {
    running.splice(running.indexOf(r), 1);
    await r.stop();
  };

  it('refuses a second server on the same store, naming the holder, and lets one start once the first has stopped', async () => {
    const config = fresh();
    const first = await start(config);
    await expect(serve(config, () => {})).rejects.toThrow(
      new RegExp(
        `^another Tocsin server runs on this store: ${os.hostname().replace(/[.]/g, '\\.')} pid ${process.pid} since \\d{4}-\\d\\d-\\d\\dT.*; stop it, or set TOCSIN_NATS_URL to run several processes$`,
      ),
    );
    // The refused one changed nothing: the first still answers and holds the store.
    expect((await fetch(`${first.url}/readyz`)).status).toBe(200);
    await stop(first);
    const second = await start(config);
    expect((await fetch(`${second.url}/healthz`)).status).toBe(200);
  });

  it('takes the store over at once from a server that died on this host, but not from one alive elsewhere', async () => {
    const config = fresh();
    const { compose } = await import('../../src/server/compose.js');
    const s = await compose(config);
    const deadHere = s.leases;
    // A holder on this host whose pid is gone, its lease still running for an hour.
    await s.store.db
      .insertInto('leases')
      .values({
        name: 'process:singleton',
        holder: `${os.hostname()}:999999999:deadbeef`,
        until_ms: Date.now() + 3_600_000,
        acquired_at_ms: Date.now() - 60_000,
      })
      .execute();
    const r = await start(config);
    expect((await deadHere.current('process:singleton'))?.pid).toBe(process.pid);
    await stop(r);

    await s.store.db
      .insertInto('leases')
      .values({
        name: 'process:singleton',
        holder: 'tocsin-b.example:4242:cafe0001',
        until_ms: Date.now() + 3_600_000,
        acquired_at_ms: Date.UTC(2026, 11, 3, 8, 0),
      })
      .execute();
    await expect(serve(config, () => {})).rejects.toThrow(
      /another Tocsin server runs on this store: tocsin-b\.example pid 4242 since 2026-12-03T08:00:00\.000Z/,
    );
    await s.close();
  });

  it('runs no job loop and no scheduler in a web process, and both in a worker, which serves no API', async () => {
    const config = fresh();
    const prepare: ServeOptions['prepare'] = (s) => s.jobs.register('test.note', async () => {});
    const web = await start(withRole(config, 'web'), { prepare });
    expect(web.worker).toBeNull();
    const jobId = await web.services.store.transaction((tx) =>
      web.services.jobs.enqueue(tx, { kind: 'test.note', payload: {} }),
    );
    // The API answers (a sign-in is asked for), readiness has no worker part, no scheduler lease is taken.
    expect((await fetch(`${web.url}/api/v1/incidents`)).status).toBe(401);
    const ready = await (await fetch(`${web.url}/readyz`)).json();
    expect(Object.keys(ready.checks).sort()).toEqual(['http', 'shutdown', 'store']);
    for (const name of ['probes', 'metric-scrapes', 'metric-retention', 'job-retention'])
      expect(await web.services.leases.current(`scheduler:${name}`)).toBeUndefined();
    expect((await web.services.jobs.job(jobId!))?.state).toBe('queued');
    await stop(web);

    const worker = await start(withRole(config, 'worker'), { prepare });
    const holder = worker.services.leases.holder;
    // Its port is for operators only.
    const api = await fetch(`${worker.url}/api/v1/incidents`);
    expect(api.status).toBe(404);
    expect(api.headers.get('content-type')).toContain('application/problem+json');
    expect((await api.json()).code).toBe('not_found');
    expect((await fetch(`${worker.url}/`)).status).toBe(404);
    // The API's health answers there too: self probes run where the probe scheduler runs.
    expect(await (await fetch(`${worker.url}/api/v1/health`)).json()).toEqual({ status: 'ok' });
    const readyWorker = await fetch(`${worker.url}/readyz`);
    expect(readyWorker.status).toBe(200);
    expect((await readyWorker.json()).checks.worker).toEqual({ ok: true });
    // /metrics is open on a worker's port when no metrics token is set.
    const metrics = await fetch(`${worker.url}/metrics`);
    expect(metrics.status).toBe(200);
    expect(sampleValue(parseExposition(await metrics.text()), 'tocsin_role_info', { role: 'worker' })).toBe(1);
    // It runs the job the web process left, and holds every scheduler's lease.
    await until(async () => (await worker.services.jobs.job(jobId!))?.state === 'done', 'the job to run on the worker');
    await until(async () => {
      for (const name of ['probes', 'metric-scrapes', 'metric-retention', 'job-retention'])
        if ((await worker.services.leases.current(`scheduler:${name}`))?.holder !== holder) return false;
      return true;
    }, 'the worker to hold the schedulers');
    expect([...worker.worker!.schedulers.values()].every((s) => s.held())).toBe(true);

    // A graceful stop gives the leases up, so another worker takes them at once.
    await stop(worker);
    const { compose } = await import('../../src/server/compose.js');
    const s = await compose(config);
    expect(await s.leases.current('scheduler:probes')).toBeUndefined();
    expect(await s.leases.current('process:singleton')).toBeUndefined();
    await s.close();
  });
});
