/**
 * bench:stream — how fast a change reaches another console on the live stream (SSE).
 * Latency = from sending POST /api/v1/incidents (or a timeline note) to the event arriving on a second
 * signed-in stream, on a real server over loopback. Prints one JSON line per case.
 */
import { startTestServer } from '../test/helpers/server.js';
import { openSse } from '../test/helpers/sse.js';

const N = Number(process.env.BENCH_N ?? 300);

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return Number(s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!.toFixed(2));
};

async function signIn(url: string, email: string, password: string) {
  const res = await fetch(`${url}/api/v1/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password }),
  });
  const cookie = res.headers.getSetCookie()[0]!.split(';')[0]!;
  const { csrfToken } = (await res.json()) as { csrfToken: string };
  return { cookie, headers: { cookie, 'x-csrf-token': csrfToken, 'content-type': 'application/json' } };
}

const srv = await startTestServer();
try {
  const watcher = await signIn(srv.url, srv.adminEmail, srv.adminPassword);
  const writer = await signIn(srv.url, srv.adminEmail, srv.adminPassword);
  const stream = await openSse(`${srv.url}/api/v1/stream`, { cookie: watcher.cookie });
  for (const kase of ['incident_created', 'timeline_appended'] as const) {
    const lat: number[] = [];
    let key = '';
    for (let i = 0; i < N; i++) {
      const t0 = performance.now();
      if (kase === 'incident_created' || !key) {
        const res = await fetch(`${srv.url}/api/v1/incidents`, {
          method: 'POST',
          headers: writer.headers,
          body: JSON.stringify({ title: `bench ${i}`, category: 'other', grade: 'IV' }),
        });
        const inc = (await res.json()) as { key: string };
        if (kase === 'timeline_appended') {
          key = inc.key;
          i--;
          continue;
        }
        const m = await stream.next(
          (e) => e.event === 'incident.created' && (e.data as { incidentKey: string }).incidentKey === inc.key,
        );
        lat.push(m.receivedAt - t0);
      } else {
        const text = `note ${i}`;
        const res = await fetch(`${srv.url}/api/v1/incidents/${key}/timeline`, {
          method: 'POST',
          headers: writer.headers,
          body: JSON.stringify({ text }),
        });
        await res.arrayBuffer();
        const m = await stream.next(
          (e) => e.event === 'timeline.appended' && (e.data as { entry: { text: string } }).entry.text === text,
        );
        lat.push(m.receivedAt - t0);
      }
    }
    stream.messages.length = 0;
    console.log(
      JSON.stringify({
        bench: 'stream',
        case: kase,
        store: 'sqlite',
        n: lat.length,
        p50_ms: pct(lat, 50),
        p99_ms: pct(lat, 99),
        max_ms: pct(lat, 100),
        target_ms: 100,
      }),
    );
  }
  stream.close();
} finally {
  await srv.stop();
}
