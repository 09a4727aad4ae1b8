/**
 * Runners in several processes on one PostgreSQL schema: no job runs twice; a job that runs long keeps its
 * lease while its process lives (renewed), and one whose process was killed (SIGKILL) mid-run is done by
 * another runner once its last lease ends. PostgreSQL only (the embedded
 * SQLite store serves one server process).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PG_URL, testConfig } from '../../../../test/helpers/store.js';
import { migrate, openStore, type Store } from '../db/connect.js';
import { createJobRunner } from './job-runner.js';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(HERE, '../../../..');
const FIXTURE = path.join(HERE, 'job-process.fixture.ts');

interface RunnerProcess {
  child: ChildProcess;
  output(): string;
  exited: Promise<void>;
}

function startRunnerProcess(
  database: { kind: 'postgres'; url: string; schema?: string },
  mode: 'note' | 'hang',
  env: Record<string, string> = {},
): RunnerProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', FIXTURE], {
    cwd: ROOT,
    env: {
      ...process.env,
      JOBS_DATABASE_URL: database.url,
      JOBS_SCHEMA: database.schema ?? '',
      JOBS_MODE: mode,
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.setEncoding('utf8').on('data', (d: string) => {
    out += d;
  });
  child.stderr!.setEncoding('utf8').on('data', (d: string) => {
    out += d;
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return { child, output: () => out, exited };
}

/** Polls `check` until it holds or the deadline passes (the store is the witness, not the wall clock). */
async function until(check: () => Promise<boolean>, what: string, deadlineMs = 60_000): Promise<void> {
  const deadline = Date.now() + deadlineMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe.skipIf(!PG_URL)('job runners in several processes (postgres)', () => {
  let store: Store;
  let drop: () => Promise<void>;
  let database: { kind: 'postgres'; url: string; schema?: string };
  const children: RunnerProcess[] = [];

  beforeEach(async () => {
    const t = testConfig('postgres');
    drop = t.drop;
    if (t.config.database.kind !== 'postgres') throw new Error('expected postgres');
    database = t.config.database;
    store = await openStore(database);
    await migrate(store);
  });
  afterEach(async () => {
    for (const c of children.splice(0)) {
      if (c.child.exitCode === null && c.child.signalCode === null) c.child.kill('SIGKILL');
      await c.exited;
    }
    await store.close();
    await drop();
  });

  const stateCount = async (state: string) =>
    Number(
      (
        await store.db
          .selectFrom('jobs')
          .select((eb) => eb.fn.countAll().as('n'))
          .where('state', '=', state as 'done')
          .executeTakeFirstOrThrow()
      ).n,
    );

  it('shares one queue between two processes without running a job twice', async () => {
    const enqueuer = createJobRunner({ store, clock: { now: () => Date.now() } });
    enqueuer.register('test.note', async () => {
      throw new Error('the test process runs no job');
    });
    const a = startRunnerProcess(database, 'note');
    const b = startRunnerProcess(database, 'note');
    children.push(a, b);
    // Both polling before the jobs appear, so they compete for them.
    await until(async () => a.output().includes('ready') && b.output().includes('ready'), 'both runners ready');
    const N = 300;
    await store.transaction(async (tx) => {
      for (let n = 0; n < N; n++) await enqueuer.enqueue(tx, { kind: 'test.note', payload: { n } });
    });
    await until(async () => (await stateCount('done')) === N, `${N} jobs done`);
    for (const c of [a, b]) c.child.kill('SIGTERM');
    await Promise.all([a.exited, b.exited]);
    const ran = (c: RunnerProcess) => [...c.output().matchAll(/^ran (\d+)$/gm)].map((m) => Number(m[1]));
    const all = [...ran(a), ...ran(b)].sort((x, y) => x - y);
    expect(all).toEqual(Array.from({ length: N }, (_, n) => n));
    expect(ran(a).length).toBeGreaterThan(0);
    expect(ran(b).length).toBeGreaterThan(0);
    expect(await stateCount('running')).toBe(0);
    const attempts = await store.db.selectFrom('jobs').select('attempts').distinct().execute();
    expect(attempts).toEqual([{ attempts: 1 }]);
  });

  it('renews the lease of a job that runs long while its process lives; once the process is killed, the job is taken when the last lease ends', async () => {
    let now = Date.now();
    const survivor = createJobRunner({ store, clock: { now: () => now }, name: 'survivor' });
    const ranHere: string[] = [];
    survivor.register('test.hang', async (job) => {
      ranHere.push(job.id);
    });
    const id = (await store.transaction((tx) => survivor.enqueue(tx, { kind: 'test.hang', payload: {} })))!;
    // A lease of 1.5 s, renewed every half second (the loop's tick in the child is 20 ms).
    const victim = startRunnerProcess(database, 'hang', { JOBS_LEASE_MS: '1500' });
    children.push(victim);
    await until(async () => victim.output().includes(`started ${id}`), 'the job to start in the child');
    const leaseOf = async () =>
      Number(
        (await store.db.selectFrom('jobs').select('lease_until').where('id', '=', id).executeTakeFirstOrThrow())
          .lease_until,
      );
    const claimed = await leaseOf();
    await until(async () => (await leaseOf()) > claimed + 1000, 'the lease renewed twice');
    expect(await survivor.job(id)).toMatchObject({ state: 'running', attempts: 1 });
    victim.child.kill('SIGKILL');
    await victim.exited;
    const last = await leaseOf();
    expect(await survivor.runDue(last - 1)).toBe(0);
    now = last;
    expect(await survivor.runDue(now)).toBe(1);
    expect(ranHere).toEqual([id]);
    expect(await survivor.job(id)).toMatchObject({ state: 'done', attempts: 2 });
  });
});
