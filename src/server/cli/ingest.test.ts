/**
 * `tocsin ingest` against a stand-in for Tocsin's events API on loopback: bytes are sent as they are
 * (never decoded and repaired), a busy server (503) is waited for as its Retry-After says, a 413 halves
 * the batch. The waits go through the run's `sleep`, so nothing here waits on the wall clock.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { retryAfterSeconds, runIngest, type IngestRun } from './ingest.js';

interface Seen {
  body: Buffer;
}

/** A stand-in events API answering each request with the next of `answers` (then 202 for everything). */
async function standIn(answers: { status: number; headers?: Record<string, string>; body?: unknown }[]) {
  const seen: Seen[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      seen.push({ body });
      const next = answers.shift();
      const lines = body.toString('latin1').split('\n').length;
      if (next && next.status !== 202) {
        res.writeHead(next.status, { 'content-type': 'application/problem+json', ...next.headers });
        res.end(JSON.stringify(next.body ?? { title: 'x', detail: `answered ${next.status}` }));
        return;
      }
      res.writeHead(202, { 'content-type': 'application/json' });
      res.end(JSON.stringify(next?.body ?? { accepted: lines, duplicates: 0, rejected: [], rejectedCount: 0 }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { url, seen, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

let close: (() => Promise<void>) | undefined;
afterEach(async () => {
  await close?.();
  close = undefined;
});

const run = (baseUrl: string, over: Partial<IngestRun> = {}) => {
  const warnings: string[] = [];
  const waits: number[] = [];
  const r: IngestRun = {
    baseUrl,
    token: 'tcs_x',
    batchLines: 1000,
    batchBytes: 1 << 20,
    out: () => {},
    warn: (l) => warnings.push(l),
    progress: false,
    sleep: async (ms) => void waits.push(ms),
    ...over,
  };
  return { r, warnings, waits };
};

describe('tocsin ingest', () => {
  it('sends each line as the bytes it is: an invalid UTF-8 line is not repaired on the way', async () => {
    const s = await standIn([]);
    close = s.close;
    const body = Buffer.concat([
      Buffer.from('{"a":1}\n{"b":"caf'),
      Buffer.from([0xe9]),
      Buffer.from('"}\r\n\n{"c":"中"}\n'),
    ]);
    const { r } = run(s.url);
    // In pieces that cut lines (and the Chinese character) apart, as a pipe delivers them.
    const pieces = [
      body.subarray(0, 5),
      body.subarray(5, 15),
      body.subarray(15, body.length - 4),
      body.subarray(body.length - 4),
    ];
    const totals = await runIngest(Readable.from(pieces), null, r);
    expect(totals).toMatchObject({ lines: 3, batches: 1 });
    expect(
      s.seen[0]!.body.equals(
        Buffer.concat([Buffer.from('{"a":1}\n{"b":"caf'), Buffer.from([0xe9]), Buffer.from('"}\r\n{"c":"中"}')]),
      ),
    ).toBe(true);
  });

  it('waits as long as a 503 says and sends the same batch again', async () => {
    const busy = {
      status: 503,
      headers: { 'retry-after': '7' },
      body: { title: 'Detection is behind', detail: 'detection is behind' },
    };
    const s = await standIn([busy, { ...busy, headers: { 'retry-after': '2' } }]);
    close = s.close;
    const { r, warnings, waits } = run(s.url);
    const totals = await runIngest(Readable.from([Buffer.from('{"a":1}\n{"a":2}\n')]), null, r);
    expect(waits).toEqual([7000, 2000]);
    expect(s.seen.map((x) => x.body.toString())).toEqual(['{"a":1}\n{"a":2}', '{"a":1}\n{"a":2}', '{"a":1}\n{"a":2}']);
    expect(totals).toMatchObject({ accepted: 2, batches: 1 });
    expect(warnings).toEqual(['the server is busy (503) at line 1; sending again in 7 s']);
  });

  it('gives up on a server that stays busy, saying so in one line', async () => {
    const s = await standIn(
      Array.from({ length: 30 }, () => ({
        status: 503,
        headers: { 'retry-after': '1' },
        body: { detail: 'detection is behind' },
      })),
    );
    close = s.close;
    const { r, waits } = run(s.url);
    await expect(runIngest(Readable.from([Buffer.from('{"a":1}\n')]), null, r)).rejects.toThrow(
      /^line 1: POST \/api\/v1\/events answered 503: detection is behind \(still busy after 20 tries; lines before it were ingested\)$/,
    );
    expect(waits).toHaveLength(20);
  });

  it('reads Retry-After as seconds or an HTTP date, within reason', () => {
    const now = Date.UTC(2026, 0, 1);
    expect(retryAfterSeconds('3', now)).toBe(3);
    expect(retryAfterSeconds(new Date(now + 10_500).toUTCString(), now)).toBe(10);
    expect(retryAfterSeconds(null, now)).toBe(1);
    expect(retryAfterSeconds('soon', now)).toBe(1);
    expect(retryAfterSeconds('86400', now)).toBe(60);
  });
});
