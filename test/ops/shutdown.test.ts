/**
 * Graceful shutdown of a real server process (SIGTERM): the listener closes at once while a running job
 * is let finish, then the process exits 0 having given up its store lease; a second signal ends it at
 * once, the job left running (another runner takes it when its lease ends). And a second server process
 * on the same store is refused in one line.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { migrate, openStore } from '../../src/server/platform/db/connect.js';
import { tempDir } from '../helpers/store.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const FIXTURE = path.join(ROOT, 'src/server/serve-process.fixture.ts');

interface Proc {
  child: ChildProcess;
  output(): string;
  exited: Promise<number | null>;
}

function startProcess(dir: string): Proc {
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('TOCSIN_')));
  const child = spawn(process.execPath, ['--import', 'tsx', FIXTURE], {
    cwd: ROOT,
    env: {
      ...env,
      TOCSIN_DATA_DIR: dir,
      TOCSIN_HOST: '127.0.0.1',
      TOCSIN_PORT: '0',
      TOCSIN_LOG_LEVEL: 'error',
      TOCSIN_DETECTION_THREAD: 'main',
      TOCSIN_WEB_DIR: path.join(dir, 'no-web'),
      SLOW_JOB_RELEASE: path.join(dir, 'release'),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.setEncoding('utf8').on('data', (d: string) => (out += d));
  child.stderr!.setEncoding('utf8').on('data', (d: string) => (out += d));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, output: () => out, exited };
}

/** Polls until `check` holds (a condition with a deadline, not a sleep). */
async function until(check: () => boolean | Promise<boolean>, what: string, ms = 30_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const urlOf = (p: Proc) => /Tocsin is running at (http:\/\/\S+)/.exec(p.output())?.[1];

async function jobState(dir: string): Promise<string | undefined> {
  const store = await openStore({ kind: 'sqlite', file: path.join(dir, 'tocsin.db') });
  try {
    await migrate(store);
    const row = await store.db.selectFrom('jobs').select('state').where('kind', '=', 'test.slow').executeTakeFirst();
    const lease = await store.db.selectFrom('leases').selectAll().where('name', '=', 'process:singleton').execute();
    return `${row?.state}; singleton lease ${lease.length ? 'held' : 'free'}`;
  } finally {
    await store.close();
  }
}

describe('graceful shutdown of a server process (sqlite)', { timeout: 120_000 }, () => {
  const procs: Proc[] = [];
  const dirs: string[] = [];
  afterEach(async () => {
    for (const p of procs.splice(0)) {
      if (p.child.exitCode === null && p.child.signalCode === null) p.child.kill('SIGKILL');
      await p.exited;
    }
    for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
  });
  const fresh = () => {
    const d = tempDir();
    dirs.push(d);
    return d;
  };

  it('on SIGTERM closes the listener at once, lets the running job finish, gives the store up and exits 0', async () => {
    const dir = fresh();
    const p = startProcess(dir);
    procs.push(p);
    await until(() => p.output().includes('job started'), 'the slow job to start');
    const url = urlOf(p)!;
    expect((await fetch(`${url}/readyz`)).status).toBe(200);

    p.child.kill('SIGTERM');
    // No new requests: the listener is closed while the job still runs.
    await until(
      () =>
        fetch(`${url}/healthz`).then(
          (r) => r.status === 503,
          () => true,
        ),
      'the listener to close',
    );
    expect(p.child.exitCode).toBeNull();
    expect(p.output()).not.toContain('job finished');

    fs.writeFileSync(path.join(dir, 'release'), '');
    expect(await p.exited).toBe(0);
    expect(p.output()).toContain('job finished');
    expect(await jobState(dir)).toBe('done; singleton lease free');
  });

  it('exits at once on a second signal, leaving the running job to another runner', async () => {
    const dir = fresh();
    const p = startProcess(dir);
    procs.push(p);
    await until(() => p.output().includes('job started'), 'the slow job to start');
    p.child.kill('SIGTERM');
    await until(() => p.output().includes('SIGTERM: stopping'), 'the first signal to be taken');
    p.child.kill('SIGTERM');
    expect(await p.exited).toBe(143);
    expect(p.output()).toContain('SIGTERM again: stopping now');
    expect(p.output()).not.toContain('job finished');
    expect(await jobState(dir)).toBe('running; singleton lease held');
  });

  it('refuses a second server process on the same store in one line, and starts the next one after a kill -9 at once', async () => {
    const dir = fresh();
    const first = startProcess(dir);
    procs.push(first);
    await until(() => urlOf(first) !== undefined, 'the first server');
    const second = startProcess(dir);
    procs.push(second);
    expect(await second.exited).toBe(1);
    const lines = second.output().trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(
      new RegExp(
        `^tocsin: another Tocsin server runs on this store: .+ pid ${first.child.pid} since .+; stop it, or set TOCSIN_NATS_URL to run several processes$`,
      ),
    );

    first.child.kill('SIGKILL');
    await first.exited;
    // Its pid is gone on this host: the next server takes the store over without waiting for the lease to end.
    const third = startProcess(dir);
    procs.push(third);
    await until(() => urlOf(third) !== undefined || third.child.exitCode !== null, 'the third server');
    expect(urlOf(third), third.output()).toBeDefined();
  });
});
