import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { STORE_KINDS, countRows, testConfig } from '../../../../test/helpers/store.js';
import { migrate, openStore, type Store } from '../db/connect.js';
import { backoffDelay } from './backoff.js';
import { createJobRunner, JobDeferred, type JobRunnerOptions } from './job-runner.js';
import { createOutbox } from './outbox.js';

const T0 = Date.UTC(2025, 2, 3, 1, 30);

describe('backoffDelay', () => {
  it('doubles from the base, adds at most the jitter fraction, and never exceeds the cap', () => {
    const policy = { baseMs: 1000, maxMs: 10_000, jitter: 0.2 };
    expect([1, 2, 3, 4, 5, 6].map((n) => backoffDelay(policy, n, () => 0))).toEqual([
      1000, 2000, 4000, 8000, 10_000, 10_000,
    ]);
    expect(backoffDelay(policy, 1, () => 1)).toBe(1200);
    expect(backoffDelay(policy, 3, () => 0.5)).toBe(4400);
    expect(backoffDelay(policy, 4, () => 1)).toBe(9600);
    expect(backoffDelay(policy, 5, () => 1)).toBe(10_000);
  });
});

describe.each(STORE_KINDS)('job runner (%s)', (kind) => {
  let store: Store;
  let drop: () => Promise<void>;
  let now = T0;
  const clock = { now: () => now };
  const runner = (opts: Partial<JobRunnerOptions> = {}) =>
    createJobRunner({
      store,
      clock,
      leaseMs: 60_000,
      backoff: { baseMs: 1000, maxMs: 10_000, jitter: 0.2 },
      random: () => 0,
      ...opts,
    });

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

  it('once started, runs a job due now right after its transaction commits, without waiting for the loop', async () => {
    const jobs = runner();
    const ran: number[] = [];
    let done!: () => void;
    const finished = new Promise<void>((resolve) => {
      done = resolve;
    });
    jobs.register<{ n: number }>('test.wake', async (job) => {
      ran.push(job.payload.n);
      if (job.payload.n === 2) done();
    });
    // The loop's tick is an hour away: only the commit can start these jobs.
    jobs.start({ intervalMs: 3_600_000 });
    try {
      await expect(
        store.transaction(async (tx) => {
          await jobs.enqueue(tx, { kind: 'test.wake', payload: { n: 1 } });
          throw new Error('rolled back');
        }),
      ).rejects.toThrow('rolled back');
      await store.transaction((tx) => jobs.enqueue(tx, { kind: 'test.wake', payload: { n: 2 } }));
      await finished;
      expect(ran).toEqual([2]);
    } finally {
      await jobs.stop();
    }
  });

  it('runs a job enqueued in a committed transaction once it is due, and none from a rolled-back one', async () => {
    const jobs = runner();
    const seen: unknown[] = [];
    jobs.register<{ n: number }>('test.note', async (job) => {
      seen.push(job.payload);
    });
    const id = await store.transaction((tx) => jobs.enqueue(tx, { kind: 'test.note', payload: { n: 1 } }));
    const later = await store.transaction((tx) =>
      jobs.enqueue(tx, { kind: 'test.note', payload: { n: 2 }, runAt: T0 + 60_000 }),
    );
    await expect(
      store.transaction(async (tx) => {
        await jobs.enqueue(tx, { kind: 'test.note', payload: { n: 3 } });
        throw new Error('the change failed');
      }),
    ).rejects.toThrow('the change failed');
    await expect(store.transaction((tx) => jobs.enqueue(tx, { kind: 'test.unknown', payload: {} }))).rejects.toThrow(
      'no handler for job kind test.unknown',
    );
    expect(await countRows(store, 'jobs')).toBe(2);

    expect(await jobs.runDue()).toBe(1);
    expect(seen).toEqual([{ n: 1 }]);
    expect(await jobs.job(id!)).toMatchObject({ state: 'done', attempts: 1, lastError: null, runAt: T0 });
    expect(await jobs.runDue(T0 + 59_999)).toBe(0);
    expect(await jobs.runDue(T0 + 60_000)).toBe(1);
    expect(seen).toEqual([{ n: 1 }, { n: 2 }]);
    expect(await jobs.job(later!)).toMatchObject({ state: 'done', attempts: 1 });
    // Done jobs stay done.
    expect(await jobs.runDue(T0 + 3_600_000)).toBe(0);
  });

  it('enqueues one job per kind and idempotency key', async () => {
    const jobs = runner();
    jobs.register('test.a', async () => {});
    jobs.register('test.b', async () => {});
    expect(() => jobs.register('test.a', async () => {})).toThrow('already registered');
    const first = await store.transaction((tx) => jobs.enqueue(tx, { kind: 'test.a', key: 'k1', payload: 1 }));
    const again = await store.transaction((tx) => jobs.enqueue(tx, { kind: 'test.a', key: 'k1', payload: 2 }));
    const other = await store.transaction((tx) => jobs.enqueue(tx, { kind: 'test.b', key: 'k1', payload: 3 }));
    const noKey = await store.transaction(async (tx) => [
      await jobs.enqueue(tx, { kind: 'test.a', payload: 4 }),
      await jobs.enqueue(tx, { kind: 'test.a', payload: 5 }),
    ]);
    expect(first).toEqual(expect.any(String));
    expect(again).toBeNull();
    expect(other).toEqual(expect.any(String));
    expect(noKey.every((id) => typeof id === 'string')).toBe(true);
    expect(await countRows(store, 'jobs')).toBe(4);
    expect((await jobs.job(first!))?.payload).toBe(1);
    await jobs.runDue();
    // The key stays taken once the job is done: re-sending the same request does not redo the work.
    expect(await store.transaction((tx) => jobs.enqueue(tx, { kind: 'test.a', key: 'k1', payload: 6 }))).toBeNull();
  });

  it('sends a job without asking whether its key was taken: one job per key, none from a rolled-back change', async () => {
    const jobs = runner();
    const seen: unknown[] = [];
    jobs.register<number>('test.sent', async (job) => {
      seen.push(job.payload);
    });
    await store.transaction(async (tx) => {
      await jobs.send(tx, { kind: 'test.sent', key: 'k1', payload: 1 });
      await jobs.send(tx, { kind: 'test.sent', key: 'k1', payload: 2 }); // the key is taken: nothing
      await jobs.send(tx, { kind: 'test.sent', key: 'k2', payload: 3 });
    });
    await expect(
      store.transaction(async (tx) => {
        await jobs.send(tx, { kind: 'test.sent', key: 'k3', payload: 4 });
        throw new Error('the change failed');
      }),
    ).rejects.toThrow('the change failed');
    await expect(store.transaction((tx) => jobs.send(tx, { kind: 'test.unknown', payload: {} }))).rejects.toThrow(
      'no handler for job kind test.unknown',
    );
    expect(await countRows(store, 'jobs')).toBe(2);
    expect(await jobs.runDue()).toBe(2);
    expect(seen.sort()).toEqual([1, 3]);
  });

  it('retries a failing job with exponential backoff and lets it die after its last attempt, keeping the error', async () => {
    const jobs = runner();
    let calls = 0;
    jobs.register('test.flaky', async () => {
      calls++;
      throw new Error(`connector answered 500 (${calls})`);
    });
    const id = (await store.transaction((tx) =>
      jobs.enqueue(tx, { kind: 'test.flaky', payload: {}, maxAttempts: 6 }),
    ))!;
    const waits: number[] = [];
    let at = T0;
    for (let attempt = 1; attempt <= 5; attempt++) {
      now = at;
      expect(await jobs.runDue(at)).toBe(1);
      const job = (await jobs.job(id))!;
      expect(job).toMatchObject({
        state: 'queued',
        attempts: attempt,
        lastError: `connector answered 500 (${attempt})`,
      });
      waits.push(job.runAt - at);
      // Not a millisecond early.
      expect(await jobs.runDue(job.runAt - 1)).toBe(0);
      at = job.runAt;
    }
    expect(waits).toEqual([1000, 2000, 4000, 8000, 10_000]);
    now = at;
    expect(await jobs.runDue(at)).toBe(1);
    expect(await jobs.job(id)).toMatchObject({ state: 'dead', attempts: 6, lastError: 'connector answered 500 (6)' });
    expect(await jobs.runDue(at + 86_400_000)).toBe(0);
    expect(calls).toBe(6);
  });

  it('adds jitter to the wait and records a success after a failure as done', async () => {
    const jobs = runner({ random: () => 1 });
    let calls = 0;
    jobs.register('test.once-flaky', async () => {
      if (++calls === 1) throw new Error('timeout');
    });
    const id = (await store.transaction((tx) => jobs.enqueue(tx, { kind: 'test.once-flaky', payload: {} })))!;
    await jobs.runDue(T0);
    expect((await jobs.job(id))?.runAt).toBe(T0 + 1200);
    await jobs.runDue(T0 + 1200);
    expect(await jobs.job(id)).toMatchObject({ state: 'done', attempts: 2, lastError: 'timeout' });
  });

  it('puts off a job whose handler may not act yet, without counting an attempt or losing the last error', async () => {
    const jobs = runner({ random: () => 0, maxAttempts: 1 });
    const until = T0 + 9 * 3_600_000;
    let calls = 0;
    jobs.register('test.later', async () => {
      calls++;
      if (calls === 1) throw new Error('timeout');
      if (calls <= 3) throw new JobDeferred(calls === 2 ? until : now);
    });
    const id = (await store.transaction((tx) =>
      jobs.enqueue(tx, { kind: 'test.later', payload: {}, maxAttempts: 2 }),
    ))!;
    await jobs.runDue(T0);
    now = T0 + 1000;
    await jobs.runDue(now);
    expect(await jobs.job(id)).toMatchObject({ state: 'queued', runAt: until, attempts: 1, lastError: 'timeout' });
    expect(await jobs.runDue(until - 1)).toBe(0);
    now = until;
    // Put off to "now": at least a second later, so runDue does not spin.
    expect(await jobs.runDue(until)).toBe(1);
    expect(await jobs.job(id)).toMatchObject({ state: 'queued', runAt: until + 1000, attempts: 1 });
    now = until + 1000;
    await jobs.runDue(now);
    expect(await jobs.job(id)).toMatchObject({ state: 'done', attempts: 2 });
    expect(calls).toBe(4);
  });

  it('takes over a job whose runner stopped mid-run once its lease ends, and the late runner cannot settle it', async () => {
    const dead = runner({ name: 'dead-runner' });
    const alive = runner({ name: 'alive-runner' });
    let release: () => void = () => {};
    let started: () => void = () => {};
    const hasStarted = new Promise<void>((r) => {
      started = r;
    });
    dead.register('test.slow', async () => {
      started();
      // Hangs like a process that was killed: never settles until the test lets it.
      await new Promise<void>((r) => {
        release = r;
      });
      throw new Error('the late runner failed');
    });
    const ranBy: string[] = [];
    alive.register('test.slow', async (job) => {
      ranBy.push(`alive:${job.attempts}`);
    });
    const id = (await store.transaction((tx) => dead.enqueue(tx, { kind: 'test.slow', payload: {} })))!;
    const deadRound = dead.runDue(T0);
    await hasStarted;
    expect(await alive.job(id)).toMatchObject({ state: 'running', attempts: 1 });
    // While the lease holds nobody else takes it.
    expect(await alive.runDue(T0 + 59_999)).toBe(0);
    now = T0 + 60_000;
    expect(await alive.runDue(T0 + 60_000)).toBe(1);
    expect(ranBy).toEqual(['alive:2']);
    expect(await alive.job(id)).toMatchObject({ state: 'done', attempts: 2 });
    release();
    await deadRound;
    // The first runner's failure came after the job was taken over and done: it changes nothing.
    expect(await alive.job(id)).toMatchObject({ state: 'done', attempts: 2, lastError: null });
  });

  it('lets a job die whose runs were all cut short by their runner dying', async () => {
    const dying = runner({ name: 'dying' });
    const pending: Promise<number>[] = [];
    let startedRuns = 0;
    dying.register('test.crash', async () => {
      startedRuns++;
      await new Promise<void>(() => {}); // never settles: its process "died"
    });
    const id = (await store.transaction((tx) =>
      dying.enqueue(tx, { kind: 'test.crash', payload: {}, maxAttempts: 2 }),
    ))!;
    pending.push(dying.runDue(T0));
    await expect.poll(() => startedRuns).toBe(1);
    pending.push(dying.runDue(T0 + 60_000));
    await expect.poll(() => startedRuns).toBe(2);
    const reaper = runner({ name: 'reaper' });
    reaper.register('test.crash', async () => {
      throw new Error('must not run a third time');
    });
    expect(await reaper.runDue(T0 + 120_000)).toBe(1);
    const job = (await reaper.job(id))!;
    expect(job.state).toBe('dead');
    expect(job.lastError).toContain('lease expired after 2 attempts');
  });

  it('stops its loop gracefully: a round in progress finishes, nothing new is claimed', async () => {
    const jobs = runner();
    const ran: number[] = [];
    jobs.register<number>('test.loop', async (job) => {
      ran.push(job.payload);
    });
    await store.transaction((tx) => jobs.enqueue(tx, { kind: 'test.loop', payload: 1 }));
    jobs.start({ intervalMs: 5 });
    await expect.poll(() => ran, { timeout: 10_000 }).toEqual([1]);
    await jobs.stop();
    await store.transaction((tx) => jobs.enqueue(tx, { kind: 'test.loop', payload: 2 }));
    expect(await jobs.runDue()).toBe(1); // runDue still works by hand (tests), the loop is gone
    expect(ran).toEqual([1, 2]);
  });
});

describe.each(STORE_KINDS)('outbox (%s)', (kind) => {
  type Events = {
    'incident.declared': { incidentId: string; grade: string };
    'incident.regraded': { incidentId: string };
  };
  let store: Store;
  let drop: () => Promise<void>;
  const now = T0;
  const clock = { now: () => now };

  beforeEach(async () => {
    const t = testConfig(kind);
    drop = t.drop;
    store = await openStore(t.config.database);
    await migrate(store);
  });
  afterEach(async () => {
    await store.close();
    await drop();
  });

  it('writes an event with the change and delivers it to each subscriber once, retrying a failing one alone', async () => {
    const runner = createJobRunner({
      store,
      clock,
      random: () => 0,
      backoff: { baseMs: 1000, maxMs: 1000, jitter: 0 },
    });
    const outbox = createOutbox<Events>({ runner, clock });
    const plans: string[] = [];
    const pages: string[] = [];
    let pagerDown = true;
    outbox.subscribe('incident.declared', 'plans', async (e) => {
      plans.push(`${e.payload.incidentId}:${e.payload.grade}`);
    });
    outbox.subscribe('incident.declared', 'paging', async (e) => {
      if (pagerDown) throw new Error('pager unreachable');
      pages.push(e.payload.incidentId);
    });
    const id = await store.transaction((tx) =>
      outbox.publish(tx, 'incident.declared', { incidentId: 'INC-2025-0001', grade: 'II' }),
    );
    await expect(
      store.transaction(async (tx) => {
        await outbox.publish(tx, 'incident.declared', { incidentId: 'INC-2025-0002', grade: 'I' });
        throw new Error('declaration failed');
      }),
    ).rejects.toThrow('declaration failed');
    // No subscriber: the event is kept, no job.
    await store.transaction((tx) => outbox.publish(tx, 'incident.regraded', { incidentId: 'INC-2025-0001' }));
    expect(await countRows(store, 'outbox')).toBe(2);
    expect(await countRows(store, 'jobs')).toBe(2);

    expect(await runner.runDue(T0)).toBe(2);
    expect(plans).toEqual(['INC-2025-0001:II']);
    expect(pages).toEqual([]);
    pagerDown = false;
    expect(await runner.runDue(T0 + 1000)).toBe(1);
    expect(plans).toEqual(['INC-2025-0001:II']);
    expect(pages).toEqual(['INC-2025-0001']);
    const rows = await store.db
      .selectFrom('jobs')
      .select(['kind', 'key', 'state', 'attempts'])
      .orderBy('kind')
      .execute();
    expect(rows).toEqual([
      { kind: 'event:incident.declared:paging', key: id, state: 'done', attempts: 2 },
      { kind: 'event:incident.declared:plans', key: id, state: 'done', attempts: 1 },
    ]);
  });
});
