/**
 * The session policy is cached in each process; a change on one app instance applies on the other at
 * once through the `session-policy` signal, and were the signal lost, within CACHE_TTL_MS (5 s). Two app
 * instances on one PostgreSQL schema, signals through an in-memory hub standing in for NATS, on the test clock.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_SESSION_POLICY, type SessionPolicy } from '../../src/shared/session-policy-schemas.js';
import { compose, type Services } from '../../src/server/compose.js';
import { buildApp } from '../../src/server/http/app.js';
import { CACHE_TTL_MS } from '../../src/server/modules/auth/session-policy.service.js';
import type { Signals } from '../../src/server/platform/cluster/signals.js';
import { createTestApp, sessionOf, type TestApp } from '../helpers/app.js';
import { buildUser } from '../helpers/fixtures.js';
import { expectProblem } from '../helpers/problem.js';
import { PG_URL } from '../helpers/store.js';

/** Signals between the processes attached to one hub (a process is not told its own), which can go deaf. */
function signalHub() {
  const handlers: { from: number; name: string; fn: () => void }[] = [];
  let deaf = false;
  let n = 0;
  return {
    attach(): Signals {
      const self = ++n;
      return {
        publishSignal: (name) => {
          if (deaf) return;
          for (const h of handlers) if (h.from !== self && h.name === name) h.fn();
        },
        onSignal: (name, fn) => {
          const h = { from: self, name, fn };
          handlers.push(h);
          return () => handlers.splice(handlers.indexOf(h), 1);
        },
      };
    },
    lose: (yes: boolean) => {
      deaf = yes;
    },
  };
}

describe.skipIf(!PG_URL)('session policy across two app instances', () => {
  const hub = signalHub();
  let one: TestApp;
  let two: { s: Services; app: FastifyInstance };
  let now = Date.parse('2026-12-05T09:30:00Z');
  const clock = { now: () => now };

  beforeAll(async () => {
    one = await createTestApp('postgres', {}, { clock, signals: hub.attach() });
    const s = await compose(one.s.config, { clock, skipMigrate: true, signals: hub.attach() });
    two = { s, app: await buildApp(s) };
  });
  afterAll(async () => {
    await two.app.close();
    await two.s.close();
    await one.close();
  });

  async function setPolicy(patch: Partial<SessionPolicy>) {
    const admin = await one.login('admin');
    const res = await one.as(admin, {
      method: 'PUT',
      url: '/api/v1/settings/session-policy',
      payload: { ...DEFAULT_SESSION_POLICY, ...patch },
    });
    expect(res.statusCode, res.body).toBe(200);
  }
  /** A responder's session (signed in on instance one: the sessions are in the shared store), used on instance two. */
  async function onTwo() {
    const { email } = await buildUser(one.s, { role: 'responder' });
    const s = sessionOf(await one.signIn(email));
    return (address: string) =>
      two.app.inject({ method: 'GET', url: '/api/v1/session', headers: { cookie: s.cookie }, remoteAddress: address });
  }

  it('a console allow-list saved on one instance refuses on the other at once', async () => {
    const get = await onTwo();
    expect((await get('192.0.2.9')).statusCode).toBe(200); // instance two has read the defaults
    await setPolicy({ consoleAllowList: ['127.0.0.0/8'] });
    expectProblem(await get('192.0.2.9'), 403);
    expect((await get('127.0.0.1')).statusCode).toBe(200);
    await setPolicy({});
    expect((await get('192.0.2.9')).statusCode).toBe(200);
  });

  it('with the signal lost, the other instance applies the change within 5 s', async () => {
    const get = await onTwo();
    expect((await get('192.0.2.9')).statusCode).toBe(200);
    hub.lose(true);
    try {
      await setPolicy({ consoleAllowList: ['127.0.0.0/8'] });
      expect((await get('192.0.2.9')).statusCode).toBe(200); // its copy is still the old policy
      now += CACHE_TTL_MS;
      expectProblem(await get('192.0.2.9'), 403);
    } finally {
      hub.lose(false);
      await setPolicy({});
    }
  });
});
