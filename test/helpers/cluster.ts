/**
 * The at-scale topology as plain processes on loopback, for the multi-process tests and bench:cluster:
 * `tocsin serve --role web|worker` (bin/tocsin.mjs, what an operator runs) on one PostgreSQL schema and
 * one NATS JetStream prefix of their own. Each process's URL is read from its "Tocsin is running at"
 * line; stop() kills what is left and drops the schema and the NATS streams and buckets of the prefix.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { connectNats, type Nats } from '../../src/server/platform/cluster/nats.js';
import { PASSWORD } from './fixtures.js';
import { dropNatsPrefix } from './nats.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const CLUSTER_ADMIN = { email: 'admin@cluster.example', password: PASSWORD };

export interface ClusterProcess {
  name: string;
  role: 'web' | 'worker' | 'all';
  url: string;
  child: ChildProcess;
  output(): string;
  exited: Promise<number | null>;
  /** SIGKILL (no goodbye: leases, partitions and un-acked messages are left to the others). */
  kill(): Promise<void>;
  /** SIGTERM and wait for the exit (graceful shutdown). */
  stop(): Promise<number | null>;
}

export interface Cluster {
  pgUrl: string;
  prefix: string;
  env: Record<string, string>;
  processes: ClusterProcess[];
  /** `nodeArgs` go before the script (e.g. `--cpu-prof`). */
  start(
    role: 'web' | 'worker' | 'all',
    name: string,
    env?: Record<string, string>,
    nodeArgs?: string[],
  ): Promise<ClusterProcess>;
  nats(): Promise<Nats>;
  stop(): Promise<void>;
}

/** Polls `check` until it holds or the deadline passes (the system is the witness, never a fixed sleep). */
export async function until<T>(
  check: () => Promise<T | false | null | undefined> | T | false | null | undefined,
  what: string,
  deadlineMs = 60_000,
  everyMs = 50,
): Promise<T> {
  const deadline = Date.now() + deadlineMs;
  for (;;) {
    const v = await check();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

/** A fresh PostgreSQL schema and NATS prefix; processes are started with `start`. */
export async function createCluster(opts: {
  pgUrl: string;
  natsUrl: string;
  env?: Record<string, string>;
}): Promise<Cluster> {
  const id = randomBytes(4).toString('hex');
  const schema = `c_${Date.now().toString(36)}_${id}`;
  const prefix = `c${id}`;
  const url = new URL(opts.pgUrl);
  url.searchParams.set('schema', schema);
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tocsin-cluster-'));
  const env: Record<string, string> = {
    TOCSIN_DATABASE_URL: url.toString(),
    TOCSIN_NATS_URL: opts.natsUrl,
    TOCSIN_NATS_PREFIX: prefix,
    TOCSIN_DATA_DIR: dataDir,
    TOCSIN_HOST: '127.0.0.1',
    TOCSIN_PORT: '0',
    TOCSIN_LOG_LEVEL: 'warn',
    TOCSIN_ADMIN_EMAIL: CLUSTER_ADMIN.email,
    TOCSIN_ADMIN_PASSWORD: CLUSTER_ADMIN.password,
    TOCSIN_PAGING_KEY: `cluster-paging-key-${id}-0123456789abcdef`,
    ...opts.env,
  };
  const processes: ClusterProcess[] = [];
  let natsConn: Nats | null = null;

  async function start(
    role: 'web' | 'worker' | 'all',
    name: string,
    extra: Record<string, string> = {},
    nodeArgs: string[] = [],
  ) {
    const child = spawn(process.execPath, [...nodeArgs, path.join(ROOT, 'bin/tocsin.mjs'), 'serve', '--role', role], {
      cwd: ROOT,
      env: { ...process.env, ...env, ...extra, TOCSIN_ROLE: role },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    const collect = (d: string) => {
      out += d;
      if (out.length > 2_000_000) out = out.slice(-1_000_000);
    };
    child.stdout!.setEncoding('utf8').on('data', collect);
    child.stderr!.setEncoding('utf8').on('data', collect);
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    let gone = false;
    void exited.then(() => {
      gone = true;
    });
    const url = await until(
      () => {
        if (gone) throw new Error(`${name} (${role}) exited before listening:\n${out.slice(-4000)}`);
        return /Tocsin is running at (http:\/\/\S+)/.exec(out)?.[1];
      },
      `${name} (${role}) to listen`,
      90_000,
    );
    const p: ClusterProcess = {
      name,
      role,
      url,
      child,
      output: () => out,
      exited,
      async kill() {
        if (!gone) child.kill('SIGKILL');
        await exited;
      },
      async stop() {
        if (!gone) child.kill('SIGTERM');
        return exited;
      },
    };
    processes.push(p);
    return p;
  }

  return {
    pgUrl: url.toString(),
    prefix,
    env,
    processes,
    start,
    async nats() {
      natsConn ??= await connectNats({ servers: [opts.natsUrl], prefix }, `cluster-test-${prefix}`);
      return natsConn;
    },
    async stop() {
      await Promise.all(processes.map((p) => p.kill()));
      await natsConn?.close();
      await dropNatsPrefix(prefix, opts.natsUrl);
      const c = new pg.Client({ connectionString: opts.pgUrl });
      await c.connect();
      await c.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      await c.end();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Signs the administrator in: the session cookie (for requests and SSE streams) and its CSRF token. */
export async function clusterSession(url: string): Promise<{ cookie: string; csrf: string }> {
  const res = await fetch(`${url}/api/v1/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(CLUSTER_ADMIN),
  });
  if (res.status !== 200) throw new Error(`sign-in answered ${res.status}: ${await res.text()}`);
  const info = (await res.json()) as { csrfToken: string };
  return { cookie: res.headers.getSetCookie()[0]!.split(';')[0]!, csrf: info.csrfToken };
}

/** Signs in and makes an API token with `scopes` (ingest: `events`). */
export async function clusterToken(url: string, scopes: string[]): Promise<string> {
  const { cookie, csrf } = await clusterSession(url);
  const made = await fetch(`${url}/api/v1/tokens`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', cookie, 'x-csrf-token': csrf },
    body: JSON.stringify({ name: `cluster-${randomBytes(3).toString('hex')}`, scopes }),
  });
  if (made.status !== 201 && made.status !== 200)
    throw new Error(`token answered ${made.status}: ${await made.text()}`);
  return ((await made.json()) as { token: string }).token;
}

/** Sends events to POST /api/v1/events (NDJSON); returns how many the server accepted. */
export async function sendEvents(url: string, token: string, events: object[]): Promise<number> {
  const res = await fetch(`${url}/api/v1/events`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-ndjson', authorization: `Bearer ${token}` },
    body: events.map((e) => JSON.stringify(e)).join('\n'),
  });
  const body = (await res.json()) as { accepted?: number };
  if (res.status !== 202) throw new Error(`POST /api/v1/events answered ${res.status}: ${JSON.stringify(body)}`);
  return body.accepted ?? 0;
}
