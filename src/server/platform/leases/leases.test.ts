/**
 * Leases on both stores: one holder at a time, renewals, release, the lease moving when renewals stop,
 * and run-once schedulers that follow the lease between two processes' holders (driven by a test clock).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { STORE_KINDS, testConfig } from '../../../../test/helpers/store.js';
import { migrate, openStore, type Store } from '../db/connect.js';
import { createLeases, parseHolder } from './leases.js';
import { createRunOnce } from './run-once.js';

const T0 = Date.UTC(2026, 11, 3, 9, 30);

describe.each(STORE_KINDS)('leases (%s)', (kind) => {
  let store: Store;
  let drop: () => Promise<void>;
  let now = T0;
  const clock = { now: () => now };

  beforeEach(async () => {
    const t = testConfig(kind);
    drop = t.drop;
    store = await openStore(t.config.database);
    await migrate(store);
    now = T0;
  });
  afterEach(async () => {
    await store.close();
    await drop();
  });

  it('gives a free lease to the first asker only, until it ends; its holder renews and releases it', async () => {
    const a = createLeases({ store, clock, holder: 'host-a:101:aaaa' });
    const b = createLeases({ store, clock, holder: 'host-b:202:bbbb' });
    expect(await a.tryAcquire('scheduler:probes', 15_000)).toBe(true);
    expect(await b.tryAcquire('scheduler:probes', 15_000)).toBe(false);
    expect(await b.renew('scheduler:probes', 15_000)).toBe(false);

    now += 10_000;
    expect(await a.renew('scheduler:probes', 15_000)).toBe(true);
    // Asking again while holding it renews it and keeps when it was taken.
    expect(await a.tryAcquire('scheduler:probes', 15_000)).toBe(true);
    expect(await a.current('scheduler:probes')).toMatchObject({
      holder: 'host-a:101:aaaa',
      host: 'host-a',
      pid: 101,
      acquiredAt: T0,
      until: T0 + 25_000,
    });
    now += 10_000; // past the first term, within the renewed one
    expect(await b.tryAcquire('scheduler:probes', 15_000)).toBe(false);

    await b.release('scheduler:probes'); // not b's: nothing changes
    expect((await a.current('scheduler:probes'))?.holder).toBe('host-a:101:aaaa');
    await a.release('scheduler:probes');
    expect(await a.current('scheduler:probes')).toBeUndefined();
    expect(await b.tryAcquire('scheduler:probes', 15_000)).toBe(true);
    expect(await b.current('scheduler:probes')).toMatchObject({ holder: 'host-b:202:bbbb', acquiredAt: now });
  });

  it('moves to another holder once renewals stop and the lease ends, and the old holder cannot renew it back', async () => {
    const a = createLeases({ store, clock, holder: 'host-a:101:aaaa' });
    const b = createLeases({ store, clock, holder: 'host-b:202:bbbb' });
    expect(await a.tryAcquire('scheduler:metric-scrapes', 15_000)).toBe(true);
    now += 14_999;
    expect(await b.tryAcquire('scheduler:metric-scrapes', 15_000)).toBe(false);
    now += 1; // a stopped renewing: its lease ends now
    expect(await b.tryAcquire('scheduler:metric-scrapes', 15_000)).toBe(true);
    expect(await a.renew('scheduler:metric-scrapes', 15_000)).toBe(false);
    expect(await a.tryAcquire('scheduler:metric-scrapes', 15_000)).toBe(false);
    expect(await a.current('scheduler:metric-scrapes')).toMatchObject({ holder: 'host-b:202:bbbb', acquiredAt: now });
  });

  it('lets exactly one of many simultaneous askers take a free lease', async () => {
    const askers = Array.from({ length: 8 }, (_, i) => createLeases({ store, clock, holder: `h:${i + 1}:x${i}` }));
    const got = await Promise.all(askers.map((l) => l.tryAcquire('process:singleton', 15_000)));
    expect(got.filter(Boolean)).toHaveLength(1);
  });

  it('takes a lease from a holder known to be gone at once, but not from one that has already changed', async () => {
    const a = createLeases({ store, clock, holder: 'host-a:101:aaaa' });
    const b = createLeases({ store, clock, holder: 'host-a:102:bbbb' });
    await a.tryAcquire('process:singleton', 15_000);
    expect(await b.takeFrom('process:singleton', 'host-a:999:gone', 15_000)).toBe(false);
    expect(await b.takeFrom('process:singleton', 'host-a:101:aaaa', 15_000)).toBe(true);
    expect((await b.current('process:singleton'))?.holder).toBe('host-a:102:bbbb');
  });

  it('runs a run-once scheduler on one holder at a time, and on the other when the first stops renewing', async () => {
    const log: string[] = [];
    const node = (name: string) => {
      const runOnce = createRunOnce({
        leases: createLeases({ store, clock, holder: `${name}:1:${name}` }),
        clock,
        timers: false,
      });
      return runOnce(
        'probes',
        () => void log.push(`${name} start`),
        () => void log.push(`${name} stop`),
      );
    };
    const a = node('a');
    const b = node('b');
    await a.round();
    await b.round();
    expect([a.held(), b.held()]).toEqual([true, false]);
    // Both go on asking every 5 s: a renews, b is refused.
    for (let i = 0; i < 4; i++) {
      now += 5_000;
      await a.round();
      await b.round();
    }
    expect([a.held(), b.held()]).toEqual([true, false]);
    expect(log).toEqual(['a start']);

    // a dies (no more rounds): b takes over once a's lease has ended, not before.
    now += 10_000;
    await b.round();
    expect(b.held()).toBe(false);
    now += 5_000;
    await b.round();
    expect(b.held()).toBe(true);
    expect(log).toEqual(['a start', 'b start']);

    // a comes back (it had only stalled): its renewal fails, so it stops its scheduler.
    await a.round();
    expect(a.held()).toBe(false);
    expect(log).toEqual(['a start', 'b start', 'a stop']);

    // b stops gracefully: it gives the lease up, and a takes it at its next round without waiting.
    await b.stop();
    await a.round();
    expect(a.held()).toBe(true);
    expect(log).toEqual(['a start', 'b start', 'a stop', 'b stop', 'a start']);
    await a.stop();
  });
});

describe('holder names', () => {
  it('give back host and pid', () => {
    expect(parseHolder('db-1.example:4242:0a1b2c3d')).toEqual({ host: 'db-1.example', pid: 4242 });
    expect(parseHolder('odd')).toEqual({ host: 'odd', pid: 0 });
  });
});
