/**
 * Hostile ingest bodies against a real server (a real event loop, the engine on its worker thread):
 * a 16 KB gzip body of 5.6 million `{}` lines is refused with 413 as soon as it passes the event limit,
 * and a body just under the limit is taken whole; meanwhile /api/v1/health keeps answering.
 *
 * The one place in the suite with a latency assertion (the security review asked for it): generous
 * (2 s: another test file runs beside this one on the other core, and once took a probe to 690 ms;
 * the hazard it guards against, the event loop held while a whole hostile body is parsed, is longer), and the figures
 * are printed as a line to quote.
 */
import http from 'node:http';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildToken } from '../helpers/fixtures.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

const HEALTH_LIMIT_MS = 2000;
const DEFAULT_MAX_EVENTS = 100_000;

let server: TestServer;
let token: string;

beforeAll(async () => {
  // The production default: the rule engine on a worker thread.
  server = await startTestServer({ env: { TOCSIN_DETECTION_THREAD: 'worker' } });
  const s = server.running.services;
  const admin = (await s.users.list(undefined, 10)).items[0]!;
  token = (await buildToken(s, admin.id, { scopes: ['events'] })).token;
}, 120_000);
afterAll(() => server?.stop());

const rssMb = () => Math.round(process.memoryUsage().rss / 1048576);

/**
 * POSTs `body` streamed in 64 KB pieces (as a forwarder's socket would send it), so that the client,
 * which shares this process with the server, does not itself hold the event loop with a 16 MB copy.
 */
function post(
  url: string,
  body: Buffer,
  headers: Record<string, string>,
): Promise<{ status: number; type: string | undefined; body: { detail?: string } & Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      `${server.url}${url}`,
      { method: 'POST', headers: { ...headers, 'content-length': String(body.length) } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({
            status: res.statusCode!,
            type: res.headers['content-type'],
            body: JSON.parse(Buffer.concat(chunks).toString('utf8')),
          }),
        );
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    pipeline(
      Readable.from(
        (function* () {
          for (let at = 0; at < body.length; at += 64 * 1024) yield body.subarray(at, at + 64 * 1024);
        })(),
      ),
      req,
    ).catch(() => {
      // The server may answer (413) and close before it has read everything: the answer is what counts.
    });
  });
}

/** Sends `body` to /api/v1/events while calling /api/v1/health one after another; returns the answer and each health latency. */
async function ingestWhileProbing(body: Buffer, headers: Record<string, string>, url = '/api/v1/events') {
  // A first call outside the measurement: connection set-up and first-call costs are not the ingest's.
  await (await fetch(`${server.url}/api/v1/health`)).arrayBuffer();
  // Nor is a full collection of what earlier test files left in this worker's heap (vitest.config.ts
  // exposes gc): it paused the loop for up to 2.3 s in the middle of the measurement.
  (globalThis as { gc?: () => void }).gc?.();
  const latencies: number[] = [];
  // The server runs in this process: the event loop's longest stall is the server's too.
  const loop = monitorEventLoopDelay({ resolution: 10 });
  loop.enable();
  let done = false;
  const ingest = post(url, body, {
    authorization: `Bearer ${token}`,
    'content-type': 'application/x-ndjson',
    ...headers,
  }).finally(() => {
    done = true;
  });
  const probing = (async () => {
    // At least a few probes, and as many as fit while the ingest request runs.
    while (!done || latencies.length < 5) {
      const t0 = performance.now();
      const res = await fetch(`${server.url}/api/v1/health`);
      await res.arrayBuffer();
      latencies.push(performance.now() - t0);
      expect(res.status).toBe(200);
    }
  })();
  const [answer] = await Promise.all([ingest, probing]);
  loop.disable();
  return { answer, latencies, loopMaxMs: loop.max / 1e6 };
}

describe('hostile ingest bodies', () => {
  it('refuses 5.59 million {} lines in 16 KB of gzip with 413 naming the limit, while health keeps answering', async () => {
    // 5.59 million lines of "{}\n": 16.77 MB unpacked, just under the 16 MiB body limit.
    const lines = 5_590_000;
    const unpacked = Buffer.from('{}\n'.repeat(lines));
    expect(unpacked.length).toBeLessThan(16 * 1024 * 1024);
    const body = gzipSync(unpacked, { level: 9 });
    expect(body.length).toBeLessThan(20 * 1024);
    const accepted = server.running.services.ingest.stats().accepted;
    const rssBefore = rssMb();
    const { answer, latencies, loopMaxMs } = await ingestWhileProbing(body, { 'content-encoding': 'gzip' });
    const rssAfter = rssMb();
    const max = Math.max(...latencies);
    console.log(
      `[ingest-hostile] 5.59M {} lines, ${body.length} bytes gzip: ${answer.status}; health max ${max.toFixed(1)} ms over ${latencies.length} calls; longest event-loop stall ${loopMaxMs.toFixed(1)} ms; RSS ${rssBefore} -> ${rssAfter} MB`,
    );
    expect(answer.status).toBe(413);
    expect(answer.type).toMatch(/^application\/problem\+json/);
    expect(answer.body.detail).toContain(DEFAULT_MAX_EVENTS.toLocaleString('en-US'));
    expect(answer.body.detail).toContain('TOCSIN_INGEST_MAX_EVENTS');
    expect(max).toBeLessThan(HEALTH_LIMIT_MS);
    // Nothing of a refused request reached detection.
    expect(server.running.services.ingest.stats().accepted).toBe(accepted);
  }, 120_000);

  it('takes a body just under the limit whole (100,000 events), while health keeps answering', async () => {
    const body = Buffer.from(Array.from({ length: DEFAULT_MAX_EVENTS }, (_, i) => `{"n":${i}}\n`).join(''));
    const rssBefore = rssMb();
    const { answer, latencies, loopMaxMs } = await ingestWhileProbing(body, {});
    const rssAfter = rssMb();
    const max = Math.max(...latencies);
    console.log(
      `[ingest-hostile] ${DEFAULT_MAX_EVENTS} events, ${body.length} bytes: ${answer.status}; health max ${max.toFixed(1)} ms over ${latencies.length} calls; longest event-loop stall ${loopMaxMs.toFixed(1)} ms; RSS ${rssBefore} -> ${rssAfter} MB`,
    );
    expect(answer.status, JSON.stringify(answer.body)).toBe(202);
    expect(answer.body).toEqual({ accepted: DEFAULT_MAX_EVENTS, duplicates: 0, rejected: [], rejectedCount: 0 });
    expect(max).toBeLessThan(HEALTH_LIMIT_MS);
  }, 120_000);

  it('refuses 5.59 million samples in one metrics body (16 MB) with 413 before parsing them, while health keeps answering', async () => {
    const body = Buffer.from(`[${'{},'.repeat(5_590_000 - 1)}{}]`);
    expect(body.length).toBeLessThan(16 * 1024 * 1024);
    const rssBefore = rssMb();
    const { answer, latencies, loopMaxMs } = await ingestWhileProbing(
      body,
      { 'content-type': 'application/json' },
      '/api/v1/metrics',
    );
    const rssAfter = rssMb();
    const max = Math.max(...latencies);
    console.log(
      `[ingest-hostile] metrics: 5.59M samples, ${body.length} bytes: ${answer.status}; health max ${max.toFixed(1)} ms over ${latencies.length} calls; longest event-loop stall ${loopMaxMs.toFixed(1)} ms; RSS ${rssBefore} -> ${rssAfter} MB`,
    );
    expect(answer.status).toBe(413);
    expect(answer.body.detail).toContain('50,000 samples');
    expect(max).toBeLessThan(HEALTH_LIMIT_MS);
  }, 120_000);
});
