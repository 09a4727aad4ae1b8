/** `tocsin ingest` as a user runs it: the built CLI in a child process against a real server. */
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { buildOnce, childEnv, CLI, lines, ROOT, tempDir, tocsin, type CliResult } from './harness.js';
import { SYSTEM } from '../helpers/fixtures.js';

const BODY_LIMIT = 16 * 1024;

let server: TestServer;
let token: string;
let readToken: string;
let dir: string;

/** `tocsin ARGS` with `stdin` piped in. */
function tocsinWithStdin(args: string[], env: Record<string, string>, stdin: string): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], {
      cwd: ROOT,
      env: childEnv(env),
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
    child.stdin.end(stdin);
  });
}

const ingested = () => server.running.services.ingest.stats().accepted;

beforeAll(async () => {
  dir = tempDir();
  const sources = path.join(dir, 'sources.yaml');
  fs.writeFileSync(
    sources,
    'sources:\n  - name: vpn\n    logsource: { product: vpn, category: authentication }\n    fieldMap: { client: src_ip }\n',
  );
  await buildOnce();
  server = await startTestServer({
    env: {
      TOCSIN_SOURCES_FILE: sources,
      TOCSIN_INGEST_BODY_LIMIT_BYTES: String(BODY_LIMIT),
      TOCSIN_INGEST_LINE_LIMIT_BYTES: '4096',
    },
  });
  const s = server.running.services;
  const admin = (await s.users.list(undefined, 10)).items[0]!;
  token = (await s.tokens.create(SYSTEM, admin.id, { name: 'cli-ingest', scopes: ['events'] })).token;
  readToken = (await s.tokens.create(SYSTEM, admin.id, { name: 'cli-read', scopes: ['read'] })).token;
}, 180_000);
afterAll(async () => {
  await server?.stop();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('tocsin ingest', () => {
  test('posts a file in batches, names rejected lines by their line in the file, and sums up', async () => {
    const file = path.join(dir, 'events.ndjson');
    const rows: string[] = [];
    for (let i = 1; i <= 2500; i++) {
      if (i === 7) rows.push('this is not json');
      else if (i === 1500) rows.push('[1,2,3]');
      else if (i === 2000) rows.push('');
      else rows.push(JSON.stringify({ id: `evt-${i}`, user: `u${i % 17}`, action: 'login' }));
    }
    fs.writeFileSync(file, `${rows.join('\r\n')}\n`);
    const before = ingested();
    const env = { TOCSIN_URL: server.url, TOCSIN_TOKEN: token };
    const r = await tocsin(['ingest', file, '--batch', '300'], env, { timeoutMs: 60_000 });
    expect(r.code, r.stderr).toBe(1);
    expect(lines(r.stderr)).toEqual([expect.stringMatching(/^line 7: not valid JSON/), 'line 1500: not a JSON object']);
    expect(lines(r.stdout)).toEqual([
      `ingested ${file}: 2497 accepted, 0 duplicates, 2 rejected (2499 lines in 9 requests)`,
    ]);
    expect(ingested() - before).toBe(2497);

    // Again: every event with an id is a duplicate now.
    const again = await tocsin(['ingest', file, '--batch', '300'], env, { timeoutMs: 60_000 });
    expect(lines(again.stdout)).toEqual([
      `ingested ${file}: 0 accepted, 2497 duplicates, 2 rejected (2499 lines in 9 requests)`,
    ]);
    expect(ingested() - before).toBe(2497);
  }, 90_000);

  test('reads stdin with -, for a configured source; batches shrink when the server says 413', async () => {
    const before = ingested();
    const body = Array.from({ length: 400 }, (_, i) =>
      JSON.stringify({ client: `10.0.0.${i % 250}`, user: 'li.si', pad: 'p'.repeat(100) }),
    ).join('\n');
    expect(body.length).toBeGreaterThan(BODY_LIMIT * 2);
    const huge = JSON.stringify({ pad: 'h'.repeat(BODY_LIMIT) });
    const r = await tocsinWithStdin(
      ['ingest', '-', '--source', 'vpn'],
      { TOCSIN_URL: server.url, TOCSIN_TOKEN: token },
      `${body}\n${huge}\n{"last":true}`,
    );
    expect(lines(r.stderr)).toEqual(['line 401: larger than the server accepts in one request']);
    expect(r.stdout).toMatch(
      /^ingested stdin: 401 accepted, 0 duplicates, 1 rejected \(402 lines in \d+ requests\)\n$/,
    );
    expect(r.code).toBe(1);
    expect(ingested() - before).toBe(401);
  }, 60_000);

  test('sends a line that is not UTF-8 as it is: the server refuses that line by its number, nothing is repaired', async () => {
    const file = path.join(dir, 'latin1.ndjson');
    fs.writeFileSync(
      file,
      Buffer.concat([
        Buffer.from('{"user":"zhang"}\n{"user":"jos'),
        Buffer.from([0xe9]),
        Buffer.from('"}\n{"user":"李四"}\n'),
      ]),
    );
    const before = ingested();
    const r = await tocsin(['ingest', file], { TOCSIN_URL: server.url, TOCSIN_TOKEN: token });
    expect(lines(r.stderr)).toEqual(['line 2: not valid UTF-8']);
    expect(r.stdout).toBe(`ingested ${file}: 2 accepted, 0 duplicates, 1 rejected (3 lines in 1 request)\n`);
    expect(r.code).toBe(1);
    expect(ingested() - before).toBe(2);
  });

  test('exits 0 when everything was taken', async () => {
    const r = await tocsinWithStdin(
      ['ingest', '-', '--token', token],
      { TOCSIN_URL: server.url },
      '{"a":1}\n{"a":2}\n',
    );
    expect(r).toMatchObject({ code: 0, stderr: '' });
    expect(r.stdout).toBe('ingested stdin: 2 accepted, 0 duplicates, 0 rejected (2 lines in 1 request)\n');
  });

  test('draws a progress bar on a terminal, not in a pipe', async () => {
    const file = path.join(dir, 'tty.ndjson');
    fs.writeFileSync(file, `${Array.from({ length: 3000 }, (_, i) => JSON.stringify({ i })).join('\n')}\n`);
    const hasScript = spawnSync('script', ['--version']).status === 0;
    if (!hasScript) {
      if (process.env.CI) throw new Error('CI needs util-linux `script` to give the CLI a terminal');
      console.warn('[tocsin tests] util-linux `script` is missing: the progress-bar test is skipped.');
      return;
    }
    const cmd = [process.execPath, CLI, 'ingest', file, '--batch', '500'].map((a) => `'${a}'`).join(' ');
    // Asynchronously: the server runs in this process and must keep answering.
    const r = await new Promise<{ status: number | null; stdout: string }>((resolve, reject) => {
      const child = spawn('script', ['-qec', cmd, '/dev/null'], {
        cwd: ROOT,
        env: childEnv({ TOCSIN_URL: server.url, TOCSIN_TOKEN: token, TERM: 'xterm' }),
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stdout = '';
      child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
      child.on('error', reject);
      child.on('close', (status) => resolve({ status, stdout }));
    });
    expect(r.status, r.stdout).toBe(0);
    expect(r.stdout).toMatch(/ingest \[[█░]+\] \d+% \| \d+ lines \| \d+ accepted/);
    expect(r.stdout).toContain(`ingested ${file}: 3000 accepted`);
  }, 60_000);

  test('explains in one line what is wrong', async () => {
    const file = path.join(dir, 'one.ndjson');
    fs.writeFileSync(file, '{"a":1}\n');
    const oneLine = (r: CliResult, pattern: RegExp) => {
      expect(r.code, r.stderr).not.toBe(0);
      expect(r.stdout).toBe('');
      expect(lines(r.stderr), r.stderr).toHaveLength(1);
      expect(r.stderr).toMatch(pattern);
    };
    oneLine(
      await tocsin(['ingest', file], { TOCSIN_URL: server.url }),
      /^tocsin: ingest needs an API token with the events scope: --token or TOCSIN_TOKEN/,
    );
    oneLine(
      await tocsin(['ingest', file], { TOCSIN_URL: server.url, TOCSIN_TOKEN: 'tcs_wrong' }),
      /^tocsin: line 1: the server refused the API token \(POST \/api\/v1\/events answered 401: the API token is unknown/,
    );
    oneLine(
      await tocsin(['ingest', file], { TOCSIN_URL: server.url, TOCSIN_TOKEN: readToken }),
      /^tocsin: line 1: POST \/api\/v1\/events answered 403: .*event\.ingest.*needs a token with the events scope/,
    );
    oneLine(
      await tocsin(['ingest', file, '--source', 'nope'], { TOCSIN_URL: server.url, TOCSIN_TOKEN: token }),
      /^tocsin: line 1: POST \/api\/v1\/events answered 422: unknown ingest source "nope"/,
    );
    oneLine(
      await tocsin(['ingest', path.join(dir, 'missing.ndjson')], { TOCSIN_URL: server.url, TOCSIN_TOKEN: token }),
      /^tocsin: cannot read .*missing\.ndjson \(ENOENT\)/,
    );
    oneLine(
      await tocsin(['ingest', file], { TOCSIN_URL: 'http://127.0.0.1:9', TOCSIN_TOKEN: token }),
      /^tocsin: cannot reach Tocsin at http:\/\/127\.0\.0\.1:9/,
    );
    oneLine(
      await tocsin(['ingest', file, '--batch', '0'], { TOCSIN_TOKEN: token }),
      /^tocsin: .*--batch must be a whole number/,
    );
  }, 60_000);

  test('--help explains it', async () => {
    const r = await tocsin(['ingest', '--help'], {});
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Usage: tocsin ingest \[options\] <file>/);
    for (const word of ['TOCSIN_URL', 'NDJSON', 'stdin', '--source', '--batch', 'events scope'])
      expect(r.stdout).toContain(word);
    expect((await tocsin(['--help'], {})).stdout).toMatch(/^ {2}ingest\b/m);
  });
});
