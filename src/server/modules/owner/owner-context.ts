/**
 * What the customer-owner use cases share: their dependencies, the incident (need-to-know: a restricted
 * incident answers 404 to those outside it), one assignment with the rule that an owner acts only on
 * customers assigned to them unless they manage owners, the views, and the stream event after a commit.
 */
import type { OwnerAssignment } from '../../../shared/owner-schemas.js';
import type { OwnerSla } from '../../../shared/owner-sla.js';
import type { Bus } from '../../platform/bus.js';
import { afterCommit, type Store } from '../../platform/db/connect.js';
import type { Db } from '../../platform/db/types.js';
import { forbidden, notFound } from '../../platform/errors.js';
import type { Clock } from '../../platform/ids.js';
import type { JobRunner } from '../../platform/jobs/job-runner.js';
import type { AuditService } from '../audit/index.js';
import { can, type Principal } from '../auth/index.js';
import type { IncidentRef, IncidentService } from '../incident/index.js';
import type { CustomerDirectory } from '../customer/index.js';
import type { UserService } from '../user/index.js';
import { nextCallbacks } from './activity.repository.js';
import { escalationsOf } from './escalation.repository.js';
import { type AssignmentRow, assignmentOf } from './owner.repository.js';
import { type AssignmentWithCustomer, toAssignment } from './owner.mapper.js';

/** The customers of an affected set (the scoping module, wired at merge); null when there is no such set. */
export interface AudiencePort {
  customerIds(db: Db, setId: string, incidentId: string): Promise<string[] | null>;
}

/** The paging module's page in the caller's transaction (idempotent by key); `publish` after the commit. */
export interface OwnerPager {
  page(
    tx: Db,
    req: { incidentId: string; reason: string; userIds: string[]; key: string },
  ): Promise<{ pageId: string; publish(): void }>;
}

export interface OwnerDeps {
  store: Store;
  audit: AuditService;
  bus: Bus;
  clock: Clock;
  jobs: JobRunner;
  incidents: IncidentService;
  users: UserService;
  sla: OwnerSla;
  /** The customer module's directory: who the customers are (masked). */
  customers: Pick<CustomerDirectory, 'cardsByIds' | 'cardsByNos'>;
  /** Affected sets (absent: assigning by set id answers 422). */
  audience?: AudiencePort;
  /** Pages owners on escalation (absent: escalations are recorded, nobody is paged). */
  pager?: OwnerPager;
  /** The firm's time zone: times in escalation texts (default Asia/Shanghai). */
  timeZone?: string;
}

export function ownerContext(deps: OwnerDeps) {
  const { incidents, users, bus, clock } = deps;

  async function visibleIncident(db: Db, p: Principal, key: string): Promise<IncidentRef> {
    const incident = await incidents.loadVisible(db, p, key);
    return (await incidents.refs(db, [incident.id])).get(incident.id)!;
  }

  /**
   * The assignment of `customerId` in the incident `key`; 404 when there is none, 403 when it is another
   * owner's and the principal does not manage owners (`owner.manage`).
   */
  async function loadCase(
    db: Db,
    p: Principal,
    key: string,
    customerId: string,
    /** What lets someone other than the owner in: acting on the case (`owner.manage`), or reassigning it. */
    others: 'owner.manage' | 'owner.assign' = 'owner.manage',
  ): Promise<{ ref: IncidentRef; row: AssignmentWithCustomer }> {
    const ref = await visibleIncident(db, p, key);
    const found = await assignmentOf(db, ref.id, customerId);
    const [row] = found ? await withCustomers(db, [found]) : [];
    if (!row) throw notFound(`an owner of customer ${customerId} in ${key}`);
    if (row.owner_id !== p.user.id && !can(p, others))
      throw forbidden(`customer ${row.customer.customerNo} is assigned to another owner in ${key}`);
    return { ref, row };
  }

  /** The assignments with their customers, in the same order (one whose customer is gone is left out). */
  async function withCustomers(db: Db, rows: AssignmentRow[]): Promise<AssignmentWithCustomer[]> {
    const cards = new Map(
      (
        await deps.customers.cardsByIds(
          rows.map((r) => r.customer_id),
          db,
        )
      ).map((c) => [c.id, c]),
    );
    return rows.flatMap((r) => {
      const customer = cards.get(r.customer_id);
      return customer ? [{ ...r, customer }] : [];
    });
  }

  async function views(db: Db, rows: AssignmentWithCustomer[], keys: Map<string, string>): Promise<OwnerAssignment[]> {
    const ids = rows.map((r) => r.id);
    const [names, callbacks, escalations] = await Promise.all([
      users.namesOf(
        rows.map((r) => r.owner_id),
        db,
      ),
      nextCallbacks(db, ids),
      escalationsOf(db, ids),
    ]);
    const now = clock.now();
    return rows.map((r) =>
      toAssignment(r, keys.get(r.incident_id) ?? '', names, callbacks.get(r.id) ?? null, now, escalations.get(r.id)),
    );
  }

  /** After the commit: consoles refetch the incident's owners and their worklists (nothing else travels). */
  function announce(tx: Db, ref: IncidentRef): void {
    afterCommit(tx, () => bus.publish({ event: 'owner.changed', incidentKey: ref.key, audience: ref.audience }));
  }

  return { visibleIncident, loadCase, withCustomers, views, announce };
}

export type OwnerContext = ReturnType<typeof ownerContext>;
