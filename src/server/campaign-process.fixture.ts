/**
 * A worker that only sends campaigns, in a process of its own, for test/cluster/campaign-crash.test.ts
 * (run with `node --import tsx`): the configuration comes from the TOCSIN_* environment like a server's;
 * CAMPAIGN_LEASE_MS shortens the sender's lease so a killed process's messages come back quickly.
 * Prints `ready` once sending; SIGTERM stops it gracefully.
 */
import { compose } from './compose.js';
import { loadConfig } from './platform/config.js';

const services = await compose(loadConfig(process.env), {
  skipMigrate: true,
  campaignLeaseMs: Number(process.env.CAMPAIGN_LEASE_MS ?? 5000),
  onCampaignError: (err, where) => process.stderr.write(`${where}: ${(err as Error).message}\n`),
});
services.jobs.start({ prune: false });
services.campaigns.sender.start(20);
const keepAlive = setInterval(() => {}, 60_000);
process.stdout.write('ready\n');
process.once('SIGTERM', () => {
  clearInterval(keepAlive);
  void services.close().then(() => process.exit(0));
});
