/**
 * Wires customer campaigns (issue 12): the campaign service, the fan-out job, the sender loop (started
 * by serve-worker.ts) and the receipt endpoint's service. The audience and contact ports default to the
 * customer tables; `campaignPorts` replaces them (the customer and scoping modules at merge), and
 * `setMembers` gives affected-customer sets.
 */
import type { Bus } from './platform/bus.js';
import type { Config } from './platform/config.js';
import type { Store } from './platform/db/connect.js';
import type { Clock } from './platform/ids.js';
import type { JobRunner } from './platform/jobs/job-runner.js';
import { createOutboundGuard } from './platform/outbound-guard.js';
import type { AuditService } from './modules/audit/index.js';
import {
  type AudiencePort,
  type ContactPort,
  createCampaigns,
  type NoticePort,
  type SetMembers,
} from './modules/campaign/index.js';
import type { IncidentService } from './modules/incident/index.js';

export interface CampaignOptions {
  /** Other audience / contact sources than the customer and scoping modules (tests). */
  campaignPorts?: { audience?: AudiencePort; contacts?: ContactPort; setMembers?: SetMembers };
  /** Told about failures of the sender's loop. */
  onCampaignError?: (err: unknown, where: string) => void;
  /** How long the sender holds claimed messages (ms; default 2 min): a dead sender's messages wait this long. */
  campaignLeaseMs?: number;
}

export function wireCampaigns(
  core: {
    store: Store;
    config: Config;
    clock: Clock;
    bus: Bus;
    jobs: JobRunner;
    audit: AuditService;
    incidents: IncidentService;
    notices: NoticePort;
    /** The customer module's contacts; the scoping module's set members. */
    contacts: ContactPort;
    setMembers: SetMembers;
  },
  opts: CampaignOptions,
) {
  const { config } = core;
  const guard = createOutboundGuard({
    denyCidrs: config.probes.denyCidrs,
    allowCidrs: config.probes.allowCidrs,
    allowLoopback: config.probes.allowLoopback,
  });
  return createCampaigns(
    {
      ...core,
      audience: opts.campaignPorts?.audience,
      contacts: opts.campaignPorts?.contacts ?? core.contacts,
      gateway: config.notifyGateway,
      mail: config.mail,
      guard,
    },
    {
      setMembers: opts.campaignPorts?.setMembers ?? core.setMembers,
      sender: { publicUrl: config.publicUrl, onError: opts.onCampaignError, leaseMs: opts.campaignLeaseMs },
    },
  );
}
