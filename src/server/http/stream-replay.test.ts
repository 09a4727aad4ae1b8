/** SSE replay on the embedded (in-process) bus: a console that reconnects gets what it missed, once. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildIncident, buildPrincipal, buildUser, PASSWORD } from '../../../test/helpers/fixtures.js';
import { openSse, type SseClient } from '../../../test/helpers/sse.js';
import { testConfig } from '../../../test/helpers/store.js';
import type { Services } from '../compose.js';
import type { Principal } from '../modules/auth/index.js';
import type { BusEvent } from '../platform/bus.js';

async function cookieOf(url: string, email: string): Promise<string> {
  const res = await fetch(`${url}/api/v1/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password: PASSWORD }),
  });
  expect(res.status).toBe(200);
  return res.headers.getSetCookie()[0]!.split(';')[0]!;
}

const dataEvents = (c: SseClient) => c.messages.filter((m) => m.event !== 'ready' && m.event !== 'resync');

describe('live stream replay (embedded bus)', () => {
  let s: Services;
  let url: string;
  let stop: () => Promise<void>;
  let watcher: string; // a responder's cookie: sees open incidents, not restricted ones it is not in
  let admin: Principal;
  let t = Date.parse('2026-12-03T09:00:00Z');

  beforeAll(async () => {
    const { compose } = await import('../compose.js');
    const { buildApp } = await import('./app.js');
    const { config, drop } = testConfig('sqlite');
    s = await compose(config, { clock: { now: () => t } });
    const app = await buildApp(s, { logger: false });
    url = await app.listen({ port: 0, host: '127.0.0.1' });
    stop = async () => {
      const closing = app.close();
      app.server.closeAllConnections(); // test clients leave keep-alive sockets open
      await closing;
      await s.close();
      await drop();
    };
    const responder = await buildUser(s, { role: 'responder' });
    watcher = await cookieOf(url, responder.email);
    admin = await buildPrincipal(s);
  });
  afterAll(() => stop());

  it('replays exactly the missed events the console may see after Last-Event-ID, then goes on live', async () => {
    const first = await openSse(`${url}/api/v1/stream`, { cookie: watcher });
    const ready = await first.next((m) => m.event === 'ready');
    expect(ready.id).toBeTruthy();
    const published: { event: BusEvent; id: string }[] = [];
    const tap = s.bus.subscribe((event, id) => published.push({ event, id }));
    const seen = await buildIncident(s, { by: admin, title: 'Seen while connected' });
    await first.next((m) => m.id === published.at(-1)!.id);
    const resumeAt = first.lastEventId!;
    first.close();

    // While away: an open incident and a note on it, and a restricted one the watcher is not in.
    published.length = 0;
    const open = await buildIncident(s, { by: admin, title: 'Declared while away' });
    await s.timeline.append(admin, open.key, { text: 'Scrubbing on', kind: 'note' });
    const hidden = await buildIncident(s, { by: admin, title: 'Need to know only', restricted: true });
    tap.close();
    const missed = published.filter((p) => p.event.incidentKey !== hidden.key).map((p) => p.id);
    expect(missed.length).toBeGreaterThanOrEqual(2);

    const again = await openSse(`${url}/api/v1/stream`, { cookie: watcher, 'last-event-id': resumeAt });
    try {
      await again.next((m) => m.id === missed.at(-1));
      const later = await buildIncident(s, { by: admin, title: 'Declared after the reconnect' });
      await again.next(
        (m) => m.event === 'incident.created' && (m.data as { incidentKey: string }).incidentKey === later.key,
      );
      const got = dataEvents(again);
      expect(got.slice(0, missed.length).map((m) => m.id)).toEqual(missed);
      expect(new Set(got.map((m) => m.id)).size).toBe(got.length); // nothing twice
      expect(got.map((m) => (m.data as { incidentKey: string }).incidentKey)).not.toContain(hidden.key);
      expect(got.map((m) => (m.data as { incidentKey: string }).incidentKey)).not.toContain(seen.key);
      expect(JSON.stringify(again.messages)).not.toContain('Need to know only');
      expect(again.messages.some((m) => m.event === 'resync')).toBe(false);
    } finally {
      again.close();
    }

    // The same through the query, for clients that cannot set the header.
    const viaQuery = await openSse(`${url}/api/v1/stream?lastEventId=${encodeURIComponent(resumeAt)}`, {
      cookie: watcher,
    });
    try {
      await viaQuery.next((m) => m.id === missed.at(-1));
      expect(
        dataEvents(viaQuery)
          .slice(0, missed.length)
          .map((m) => m.id),
      ).toEqual(missed);
    } finally {
      viaQuery.close();
    }
  });

  it('asks for a resync when the missed events are no longer kept, or the id is not one of ours', async () => {
    const first = await openSse(`${url}/api/v1/stream`, { cookie: watcher });
    await first.next((m) => m.event === 'ready');
    const old = first.lastEventId!;
    first.close();
    await buildIncident(s, { by: admin, title: 'Long ago' });
    t += 16 * 60_000; // the ring keeps 15 minutes

    for (const headers of [
      { 'last-event-id': old },
      { 'last-event-id': 'ffffffff-12' }, // another process's (or a restarted one's)
      { 'last-event-id': 'not an id\r\nevent: spoofed' },
    ]) {
      const c = await openSse(`${url}/api/v1/stream`, { cookie: watcher, ...headers }).catch(() => null);
      if (!c) continue; // fetch itself refuses a header with a line break
      try {
        const resync = await c.next((m) => m.event === 'resync');
        expect(resync.data).toEqual({});
        expect(resync.id).toMatch(/^[0-9a-f]{8}-\d+$/);
        expect(dataEvents(c)).toEqual([]);
      } finally {
        c.close();
      }
    }
    const injected = await openSse(
      `${url}/api/v1/stream?lastEventId=${encodeURIComponent('x\n\nevent: spoofed\ndata: {}')}`,
      { cookie: watcher },
    );
    try {
      await injected.next((m) => m.event === 'resync');
      expect(injected.messages.map((m) => m.event)).toEqual(['resync']);
    } finally {
      injected.close();
    }
  });
});
