/**
 * The at-scale mode's processes on one PostgreSQL store (TOCSIN_NATS_URL set, so no one-process guard):
 * two workers and a web process start side by side; each run-once scheduler runs on exactly one
 * worker, and moves to the other when that one stops. Needs PostgreSQL and NATS (own prefix, its
 * streams and buckets deleted afterwards).
 */
import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { serve, type Running } from '../../src/server/serve.js';
import { dropNatsPrefix, NATS_URL } from '../helpers/nats.js';
import { PG_URL, testConfig } from '../helpers/store.js';

const SCHEDULERS = ['probes', 'metric-scrapes', 'metric-retention', 'job-retention'];

async function until(check: () => Promise<boolean>, what: string, ms = 30_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe.skipIf(!PG_URL || !NATS_URL)('processes sharing a store with NATS (postgres)', { timeout: 90_000 }, () => {
  const running: Running[] = [];
  let cleanup: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const r of running.splice(0)) await r.stop();
    for (const c of cleanup) await c();
    cleanup = [];
  });

  it('starts two workers and a web process on one store; each scheduler runs on one worker and moves when it stops', async () => {
    const prefix = `t${randomBytes(4).toString('hex')}`;
    const t = testConfig('postgres', {
      TOCSIN_HOST: '127.0.0.1',
      TOCSIN_NATS_URL: NATS_URL!,
      TOCSIN_NATS_PREFIX: prefix,
    });
    cleanup.push(t.drop, () => dropNatsPrefix(prefix));
    const as = (role: 'web' | 'worker') => ({ ...t.config, cluster: { ...t.config.cluster, role } });
    const a = await serve(as('worker'), () => {});
    running.push(a);
    const b = await serve(as('worker'), () => {});
    running.push(b);
    const web = await serve(as('web'), () => {});
    running.push(web);
    expect((await fetch(`${web.url}/readyz`)).status).toBe(200);

    // Read through the web process, which holds none of them.
    const holders = async () =>
      Promise.all(SCHEDULERS.map(async (n) => (await web.services.leases.current(`scheduler:${n}`))?.holder));
    await until(async () => (await holders()).every(Boolean), 'every scheduler to be taken');
    const workers = new Map([
      [a.services.leases.holder, a],
      [b.services.leases.holder, b],
    ]);
    for (const h of await holders()) expect(workers.has(h!)).toBe(true);
    // Each scheduler runs on exactly one worker.
    for (const name of SCHEDULERS) expect([a, b].filter((w) => w.worker!.schedulers.get(name)!.held())).toHaveLength(1);

    // The worker holding the probe scheduler stops: the other one takes it over.
    const first = workers.get((await holders())[0]!)!;
    const other = first === a ? b : a;
    running.splice(running.indexOf(first), 1);
    await first.stop();
    await until(
      async () => (await holders()).every((h) => h === other.services.leases.holder),
      'the other worker to take every scheduler',
    );
    for (const name of SCHEDULERS) expect(other.worker!.schedulers.get(name)!.held()).toBe(true);
  });
});
