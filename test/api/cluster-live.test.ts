/**
 * At scale: two Tocsin servers on one PostgreSQL schema with the NATS bus. A console on one hears a
 * change made through the other; a console that reconnects to the other server with Last-Event-ID
 * gets what it missed exactly once; a rule change on one reaches the other's engine within a second.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AlertListQuery } from '../../src/shared/alert-schemas.js';
import { connectNats } from '../../src/server/platform/cluster/nats.js';
import { serve, type Running } from '../../src/server/serve.js';
import { buildPrincipal, buildToken, PASSWORD } from '../helpers/fixtures.js';
import { dropNatsPrefix, NATS_URL } from '../helpers/nats.js';
import { openSse, type SseClient } from '../helpers/sse.js';
import { PG_URL, testConfig } from '../helpers/store.js';

const ADMIN = 'admin@cluster.example';

async function signIn(url: string) {
  const res = await fetch(`${url}/api/v1/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: ADMIN, password: PASSWORD }),
  });
  expect(res.status).toBe(200);
  const cookie = res.headers.getSetCookie()[0]!.split(';')[0]!;
  const { csrfToken } = (await res.json()) as { csrfToken: string };
  return { cookie, headers: { cookie, 'x-csrf-token': csrfToken, 'content-type': 'application/json' } };
}

/** Polls `check` until it holds or `ms` pass (no fixed sleeps). */
async function until(check: () => Promise<boolean>, ms: number, what: string): Promise<void> {
  const deadline = performance.now() + ms;
  for (;;) {
    if (await check()) return;
    if (performance.now() > deadline) throw new Error(`not within ${ms} ms: ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

const keyOf = (m: { data: unknown }) => (m.data as { incidentKey?: string }).incidentKey;
const dataEvents = (c: SseClient) => c.messages.filter((m) => m.event !== 'ready' && m.event !== 'resync');

describe.skipIf(!NATS_URL || !PG_URL)('two servers on PostgreSQL and NATS', () => {
  const prefix = `t${randomBytes(4).toString('hex')}`;
  let a: Running;
  let b: Running;
  let drop: () => Promise<void>;

  beforeAll(async () => {
    const made = testConfig('postgres', {
      TOCSIN_NATS_URL: NATS_URL!,
      TOCSIN_NATS_PREFIX: prefix,
      TOCSIN_ADMIN_EMAIL: ADMIN,
      TOCSIN_ADMIN_PASSWORD: PASSWORD,
    });
    drop = made.drop;
    a = await serve(made.config, () => {}, { jobRunner: false, probeScheduler: false });
    b = await serve(made.config, () => {}, { jobRunner: false, probeScheduler: false });
  }, 60_000);

  afterAll(async () => {
    for (const s of [a, b]) {
      if (!s) continue;
      const closing = s.stop();
      s.app.server.closeAllConnections();
      await closing;
    }
    await dropNatsPrefix(prefix);
    await drop?.();
  });

  it('shows a console on one server a change made through the other, and replays missed events elsewhere once', async () => {
    const onA = await signIn(a.url);
    const onB = await signIn(b.url);
    const watcher = await openSse(`${b.url}/api/v1/stream`, { cookie: onB.cookie });
    const res = await fetch(`${a.url}/api/v1/incidents`, {
      method: 'POST',
      headers: onA.headers,
      body: JSON.stringify({ title: 'Order routing degraded', summary: '', category: 'other', grade: 'III' }),
    });
    expect(res.status).toBe(201);
    const { key } = (await res.json()) as { key: string };
    const created = await watcher.next((m) => m.event === 'incident.created' && keyOf(m) === key);
    expect(created.data).toMatchObject({ incident: { title: 'Order routing degraded' } });
    expect(created.id).toMatch(/^\d+$/); // the stream sequence, the same on every server
    const resumeAt = watcher.lastEventId!;
    watcher.close();

    // Missed while away: a note made through B.
    const note = await fetch(`${b.url}/api/v1/incidents/${key}/timeline`, {
      method: 'POST',
      headers: onB.headers,
      body: JSON.stringify({ text: 'Failover to the standby gateway' }),
    });
    expect(note.status).toBe(201);

    const again = await openSse(`${a.url}/api/v1/stream`, { cookie: onA.cookie, 'last-event-id': resumeAt });
    try {
      const missed = await again.next(
        (m) =>
          m.event === 'timeline.appended' &&
          (m.data as { entry: { text: string } }).entry.text === 'Failover to the standby gateway',
      );
      expect(Number(missed.id)).toBeGreaterThan(Number(resumeAt));
      // Then live ones, through either server.
      await fetch(`${b.url}/api/v1/incidents/${key}/transitions`, {
        method: 'POST',
        headers: onB.headers,
        body: JSON.stringify({ to: 'acknowledged' }),
      });
      await again.next((m) => m.event === 'incident.updated' && keyOf(m) === key);
      const got = dataEvents(again);
      expect(got[0]).toBe(missed); // nothing before it: the events up to resumeAt are not sent again
      expect(got.filter((m) => m.id === missed.id)).toHaveLength(1);
      const ids = got.map((m) => Number(m.id));
      expect(ids).toEqual([...new Set(ids)].sort((x, y) => x - y)); // in order, none twice
      expect(again.messages.some((m) => m.event === 'resync')).toBe(false);
    } finally {
      again.close();
    }
  });

  it("takes a rule uploaded through one server into the other's engine within a second", async () => {
    const admin = await buildPrincipal(a.services);
    const id = `cluster-probe-${prefix}`;
    const marker = `marker-${prefix}`;
    await a.services.rules.upload(admin, {
      fileName: 'cluster-probe.yml',
      yaml: `title: Cluster probe
id: ${id}
logsource:
  product: tocsin
  service: cluster_test
detection:
  selection:
    message|contains: ${marker}
  condition: selection
level: high
`,
    });
    await until(
      async () => {
        const status = await b.services.rules.status(admin);
        return (
          !status.pending &&
          (await b.services.rules.get(admin, id).then(
            () => true,
            () => false,
          ))
        );
      },
      1000,
      "server B's engine has the rule uploaded through A",
    );
    // The engines really use it: an event sent to B raises an alert of that rule.
    const token = (await buildToken(b.services, admin.user.id, { scopes: ['events'] })).token;
    const res = await fetch(`${b.url}/api/v1/events`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/x-ndjson' },
      body: JSON.stringify({ logsource: { product: 'tocsin', service: 'cluster_test' }, message: `a ${marker} line` }),
    });
    expect(res.status, await res.text()).toBe(202);
    // The event goes through the event stream to stage one on either server (both engines have the rule).
    const ruleAlerts = async () =>
      (await a.services.alerts.list(admin, AlertListQuery.parse({ rule: id }))).items.map((x) => x.ruleId);
    await until(async () => (await ruleAlerts()).length > 0, 10_000, 'the alert of the uploaded rule');
    expect(await ruleAlerts()).toEqual([id]);

    // Disabling it through B takes it out of A's engine likewise.
    await b.services.rules.setEnabled(admin, id, false);
    await until(
      async () => !(await a.services.rules.status(admin)).pending && !(await a.services.rules.get(admin, id)).enabled,
      1000,
      "server A's engine has the rule disabled through B",
    );
  });

  it('asks a console for a resync when the events after its id are gone from the stream, or the id is not one', async () => {
    const onA = await signIn(a.url);
    const first = await openSse(`${a.url}/api/v1/stream`, { cookie: onA.cookie });
    await first.next((m) => m.event === 'ready');
    const old = first.lastEventId!;
    first.close();
    await fetch(`${a.url}/api/v1/incidents`, {
      method: 'POST',
      headers: onA.headers,
      body: JSON.stringify({ title: 'Missed and purged', summary: '', category: 'other', grade: 'IV' }),
    });
    // What the stream no longer keeps (15 minutes / 100,000 events): here, purged.
    const nats = await connectNats({ servers: [NATS_URL!], prefix }, 'test purge');
    await nats.jsm.streams.purge(`${prefix}_live`);
    await nats.close();
    for (const id of [old, '99999999999', 'abcdef01-3']) {
      const c = await openSse(`${b.url}/api/v1/stream`, { cookie: onA.cookie, 'last-event-id': id });
      try {
        const resync = await c.next((m) => m.event === 'resync');
        expect(resync.id).toMatch(/^\d+$/);
        expect(dataEvents(c)).toEqual([]);
      } finally {
        c.close();
      }
    }
  });
});
