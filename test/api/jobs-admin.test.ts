/** Dead jobs in the API: administrators see what failed on every attempt, with why, and queue it again. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type Session, type TestApp } from '../helpers/app.js';
import { expectProblem } from '../helpers/problem.js';
import { STORE_KINDS } from '../helpers/store.js';

describe.each(STORE_KINDS)('jobs API (%s)', (kind) => {
  let t: TestApp;
  let admin: Session;
  let now = Date.UTC(2026, 11, 3, 2, 0);
  let failing = true;

  beforeAll(async () => {
    t = await createTestApp(kind, {}, { clock: { now: () => now } });
    t.s.jobs.register('test.flaky', async () => {
      if (failing) throw new Error('the far side answered 500');
    });
    admin = await t.login('admin');
  });
  afterAll(() => t.close());

  it('lists a dead job with its last error, retries it once, and refuses others', async () => {
    const id = await t.s.store.transaction((tx) =>
      t.s.jobs.enqueue(tx, { kind: 'test.flaky', payload: {}, maxAttempts: 1 }),
    );
    await t.s.jobs.runDue(now);
    const dead = await t.as(admin, { method: 'GET', url: '/api/v1/jobs?state=dead' });
    expect(dead.statusCode).toBe(200);
    expect(dead.json().items).toEqual([
      expect.objectContaining({
        id,
        kind: 'test.flaky',
        state: 'dead',
        attempts: 1,
        lastError: 'the far side answered 500',
      }),
    ]);
    expectProblem(await t.as(await t.login('responder'), { method: 'GET', url: '/api/v1/jobs' }), 403);

    failing = false;
    const retried = await t.as(admin, { method: 'POST', url: `/api/v1/jobs/${id}/retry` });
    expect(retried.statusCode).toBe(204);
    now += 1000;
    await t.s.jobs.runDue(now);
    expect((await t.s.jobs.job(id!))!.state).toBe('done');
    const again = await t.as(admin, { method: 'POST', url: `/api/v1/jobs/${id}/retry` });
    expectProblem(again, 409);
    expect(again.json().code).toBe('job.not_dead');
    const audit = await t.s.audit.list({ action: 'job.retry' }, 10);
    expect(audit.items).toEqual([expect.objectContaining({ targetId: id })]);

    // Done jobs are pruned after the retention (7 days), and their key is free again.
    now += 8 * 86_400_000;
    expect(await t.s.jobs.prune(now)).toMatchObject({ jobs: 1 });
    expect(await t.s.jobs.job(id!)).toBeUndefined();
  });
});
