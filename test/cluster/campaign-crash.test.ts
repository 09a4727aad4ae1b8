/**
 * Exactly once at the gateway across a crash (PostgreSQL; required in CI): a 100,000-message campaign
 * is sent by a worker process to the notify gateway stand-in (in this test process); the worker is
 * killed with SIGKILL mid-way and a new one started. At the end the gateway accepted every message's
 * key exactly once (a resend after the crash is answered from the gateway's replay memory,
 * `Idempotent-Replayed: true`, and never accepted again) and every message row is sent.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compose, type Services } from '../../src/server/compose.js';
import { notifyGateway, type NotifyStandIn } from '../../src/server/sandbox/notify.js';
import { approvedNotice, manyCustomers, seedCustomers } from '../helpers/campaigns.js';
import { buildIncident, buildPrincipal } from '../helpers/fixtures.js';
import { PG_URL, testConfig } from '../helpers/store.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const FIXTURE = path.join(ROOT, 'src/server/campaign-process.fixture.ts');
const N = 100_000;
const SECRET = 'notify-gateway-secret-of-the-crash-test';
const SECRET_KEY = 'ab'.repeat(32);

if (!PG_URL)
  console.warn('[tocsin tests] campaign crash-restart test skipped: set TOCSIN_TEST_DATABASE_URL (CI must).');

function worker(env: Record<string, string>): { child: ChildProcess; output: () => string; exited: Promise<void> } {
  const child = spawn(process.execPath, ['--import', 'tsx', FIXTURE], {
    cwd: ROOT,
    env: { ...process.env, ...env },
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

async function until(check: () => Promise<boolean> | boolean, what: string, deadlineMs: number): Promise<void> {
  const deadline = Date.now() + deadlineMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe.skipIf(!PG_URL)('campaign sending survives a SIGKILL (postgres)', () => {
  let s: Services;
  let gw: NotifyStandIn;
  let drop: () => Promise<void>;
  let env: Record<string, string>;
  const children: ReturnType<typeof worker>[] = [];

  beforeAll(async () => {
    gw = notifyGateway(SECRET, undefined, { record: false });
    const url = await gw.listen(0);
    env = {
      TOCSIN_NOTIFY_GATEWAY_URL: url,
      TOCSIN_NOTIFY_GATEWAY_SECRET: SECRET,
      TOCSIN_SECRET_KEY: SECRET_KEY,
      TOCSIN_PROBE_ALLOW_LOOPBACK: 'true',
      TOCSIN_PUBLIC_URL: 'https://tocsin.firm.example',
      TOCSIN_LOG_LEVEL: 'silent',
      TOCSIN_DETECTION_THREAD: 'main',
    };
    const t = testConfig('postgres', env);
    drop = t.drop;
    const db = t.config.database as { kind: 'postgres'; url: string; schema?: string };
    const dbUrl = new URL(db.url);
    dbUrl.searchParams.set('schema', db.schema!);
    env.TOCSIN_DATABASE_URL = dbUrl.toString();
    env.TOCSIN_DATA_DIR = t.config.dataDir;
    s = await compose(t.config);
  }, 120_000);

  afterAll(async () => {
    for (const c of children) c.child.kill('SIGKILL');
    await Promise.all(children.map((c) => c.exited));
    await s?.close();
    await gw?.close();
    await drop?.();
  });

  it('every key accepted exactly once, every message sent', async () => {
    const t0 = Date.now();
    const phase = (what: string) =>
      process.stderr.write(`[campaign-crash] ${what} at ${((Date.now() - t0) / 1000).toFixed(1)} s\n`);
    const admin = await buildPrincipal(s);
    const incident = await buildIncident(s, { by: admin });
    const notice = await approvedNotice(s, incident.id);
    await seedCustomers(s, manyCustomers(N));
    const campaign = await s.campaigns.campaigns.create(admin, incident.key, {
      name: 'Crash test',
      statementId: notice,
      audience: { kind: 'segment' },
      channels: ['sms'],
      mandatory: true,
      urgent: true,
      quietHours: null,
      throttle: { sms: 100_000 },
      priorityTiers: ['vip'],
    });
    phase('customers seeded');
    await s.campaigns.campaigns.launch(admin, campaign.id);
    // The fan-out (a durable job) here; the sending in the worker processes.
    while ((await s.jobs.runDue()) > 0);
    expect((await s.campaigns.campaigns.get(admin, campaign.id)).messageCount).toBe(N);

    phase('fanned out');
    const first = worker(env);
    children.push(first);
    await until(() => gw.accepted.size >= N * 0.3, 'a third of the messages at the gateway', 120_000);
    first.child.kill('SIGKILL');
    await first.exited;
    const atKill = gw.accepted.size;
    phase(`killed with ${atKill} accepted`);
    expect(atKill).toBeLessThan(N);

    const second = worker(env);
    children.push(second);
    const counts = async () =>
      (await s.campaigns.campaigns.messages(admin, campaign.id, { limit: 1 })).counts.total ?? {};
    await until(
      async () => {
        const c = await counts();
        return (c.sent ?? 0) + (c.delivered ?? 0) === N;
      },
      `every message sent (second worker: ${second.output().slice(-500)})`,
      240_000,
    );
    phase('all sent');
    expect(gw.accepted.size).toBe(N);
    const twice = [...gw.accepted.entries()].filter(([, n]) => n !== 1);
    expect(twice).toEqual([]);
    expect(await counts()).toEqual({ sent: N });
    expect((await s.campaigns.campaigns.get(admin, campaign.id)).state).toBe('done');
  }, 420_000);
});
