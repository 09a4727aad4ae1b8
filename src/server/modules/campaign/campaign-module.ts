/** The campaign module's parts built once from their dependencies (compose-campaigns.ts). */
import { defaultAudience } from './campaign-audience.repository.js';
import type { SetMembers } from './campaign-ports.js';
import type { CampaignDeps } from './campaign-context.js';
import { createFanout, FANOUT_JOB, type FanoutPayload } from './campaign-fanout.js';
import { createReceipts } from './campaign-receipts.js';
import { createSender, type SenderOptions } from './campaign-sender.js';
import { createCampaignService } from './campaign.service.js';

export function createCampaigns(
  base: Omit<CampaignDeps, 'audience'> & Partial<Pick<CampaignDeps, 'audience'>>,
  opts: { setMembers?: SetMembers; sender?: SenderOptions; fanoutPage?: number },
) {
  const deps: CampaignDeps = { ...base, audience: base.audience ?? defaultAudience(opts.setMembers) };
  const fanout = createFanout(deps, { page: opts.fanoutPage });
  deps.jobs.register<FanoutPayload>(FANOUT_JOB, (job) => fanout.run(job.payload.campaignId));
  return {
    campaigns: createCampaignService(deps),
    receipts: createReceipts(deps),
    /** The worker's sending loop (serve-worker.ts starts it; tests call `round(now)`). */
    sender: createSender(deps, opts.sender),
    fanout,
  };
}
