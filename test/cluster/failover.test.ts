/**
 * The at-scale topology as plain processes (issue 10, "Failover"): one web and two worker processes on
 * PostgreSQL + NATS JetStream. A worker killed with SIGKILL while events stream in loses nothing and
 * doubles nothing; a web process killed while a console is connected: the console reconnects to another
 * web process with Last-Event-ID and receives what it missed, once. The demo scenario runs end to end
 * on that topology.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { NATS_URL } from '../helpers/nats.js';
import { PG_URL } from '../helpers/store.js';
import { clusterSession, clusterToken, createCluster, until, type Cluster } from '../helpers/cluster.js';
import { BIN, tocsin } from '../cli/harness.js';
import { runFailover } from '../helpers/cluster-failover.js';
import { openSse } from '../helpers/sse.js';

const ready = Boolean(PG_URL && NATS_URL);
if (!ready && !process.env.CI)
  console.warn(
    '[tocsin tests] the multi-process cluster tests need TOCSIN_TEST_DATABASE_URL and TOCSIN_TEST_NATS_URL: skipped.',
  );

describe.skipIf(!ready)('the at-scale mode as processes (PostgreSQL + NATS)', () => {
  let cluster: Cluster | null = null;
  afterEach(async () => {
    await cluster?.stop();
    cluster = null;
  });

  it('a worker killed mid-stream: every acknowledged event evaluated, every expected alert raised once', {
    timeout: 240_000,
  }, async () => {
    cluster = await createCluster({ pgUrl: PG_URL!, natsUrl: NATS_URL! });
    const web = await cluster.start('web', 'web-1');
    // The web process has migrated the store; the workers start side by side, as a service manager starts them.
    const [w1, w2] = await Promise.all([cluster.start('worker', 'worker-1'), cluster.start('worker', 'worker-2')]);
    const r = await runFailover(
      cluster,
      { web, workers: [w1, w2] },
      { groups: 12, rate: 100, durationS: 8, killAtS: 3 },
    );
    expect(r.events_acked).toBeGreaterThan(800);
    expect(r.events_evaluated).toBe(r.events_acked);
    expect(r.lost_events).toBe(0);
    expect(r.alerts).toBe(r.alerts_expected);
    expect(r.duplicate_alerts).toBe(0);
    expect(r.takeover_s).toBeGreaterThan(0);
    expect(r.recovered_s).toBeGreaterThan(0);
  });

  it('a web process killed while a console is connected: the console reconnects to another and misses nothing', {
    timeout: 180_000,
  }, async () => {
    cluster = await createCluster({ pgUrl: PG_URL!, natsUrl: NATS_URL! });
    const a = await cluster.start('web', 'web-a');
    const [b] = await Promise.all([cluster.start('web', 'web-b'), cluster.start('worker', 'worker-1')]);
    const session = await clusterSession(b.url);
    const declare = async (url: string, title: string) => {
      const res = await fetch(`${url}/api/v1/incidents`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', cookie: session.cookie, 'x-csrf-token': session.csrf },
        body: JSON.stringify({ title, category: 'network_attack', grade: 'IV', summary: 'cluster test' }),
      });
      expect(res.status).toBe(201);
      return ((await res.json()) as { key: string }).key;
    };
    // The console on web-a sees an incident declared through web-b (the bus crosses processes).
    const first = await openSse(`${a.url}/api/v1/stream`, { cookie: session.cookie });
    const k1 = await declare(b.url, 'cluster one');
    const seen = await first.next((m) => JSON.stringify(m.data).includes(k1), 20_000);
    expect(seen.id).toBeTruthy();
    // web-a dies; while the console is away, two more incidents are declared on web-b.
    await a.kill();
    await first.ended;
    const k2 = await declare(b.url, 'cluster two');
    const k3 = await declare(b.url, 'cluster three');
    // The console reconnects to web-b with the last id it had: it gets both, once each, in order.
    const again = await openSse(`${b.url}/api/v1/stream`, { cookie: session.cookie, 'last-event-id': seen.id! });
    await again.next((m) => JSON.stringify(m.data).includes(k3), 20_000);
    const keys = again.messages
      .map((m) => JSON.stringify(m.data))
      .flatMap((d) => [k1, k2, k3].filter((k) => d.includes(`"${k}"`)));
    expect(keys.filter((k) => k === k1)).toHaveLength(0);
    expect(keys.filter((k) => k === k2).length).toBeGreaterThanOrEqual(1);
    expect(keys.indexOf(k2)).toBeLessThan(keys.indexOf(k3));
    const ids = again.messages.map((m) => m.id);
    expect(new Set(ids).size).toBe(ids.length);
    again.close();
    await until(async () => (await fetch(`${b.url}/readyz`)).status === 200, 'web-b ready');
  });

  it('runs the credential-stuffing demo end to end: raw logins to a web process, the correlation on a worker, the incident declared', {
    timeout: 180_000,
  }, async () => {
    cluster = await createCluster({ pgUrl: PG_URL!, natsUrl: NATS_URL! });
    const web = await cluster.start('web', 'web-1');
    await Promise.all([cluster.start('worker', 'worker-1'), cluster.start('worker', 'worker-2')]);
    const token = await clusterToken(web.url, ['read', 'events']);
    const r = await tocsin(
      ['demo', '--scenario', 'credential-stuffing'],
      { TOCSIN_URL: web.url, TOCSIN_TOKEN: token },
      {
        entry: BIN,
        timeoutMs: 120_000,
      },
    );
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/alert: \[high\] .*many accounts/i);
    const key = /incident declared by detection: (INC-\d{4}-\d{4,})/.exec(r.stdout)?.[1];
    expect(key, r.stdout).toBeDefined();
    const inc = await fetch(`${web.url}/api/v1/incidents/${key}`, { headers: { authorization: `Bearer ${token}` } });
    expect(await inc.json()).toMatchObject({ status: 'detected', category: 'network_attack' });
    const tl = await fetch(`${web.url}/api/v1/incidents/${key}/timeline?limit=200`, {
      headers: { authorization: `Bearer ${token}` },
    });
    const texts = ((await tl.json()).items as { text?: string }[]).map((e) => e.text ?? '');
    expect(texts).toContainEqual(
      expect.stringMatching(/^Incident declared by detection from alert "Credential Stuffing/),
    );
    // The correlation's feeds carried references, not the events: its alert holds the events whole,
    // read back from the event stream (the device and user agent, which the correlation did not read).
    const auth = { headers: { authorization: `Bearer ${token}` } };
    const listed = (await (await fetch(`${web.url}/api/v1/incidents/${key}/alerts`, auth)).json()).items as {
      id: string;
      kind: string;
    }[];
    const corr = listed.find((a) => a.kind === 'correlation');
    expect(corr, JSON.stringify(listed)).toBeDefined();
    const detail = await (await fetch(`${web.url}/api/v1/alerts/${corr!.id}`, auth)).json();
    const events = detail.events as { fields: Record<string, unknown> }[];
    expect(events.length).toBeGreaterThan(0);
    for (const e of events) {
      expect(e.fields).toMatchObject({ user_agent: 'okhttp/4.9.3', channel: 'app' });
      expect(e.fields.device_id).toMatch(/^emu-/);
      expect(e.fields).not.toHaveProperty('ref');
    }
  });
});
