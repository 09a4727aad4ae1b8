/**
 * The sign-in throttle lives in the store, so it holds across web processes: two instances of the app
 * on one PostgreSQL schema share every counter (docs/auth.md). On the test clock.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compose, type Services } from '../../src/server/compose.js';
import { buildApp } from '../../src/server/http/app.js';
import { DEFAULT_THROTTLE } from '../../src/server/modules/auth/index.js';
import { createTestApp, PASSWORD, type TestApp } from '../helpers/app.js';
import { buildUser } from '../helpers/fixtures.js';
import { PG_URL } from '../helpers/store.js';

const WRONG = 'wrong-password-123';

describe.skipIf(!PG_URL)('sign-in throttle across two app instances on one PostgreSQL schema', () => {
  let one: TestApp;
  let two: { s: Services; app: FastifyInstance };
  let now = Date.parse('2026-12-03T09:30:00Z');
  const clock = { now: () => now };
  const signIn = (app: FastifyInstance, email: string, password: string, from: string) =>
    app.inject({ method: 'POST', url: '/api/v1/session', payload: { email, password }, remoteAddress: from });

  beforeAll(async () => {
    one = await createTestApp('postgres', {}, { clock, throttle: DEFAULT_THROTTLE });
    const s = await compose(one.s.config, { clock, throttle: DEFAULT_THROTTLE, skipMigrate: true });
    two = { s, app: await buildApp(s) };
  });
  afterAll(async () => {
    await two.app.close();
    await two.s.close();
    await one.close();
  });

  it('failures against instance 1 lock the account on instance 2 too', async () => {
    const { email } = await buildUser(one.s);
    for (let i = 0; i < DEFAULT_THROTTLE.freeFailures; i++)
      expect((await signIn(one.app, email, WRONG, '10.9.0.1')).statusCode).toBe(401);
    const locked = await signIn(two.app, email, PASSWORD, '10.9.0.1');
    expect(locked.statusCode).toBe(429);
    expect(Number(locked.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    // Once the wait is over, the right password gets in through either instance.
    now += 2000;
    expect((await signIn(two.app, email, PASSWORD, '10.9.0.1')).statusCode).toBe(200);
  });

  it('50 wrong passwords in parallel over both instances: only the free 5 are checked', async () => {
    const { email } = await buildUser(one.s);
    const rs = await Promise.all(
      Array.from({ length: 50 }, (_, i) => signIn(i % 2 ? two.app : one.app, email, WRONG, '10.9.0.2')),
    );
    expect(rs.filter((r) => r.statusCode === 401)).toHaveLength(DEFAULT_THROTTLE.freeFailures);
    expect(rs.filter((r) => r.statusCode === 429)).toHaveLength(50 - DEFAULT_THROTTLE.freeFailures);
  });
});
