import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildUser, PASSWORD, SYSTEM } from '../../../test/helpers/fixtures.js';
import { startTestServer, type TestServer } from '../../../test/helpers/server.js';
import { openSse } from '../../../test/helpers/sse.js';

async function signIn(url: string, email: string, password: string) {
  const res = await fetch(`${url}/api/v1/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password }),
  });
  expect(res.status).toBe(200);
  const cookie = res.headers.getSetCookie()[0]!.split(';')[0]!;
  const { csrfToken } = (await res.json()) as { csrfToken: string };
  return { cookie, headers: { cookie, 'x-csrf-token': csrfToken, 'content-type': 'application/json' } };
}

describe('live stream (SSE)', () => {
  let srv: TestServer;
  beforeAll(async () => {
    srv = await startTestServer();
  });
  afterAll(() => srv.stop());

  it('pushes a declared incident and a timeline note to another signed-in console', async () => {
    const watcher = await signIn(srv.url, srv.adminEmail, srv.adminPassword);
    const writer = await signIn(srv.url, srv.adminEmail, srv.adminPassword);
    const stream = await openSse(`${srv.url}/api/v1/stream`, { cookie: watcher.cookie });
    try {
      const res = await fetch(`${srv.url}/api/v1/incidents`, {
        method: 'POST',
        headers: writer.headers,
        body: JSON.stringify({ title: 'DDoS on mobile API', summary: '', category: 'network_attack', grade: 'I' }),
      });
      expect(res.status).toBe(201);
      const { key } = (await res.json()) as { key: string };
      const created = await stream.next((m) => m.event === 'incident.created');
      expect(created.data).toMatchObject({
        incidentKey: key,
        incident: { title: 'DDoS on mobile API', status: 'detected' },
      });
      expect(created.data).not.toHaveProperty('audience');

      await fetch(`${srv.url}/api/v1/incidents/${key}/timeline`, {
        method: 'POST',
        headers: writer.headers,
        body: JSON.stringify({ text: 'Scrubbing enabled' }),
      });
      const note = await stream.next((m) => m.event === 'timeline.appended');
      expect(note.data).toMatchObject({ incidentKey: key, entry: { text: 'Scrubbing enabled', kind: 'note' } });

      // A status change pushes the incident and the timeline entry it wrote.
      await fetch(`${srv.url}/api/v1/incidents/${key}/transitions`, {
        method: 'POST',
        headers: writer.headers,
        body: JSON.stringify({ to: 'acknowledged' }),
      });
      const updated = await stream.next((m) => m.event === 'incident.updated');
      expect(updated.data).toMatchObject({ incidentKey: key, incident: { status: 'acknowledged' } });
      const statusEntry = await stream.next(
        (m) =>
          m.event === 'timeline.appended' && (m.data as { entry: { kind: string } }).entry.kind === 'status_change',
      );
      expect(statusEntry.data).toMatchObject({
        incidentKey: key,
        entry: { data: { from: 'detected', to: 'acknowledged' } },
      });
    } finally {
      stream.close();
    }
  });

  it('refuses an anonymous stream with a problem', async () => {
    const res = await fetch(`${srv.url}/api/v1/stream`);
    expect(res.status).toBe(401);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    expect(((await res.json()) as { status: number }).status).toBe(401);
  });
});

describe('live stream re-authorization', () => {
  it('ends a stream once its session is signed out, and a password reset ends sessions', async () => {
    const { compose } = await import('../compose.js');
    const { buildApp } = await import('./app.js');
    const { testConfig } = await import('../../../test/helpers/store.js');
    const { config, drop } = testConfig('sqlite');
    const s = await compose(config);
    const app = await buildApp(s, { streamPingMs: 100 });
    const url = await app.listen({ port: 0, host: '127.0.0.1' });
    try {
      const u = await buildUser(s);
      const a = await signIn(url, u.email, PASSWORD);
      const stream = await openSse(`${url}/api/v1/stream`, { cookie: a.cookie });
      const res = await fetch(`${url}/api/v1/session`, {
        method: 'DELETE',
        headers: { cookie: a.cookie, 'x-csrf-token': a.headers['x-csrf-token'] },
      });
      expect(res.status).toBe(204);
      await expect(stream.ended).resolves.toBe(true);

      // A stale cookie does not stop a new sign-in (no CSRF needed to log in).
      const again = await fetch(`${url}/api/v1/session`, {
        method: 'POST',
        headers: { cookie: a.cookie, 'content-type': 'application/json' },
        body: JSON.stringify({ email: u.email, password: PASSWORD }),
      });
      expect(again.status).toBe(200);
      const b = again.headers.getSetCookie()[0]!.split(';')[0]!;
      await s.users.update(SYSTEM, u.id, { password: 'another-long-password' });
      const after = await fetch(`${url}/api/v1/incidents`, { headers: { cookie: b } });
      expect(after.status).toBe(401);
    } finally {
      await app.close();
      await s.close();
      await drop();
    }
  });
});
