/**
 * bench:notify-fanout — the campaign fan-out (issue 12): N customers (BENCH_CUSTOMERS, default
 * 1,000,000) seeded into a fresh store (BENCH_STORE=sqlite, the default, or postgres on
 * TOCSIN_TEST_DATABASE_URL), then a launched campaign's fan-out job run to the end: every customer's
 * message rendered and written to `campaign_messages` in multi-row inserts, a page per transaction.
 * Seeding is not timed. One JSON line on stdout:
 * {"case":"campaign_fanout","store","messages","elapsed_s","per_s"}; progress on stderr.
 */
import { compose } from '../src/server/compose.js';
import { approvedNotice, manyCustomers, seedCustomers } from '../test/helpers/campaigns.js';
import { buildIncident, buildPrincipal } from '../test/helpers/fixtures.js';
import { testConfig } from '../test/helpers/store.js';

const N = Number(process.env.BENCH_CUSTOMERS ?? 1_000_000);
const STORE = process.env.BENCH_STORE === 'postgres' ? 'postgres' : 'sqlite';
const log = (msg: string) => process.stderr.write(`[bench:notify-fanout] ${msg}\n`);

const { config, drop } = testConfig(STORE, { TOCSIN_SECRET_KEY: 'cd'.repeat(32) });
const s = await compose(config);
try {
  const admin = await buildPrincipal(s);
  const incident = await buildIncident(s, { by: admin });
  const notice = await approvedNotice(s, incident.id);
  for (let from = 1; from <= N; from += 50_000) {
    await seedCustomers(s, manyCustomers(Math.min(50_000, N - from + 1), from));
    log(`seeded ${Math.min(N, from + 49_999)} customers`);
  }
  const campaign = await s.campaigns.campaigns.create(admin, incident.key, {
    name: 'Bench',
    statementId: notice,
    audience: { kind: 'segment' },
    channels: ['sms', 'email'],
    mandatory: true,
    urgent: false,
    quietHours: null,
    throttle: { sms: 100 },
    priorityTiers: ['vip'],
  });
  const started = performance.now();
  await s.campaigns.campaigns.launch(admin, campaign.id);
  while ((await s.jobs.runDue()) > 0);
  const elapsed = (performance.now() - started) / 1000;
  const messages = (await s.campaigns.campaigns.get(admin, campaign.id)).messageCount;
  process.stdout.write(
    `${JSON.stringify({
      case: 'campaign_fanout',
      store: STORE,
      messages,
      elapsed_s: Number(elapsed.toFixed(2)),
      per_s: Math.round(messages / elapsed),
    })}\n`,
  );
} finally {
  await s.close();
  await drop();
}
