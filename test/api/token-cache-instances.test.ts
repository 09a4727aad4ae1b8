/**
 * A resolved API token is kept for 10 s so that a busy ingest client does not cost two queries per
 * request; a revoke or a user's change on any process makes every process forget it (the `auth`
 * signal), and were the signal lost, the 10 s bound it. Two app instances on one PostgreSQL schema,
 * signals through an in-memory hub standing in for NATS, on the test clock.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compose, type Services } from '../../src/server/compose.js';
import { buildApp } from '../../src/server/http/app.js';
import type { Signals } from '../../src/server/platform/cluster/signals.js';
import { createTestApp, type Session, type TestApp } from '../helpers/app.js';
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

describe.skipIf(!PG_URL)('API tokens resolved once, across two app instances', () => {
  const hub = signalHub();
  let one: TestApp;
  let two: { s: Services; app: FastifyInstance };
  let now = Date.parse('2026-12-04T09:30:00Z');
  const clock = { now: () => now };
  let admin: Session;

  beforeAll(async () => {
    one = await createTestApp('postgres', {}, { clock, signals: hub.attach() });
    const s = await compose(one.s.config, { clock, skipMigrate: true, signals: hub.attach() });
    two = { s, app: await buildApp(s) };
    admin = await one.login('admin');
  });
  afterAll(async () => {
    await two.app.close();
    await two.s.close();
    await one.close();
  });

  async function tokenOf(): Promise<{ token: string; id: string; userId: string }> {
    const owner = await one.login('responder');
    const r = await one.as(owner, {
      method: 'POST',
      url: '/api/v1/tokens',
      payload: { name: 'siem', scopes: ['read'] },
    });
    return { ...r.json(), userId: owner.userId };
  }
  const read = (app: FastifyInstance, token: string) =>
    app.inject({ method: 'GET', url: '/api/v1/incidents', headers: { authorization: `Bearer ${token}` } });

  it('a revoke on one instance stops the token on the other at once', async () => {
    const { token, id } = await tokenOf();
    expect((await read(two.app, token)).statusCode).toBe(200); // resolved and kept by instance 2
    expect((await read(two.app, token)).statusCode).toBe(200);
    expect((await one.as(admin, { method: 'DELETE', url: `/api/v1/tokens/${id}` })).statusCode).toBe(204);
    expect((await read(two.app, token)).statusCode).toBe(401);
    expect((await read(one.app, token)).statusCode).toBe(401);
  });

  it("disabling the token's user on one instance stops it on the other at once", async () => {
    const { token, userId } = await tokenOf();
    expect((await read(two.app, token)).statusCode).toBe(200);
    const off = await one.as(admin, { method: 'PATCH', url: `/api/v1/users/${userId}`, payload: { disabled: true } });
    expect(off.statusCode, off.body).toBe(200);
    expect((await read(two.app, token)).statusCode).toBe(401);
  });

  it('with the signal lost, the other instance stops the revoked token after 10 s', async () => {
    const { token, id } = await tokenOf();
    expect((await read(two.app, token)).statusCode).toBe(200);
    hub.lose(true);
    try {
      expect((await one.as(admin, { method: 'DELETE', url: `/api/v1/tokens/${id}` })).statusCode).toBe(204);
      expect((await read(one.app, token)).statusCode).toBe(401); // the instance that revoked it knows at once
      now += 9_000;
      expect((await read(two.app, token)).statusCode).toBe(200); // still trusted within the 10 s
      now += 1_000;
      expect((await read(two.app, token)).statusCode).toBe(401);
    } finally {
      hub.lose(false);
    }
  });
});
