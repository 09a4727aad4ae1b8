/**
 * The campaign cases of bench:notify on one store (issue 12, "Speed"):
 * - `campaign_fanout`: a launched campaign over all N customers (a segment audience, SMS and email by
 *   each customer's preference), its fan-out job run to the end — every message rendered and written
 *   to `campaign_messages` a page per transaction. Timed from the launch to the last page.
 * - `campaign_delivery`, once per channel: a campaign over the first D customers (their branches) on
 *   that channel alone, fanned out untimed, then the sender's rounds timed until every message is sent
 *   — SMS to the notify gateway stand-in, email to the SMTP stand-in, both in this process (throttle at
 *   its maximum, 100,000/s, so the sender and the stand-ins set the pace).
 * The customers (PII sealed by the customer module's own sealer, phone and email each) are generated
 * once per size and kept: SQLite under .tmp/bench-notify/campaign-<N>/, PostgreSQL in schema
 * bench_campaign_<N> (marked ready by a table `bench_campaign_ready`). The messages each run writes
 * are deleted afterwards, so runs do not pile up rows.
 */
import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { compose, type Services } from '../src/server/compose.js';
import type { Principal } from '../src/server/modules/auth/index.js';
import { loadConfig } from '../src/server/platform/config.js';
import { newId } from '../src/server/platform/ids.js';
import { SmtpStandIn } from '../src/server/sandbox/mail.js';
import { notifyGateway } from '../src/server/sandbox/notify.js';
import { approvedNotice } from '../test/helpers/campaigns.js';
import { buildIncident, buildPrincipal } from '../test/helpers/fixtures.js';

const SECRET_KEY = 'cd'.repeat(32);
const GATEWAY_SECRET = 'notify-gateway-secret-of-the-bench';
/** Customers per branch: a delivery audience is the first branches (`d0`, `d1`, ...). */
const PER_BRANCH = 1000;
const SEED_BATCH = 1000;

const log = (msg: string) => process.stderr.write(`[bench:notify] ${msg}\n`);
const out = (line: Record<string, unknown>) => process.stdout.write(`${JSON.stringify(line)}\n`);

export interface CampaignBenchOptions {
  store: 'sqlite' | 'postgres';
  messages: number;
  deliver: number;
  cacheDir: string;
  pgUrl: string | null;
}

/** Customers 1..n: phone and email each, every other one preferring email, every fifth in English, every tenth a VIP. */
async function seed(s: Services, n: number): Promise<void> {
  const t0 = performance.now();
  const now = Date.now();
  for (let from = 1; from <= n; from += SEED_BATCH) {
    const rows = [];
    for (let k = from; k < Math.min(n + 1, from + SEED_BATCH); k++) {
      const id = newId();
      rows.push({
        id,
        customer_no: `C${String(k).padStart(8, '0')}`,
        name: `客户${k}`,
        ...s.customers.seal(id, { phone: `138${String(k).padStart(8, '0')}`, email: `c${k}@bench.example` }),
        language: k % 5 === 0 ? 'en' : 'zh-CN',
        channel: k % 2 === 0 ? 'email' : 'sms',
        branch: `d${Math.floor((k - 1) / PER_BRANCH)}`,
        tier: k % 10 === 0 ? 'vip' : 'standard',
        account_manager: null,
        opt_outs: '[]',
        source: 'demo',
        version: 1,
        created_at: now,
        updated_at: now,
      });
    }
    await s.store.db.insertInto('customers').values(rows).execute();
    const done = Math.min(n, from + SEED_BATCH - 1);
    if (done % 100_000 === 0 || done === n)
      log(
        `${s.store.dialect}: ${done} of ${n} customers sealed and written, ${((performance.now() - t0) / 1000).toFixed(1)} s`,
      );
  }
}

/** The environment of a cached store (created and seeded when missing). */
async function cachedStore(o: CampaignBenchOptions, extra: Record<string, string>): Promise<Record<string, string>> {
  const dir = path.join(o.cacheDir, `campaign-${o.messages}`);
  const env: Record<string, string> = {
    TOCSIN_DATA_DIR: dir,
    TOCSIN_SECRET_KEY: SECRET_KEY,
    TOCSIN_LOG_LEVEL: 'silent',
    TOCSIN_PORT: '0',
    ...extra,
  };
  if (o.store === 'sqlite') {
    const ready = path.join(dir, 'ready');
    if (!fs.existsSync(ready)) {
      fs.rmSync(dir, { recursive: true, force: true });
      fs.mkdirSync(dir, { recursive: true });
      const t0 = performance.now();
      const s = await compose(loadConfig(env), { sink: () => {} });
      await seed(s, o.messages).finally(() => s.close());
      fs.writeFileSync(ready, '');
      log(`sqlite: campaign data generated in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    }
    return env;
  }
  if (!o.pgUrl) throw new Error('PostgreSQL needs TOCSIN_BENCH_DATABASE_URL or TOCSIN_TEST_DATABASE_URL');
  fs.mkdirSync(dir, { recursive: true });
  const schema = `bench_campaign_${o.messages}`;
  const u = new URL(o.pgUrl);
  u.searchParams.set('schema', schema);
  env.TOCSIN_DATABASE_URL = u.toString();
  const c = new pg.Client({ connectionString: o.pgUrl });
  await c.connect();
  try {
    const r = await c.query('SELECT 1 FROM information_schema.tables WHERE table_schema = $1 AND table_name = $2', [
      schema,
      'bench_campaign_ready',
    ]);
    if (r.rowCount) return env;
    await c.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    const t0 = performance.now();
    const s = await compose(loadConfig(env), { sink: () => {} });
    await seed(s, o.messages).finally(() => s.close());
    await c.query(`CREATE TABLE "${schema}".bench_campaign_ready (at bigint)`);
    log(`postgres: campaign data generated in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    return env;
  } finally {
    await c.end();
  }
}

async function campaignOf(
  s: Services,
  p: Principal,
  incident: { id: string; key: string },
  notice: string,
  body: { name: string; branches?: string[]; channels: ('sms' | 'email')[] },
) {
  return s.campaigns.campaigns.create(p, incident.key, {
    name: body.name,
    statementId: notice,
    audience: { kind: 'segment', ...(body.branches ? { branches: body.branches } : {}) },
    channels: body.channels,
    mandatory: true,
    urgent: false,
    quietHours: null,
    throttle: { sms: 100_000, email: 100_000 },
    priorityTiers: ['vip'],
  });
}

/** Deletes a bench campaign's messages and the campaign (not timed). */
async function forget(s: Services, campaignId: string): Promise<void> {
  await s.store.db.deleteFrom('campaign_messages').where('campaign_id', '=', campaignId).execute();
  await s.store.db.updateTable('campaigns').set({ state: 'cancelled' }).where('id', '=', campaignId).execute();
}

export async function runCampaignBench(o: CampaignBenchOptions): Promise<void> {
  const gw = notifyGateway(GATEWAY_SECRET, undefined, { record: false });
  const smtp = new SmtpStandIn();
  const gwUrl = await gw.listen(0);
  const smtpPort = await smtp.listen(0);
  const env = await cachedStore(o, {
    TOCSIN_NOTIFY_GATEWAY_URL: gwUrl,
    TOCSIN_NOTIFY_GATEWAY_SECRET: GATEWAY_SECRET,
    TOCSIN_SMTP_URL: `smtp://127.0.0.1:${smtpPort}`,
    TOCSIN_PROBE_ALLOW_LOOPBACK: 'true',
  });
  const s = await compose(loadConfig(env), { sink: () => {} });
  try {
    // A fresh administrator each run (the store is kept between runs).
    const admin = await buildPrincipal(s, { email: `bench-${Date.now()}@bench.example` });
    const incident = await buildIncident(s, { by: admin });
    const notice = await approvedNotice(s, incident.id);

    const fan = await campaignOf(s, admin, incident, notice, { name: 'Bench fan-out', channels: ['sms', 'email'] });
    const t0 = performance.now();
    await s.campaigns.campaigns.launch(admin, fan.id);
    while ((await s.jobs.runDue()) > 0);
    const elapsed = (performance.now() - t0) / 1000;
    const messages = (await s.campaigns.campaigns.get(admin, fan.id)).messageCount;
    out({
      case: 'campaign_fanout',
      store: o.store,
      messages,
      elapsed_s: Number(elapsed.toFixed(2)),
      per_s: Math.round(messages / elapsed),
    });
    await forget(s, fan.id);

    const d = Math.min(o.deliver, o.messages);
    const branches = Array.from({ length: Math.ceil(d / PER_BRANCH) }, (_, j) => `d${j}`);
    for (const channel of ['sms', 'email'] as const) {
      const c = await campaignOf(s, admin, incident, notice, {
        name: `Bench ${channel}`,
        branches,
        channels: [channel],
      });
      await s.campaigns.campaigns.launch(admin, c.id);
      while ((await s.jobs.runDue()) > 0);
      const total = (await s.campaigns.campaigns.get(admin, c.id)).messageCount;
      const t1 = performance.now();
      for (;;) {
        if ((await s.campaigns.sender.round()) > 0) continue;
        const { counts } = await s.campaigns.campaigns.messages(admin, c.id, { limit: 1 });
        if (!counts.total?.queued && !counts.total?.sending) break;
        await new Promise((r) => setTimeout(r, 50)); // a retry waits for its backoff
      }
      const took = (performance.now() - t1) / 1000;
      out({
        case: 'campaign_delivery',
        store: o.store,
        messages: total,
        channel,
        elapsed_s: Number(took.toFixed(2)),
        per_s: Math.round(total / took),
      });
      await forget(s, c.id);
    }
  } finally {
    await s.close();
    await gw.close();
    await smtp.close();
  }
}
