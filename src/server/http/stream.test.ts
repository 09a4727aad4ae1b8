import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../../test/helpers/server.js';
import { openSse } from '../../../test/helpers/sse.js';

async function signIn(url: string, email: string, password: string) {
  const res = await fetch(`${url}/api/v1/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, password }) });
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
      expect(created.data).toMatchObject({ incidentKey: key, incident: { title: 'DDoS on mobile API', status: 'detected' } });
      expect(created.data).not.toHaveProperty('audience');

      await fetch(`${srv.url}/api/v1/incidents/${key}/timeline`, { method: 'POST', headers: writer.headers, body: JSON.stringify({ text: 'Scrubbing enabled' }) });
      const note = await stream.next((m) => m.event === 'timeline.appended');
      expect(note.data).toMatchObject({ incidentKey: key, entry: { text: 'Scrubbing enabled', kind: 'note' } });
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
