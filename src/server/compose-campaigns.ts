/**
 * Wires customer campaigns (issue 12): the campaign service, the fan-out job, the sender loop (started
 * by serve-worker.ts) and the receipt endpoint's service. The audience and contact ports are the
 * customer module's (`directory`, `contactsOf`) and the scoping module's (`sets.customerIds`), each
 * read in the caller's transaction.
 */
import type { Bus } from './platform/bus.js';
import type { Config } from './platform/config.js';
import type { Store } from './platform/db/connect.js';
import type { Db } from './platform/db/types.js';
import { type FieldError, invalid } from './platform/errors.js';
import type { Clock } from './platform/ids.js';
import type { JobRunner } from './platform/jobs/job-runner.js';
import { createOutboundGuard } from './platform/outbound-guard.js';
import type { AuditService } from './modules/audit/index.js';
import {
  type AudiencePort,
  type ContactPort,
  createCampaigns,
  type CustomerContact,
  type NoticePort,
} from './modules/campaign/index.js';
import type { CustomerDirectory } from './modules/customer/index.js';
import type { IncidentService } from './modules/incident/index.js';

/** The scoping module's customers of a set (null: no such set or version, or not of `incidentId`). */
type SetCustomerIds = (
  db: Db,
  q: { setId: string; version?: number; incidentId?: string; after: string | null; limit: number },
) => Promise<string[] | null>;

/** Audiences: sets through scoping, the rest through the customer directory (read when first used). */
export function campaignAudience(
  customers: { readonly directory: CustomerDirectory },
  setCustomerIds: SetCustomerIds,
): AudiencePort {
  const noSet = (setId: string, version?: number): FieldError => {
    const message = `no affected set ${setId}${version === undefined ? '' : ` version ${version}`} of this incident`;
    return { path: 'audience.setId', message, code: 'unknown_set', params: { id: setId } };
  };
  return {
    async page(db, audience, after, limit) {
      if (audience.kind === 'set') {
        const ids = await setCustomerIds(db, { setId: audience.setId, version: audience.version, after, limit });
        if (ids === null) throw invalid(noSet(audience.setId, audience.version).message, [noSet(audience.setId)]);
        return ids;
      }
      const sel = audience.kind === 'customers' ? { customerNos: audience.customerNos } : audience;
      return customers.directory.idsPage(sel, after, limit, db);
    },
    async unknown(db, audience, incidentId) {
      if (audience.kind === 'set') {
        const q = { setId: audience.setId, version: audience.version, incidentId, after: null, limit: 1 };
        return (await setCustomerIds(db, q)) === null ? [noSet(audience.setId, audience.version)] : [];
      }
      if (audience.kind !== 'segment') return [];
      const missing = await customers.directory.unknownSegmentValues(audience, db);
      return [
        ...(audience.branches ?? []).flatMap((b, i): FieldError[] =>
          missing.branches.includes(b)
            ? [
                {
                  path: `audience.branches.${i}`,
                  message: `no customer is in branch "${b}"`,
                  code: 'unknown_branch',
                  params: { value: b },
                },
              ]
            : [],
        ),
        ...(audience.tiers ?? []).flatMap((t, i): FieldError[] =>
          missing.tiers.includes(t)
            ? [
                {
                  path: `audience.tiers.${i}`,
                  message: `no customer is of tier "${t}"`,
                  code: 'unknown_tier',
                  params: { value: t },
                },
              ]
            : [],
        ),
      ];
    },
  };
}

export interface CampaignOptions {
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
    /** The customer module's directory and contacts. */
    customers: {
      directory: CustomerDirectory;
      contactsOf(ids: readonly string[], db: Db): Promise<CustomerContact[]>;
    };
    /** The scoping module's customers of a set. */
    setCustomerIds: SetCustomerIds;
  },
  opts: CampaignOptions,
) {
  const { config } = core;
  const guard = createOutboundGuard({
    denyCidrs: config.probes.denyCidrs,
    allowCidrs: config.probes.allowCidrs,
    allowLoopback: config.probes.allowLoopback,
  });
  const { customers, setCustomerIds, ...rest } = core;
  const contacts: ContactPort = {
    contacts: (db, ids) => customers.contactsOf(ids, db),
    idOfNo: (db, no) => customers.directory.idOfNo(no, db),
    cards: (db, ids) => customers.directory.cardsByIds(ids, db),
  };
  return createCampaigns(
    {
      ...rest,
      audience: campaignAudience(customers, setCustomerIds),
      contacts,
      gateway: config.notifyGateway,
      mail: config.mail,
      guard,
    },
    {
      sender: { publicUrl: config.publicUrl, onError: opts.onCampaignError, leaseMs: opts.campaignLeaseMs },
    },
  );
}
