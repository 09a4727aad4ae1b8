/**
 * The live side of the obligation module (docs/obligations.md, Live clocks): clocks re-evaluated in the
 * transactions of incident changes, the firm profile and regulatory facts, reading, warnings, and the
 * reaction to a report's submission (`obligation.report_submitted`, published by the report module).
 */
import type { FirmProfile } from '../../../shared/obligation-clock-schemas.js';
import type { Bus } from '../../platform/bus.js';
import type { Store } from '../../platform/db/connect.js';
import type { Db } from '../../platform/db/types.js';
import type { Clock } from '../../platform/ids.js';
import type { AuditService } from '../audit/index.js';
import type { IncidentService } from '../incident/index.js';
import type { UserService } from '../user/index.js';
import { bundledObligationCatalog, type ObligationCatalog } from './catalog.js';
import { createClockService } from './clocks.service.js';
import { createClocksView } from './clocks-view.service.js';
import type { ObligationEvents } from './obligation-events.js';
import { createProfileService, createProfileStore } from './profile.service.js';
import { createWarningService, type ObligationPager } from './warnings.service.js';

const SUBMITTED_ACTOR = { id: null, label: 'system (obligation clocks)' };

export function createObligations(deps: {
  store: Store;
  bus: Bus;
  clock: Clock;
  audit: AuditService;
  users: UserService;
  incidents: IncidentService;
  pager: ObligationPager;
  catalog?: ObligationCatalog;
  /** The profile shown until one is saved. */
  firmDefaults?: FirmProfile;
}) {
  const { store, bus, clock, audit, users, incidents, pager } = deps;
  const catalog = deps.catalog ?? bundledObligationCatalog();
  const profiles = createProfileStore(deps.firmDefaults);
  const clocks = createClockService({ store, bus, clock, incidents, catalog, profiles });
  const view = createClocksView({ store, clock, incidents, catalog, profiles });
  const profileService = createProfileService({
    store,
    audit,
    clock,
    incidents,
    profiles,
    reevaluate: clocks.reevaluate,
  });
  const warnings = createWarningService({ store, clock, audit, incidents, users, catalog, clocks, pager });
  return {
    /** In the transaction of an incident's change (the incident module's `onChanged`). */
    reevaluate: (tx: Db, incidentId: string) => clocks.reevaluate(tx, incidentId),
    /** Sends the read `reevaluate` starts with (the firm's profile) now, pipelined in `tx`. */
    prime: (tx: Db) => profiles.prime(tx),
    view,
    profiles: profileService,
    warnings,
    /** The outbox handler of `obligation.report_submitted`: the stage is met (or met late), audited. */
    async onReportSubmitted(e: ObligationEvents['obligation.report_submitted']): Promise<void> {
      await store.transaction(async (tx) => {
        const row = await clocks.submitted(tx, e);
        if (row)
          await audit.append(tx, SUBMITTED_ACTOR, {
            action: 'obligation.met',
            targetType: 'obligation_clock',
            targetId: row.id,
            after: {
              obligation: row.obligation,
              stage: row.stage,
              status: row.status,
              submittedAt: new Date(e.submittedAt).toISOString(),
              reportId: e.reportId,
            },
            incidents: [e.incidentId],
          });
      });
    },
  };
}
export type Obligations = ReturnType<typeof createObligations>;
