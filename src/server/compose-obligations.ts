/**
 * Wires the live regulatory obligation clocks (issue 13, docs/obligations.md): re-evaluated in the
 * transaction of every incident change (the incident module's `onChanged`, bound here once both
 * exist), warnings paged through the paging module, and the report module's `obligation.report_submitted`
 * heard through the outbox.
 */
import type { Bus } from './platform/bus.js';
import type { Store } from './platform/db/connect.js';
import type { Clock } from './platform/ids.js';
import type { Outbox } from './platform/jobs/outbox.js';
import type { AuditService } from './modules/audit/index.js';
import type { IncidentService } from './modules/incident/index.js';
import {
  createObligations,
  type ObligationCatalog,
  type ObligationPager,
  type Obligations,
} from './modules/obligation/index.js';
import type { UserService } from './modules/user/index.js';
import type { DomainEvents } from './compose-response.js';

export function wireObligations(core: {
  /** The obligation catalog in force (the firm's copy or the shipped one). */
  catalog: ObligationCatalog;
  store: Store;
  bus: Bus;
  clock: Clock;
  audit: AuditService;
  users: UserService;
  incidents: IncidentService;
  outbox: Outbox<DomainEvents>;
  pager: ObligationPager;
}): Obligations {
  const obligations = createObligations(core);
  core.outbox.subscribe('obligation.report_submitted', 'obligation-clocks', async (e) => {
    await obligations.onReportSubmitted(e.payload);
  });
  return obligations;
}
