/** What the campaign module's parts share: dependencies, and the campaign as the API shows it. */
import type { Campaign, CampaignAudience, CampaignThrottle, QuietHours } from '../../../shared/campaign-schemas.js';
import type { Bus } from '../../platform/bus.js';
import type { Store } from '../../platform/db/connect.js';
import type { Db } from '../../platform/db/types.js';
import { type Clock, iso } from '../../platform/ids.js';
import type { JobRunner } from '../../platform/jobs/job-runner.js';
import type { OutboundGuard } from '../../platform/outbound-guard.js';
import type { AuditService } from '../audit/index.js';
import type { IncidentService } from '../incident/index.js';
import type { AudiencePort, ContactPort } from './campaign-ports.js';
import type { CampaignRow } from './campaign.repository.js';
import type { NoticeText } from './campaign-render.js';

/** The statement module's answer: the text of an approved or published `customer_notice` of the incident, else null. */
export interface NoticePort {
  noticeText(db: Db, statementId: string, incidentId: string): Promise<NoticeText | null>;
}

export interface CampaignDeps {
  store: Store;
  audit: AuditService;
  bus: Bus;
  clock: Clock;
  jobs: JobRunner;
  incidents: IncidentService;
  notices: NoticePort;
  audience: AudiencePort;
  contacts: ContactPort;
  /** SMS and push: the notify gateway (null: those messages fail, `gateway_error`). */
  gateway: { url: string; secret: string } | null;
  /** Email: SMTP (null: email messages fail, `no_smtp`). */
  mail: { smtpUrl: string | null; from: string };
  guard: OutboundGuard;
}

export const parseJson = <T>(text: string): T => JSON.parse(text) as T;

export function toCampaign(r: CampaignRow, incidentKey: string): Campaign {
  return {
    id: r.id,
    incidentKey,
    name: r.name,
    statementId: r.statement_id,
    audience: parseJson<CampaignAudience>(r.audience),
    channels: parseJson(r.channels),
    mandatory: Number(r.mandatory) === 1,
    urgent: Number(r.urgent) === 1,
    quietHours: r.quiet_hours === null ? null : parseJson<QuietHours>(r.quiet_hours),
    throttle: parseJson<CampaignThrottle>(r.throttle),
    priorityTiers: parseJson(r.priority_tiers),
    state: r.state as Campaign['state'],
    messageCount: Number(r.message_count),
    fanoutDone: Number(r.fanout_done) === 1,
    createdAt: iso(Number(r.created_at)),
    launchedAt: iso(r.launched_at === null ? null : Number(r.launched_at)),
    finishedAt: iso(r.finished_at === null ? null : Number(r.finished_at)),
  };
}
