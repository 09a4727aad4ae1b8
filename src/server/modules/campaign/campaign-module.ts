/** The campaign module's parts built once from their dependencies (compose-campaigns.ts). */
import type { CampaignDeps } from './campaign-context.js';
import { createFanout, FANOUT_JOB, type FanoutPayload } from './campaign-fanout.js';
import { createReceipts } from './campaign-receipts.js';
import { createSender, type SenderOptions } from './campaign-sender.js';
import { createCampaignService } from './campaign.service.js';

export function createCampaigns(deps: CampaignDeps, opts: { sender?: SenderOptions; fanoutPage?: number }) {
  const fanout = createFanout(deps, { page: opts.fanoutPage });
  deps.jobs.register<FanoutPayload>(FANOUT_JOB, (job) => fanout.run(job.payload.campaignId));
  return {
    campaigns: createCampaignService(deps),
    receipts: createReceipts(deps),
    /** The worker's sending loop (serve-worker.ts starts it; tests call `round(now)`). */
    sender: createSender(deps, opts.sender),
    /** Another sender over the same store, as another worker process runs one (tests). */
    otherSender: (o: SenderOptions = {}) => createSender(deps, { ...opts.sender, ...o }),
    fanout,
  };
}
