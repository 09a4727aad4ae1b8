/**
 * Assigning owners to an incident's affected customers, reassigning them, and the incident's view
 * (every assignment, counts per owner, overdue). Assignment is idempotent: a customer who already has an
 * owner for the incident keeps them. The SLA runs from the assignment (per tier, TOCSIN_OWNER_SLA).
 * Audit entries name the customer by id and number only: never a contact.
 */
import type { OwnerAssign } from '../../../shared/owner-schemas.js';
import { slaFor } from '../../../shared/owner-sla.js';
import type { Db } from '../../platform/db/types.js';
import { invalid } from '../../platform/errors.js';
import { newId } from '../../platform/ids.js';
import { actorOf, assertCan, type Principal } from '../auth/index.js';
import type { AuditService } from '../audit/index.js';
import type { CustomerCard } from '../customer/index.js';
import type { OwnerContext, OwnerDeps } from './owner-context.js';
import {
  type AssignmentRow,
  assignmentsFor,
  assignmentsOfIncident,
  insertAssignments,
  ownerCounts,
  updateAssignment,
} from './owner.repository.js';
import type { OwnerPicker } from './owner-pick.js';

type AuditRecord = Parameters<AuditService['append']>[2];

const audited = (r: AssignmentRow, customerNo: string) => ({
  customerId: r.customer_id,
  customerNo,
  ownerId: r.owner_id,
  rule: r.rule,
  state: r.state,
  slaDueAt: new Date(Number(r.sla_due_at)).toISOString(),
});

export function createAssignService(deps: OwnerDeps, ctx: OwnerContext, picker: OwnerPicker) {
  const { store, audit, clock, users } = deps;

  /** The customers the request names, and the keys it named that are not customers. */
  async function customersOf(
    db: Db,
    input: OwnerAssign,
    incidentId: string,
  ): Promise<{ customers: CustomerCard[]; unknown: string[] }> {
    if (input.setId !== undefined) {
      const ids = deps.audience ? await deps.audience.customerIds(db, input.setId, incidentId) : null;
      if (ids === null) {
        const message = deps.audience
          ? `affected set ${input.setId} was not found for this incident`
          : 'affected sets are not available';
        throw invalid(message, [{ path: 'setId', message, code: 'refused', params: { id: input.setId } }]);
      }
      const customers = await deps.customers.cardsByIds(ids, db);
      const known = new Set(customers.map((c) => c.id));
      return { customers, unknown: ids.filter((id) => !known.has(id)) };
    }
    const [by, keys] = input.customerIds
      ? (['id', input.customerIds] as const)
      : (['customer_no', input.customerNos!] as const);
    const customers =
      by === 'id' ? await deps.customers.cardsByIds(keys, db) : await deps.customers.cardsByNos(keys, db);
    const known = new Set(customers.map((c) => (by === 'id' ? c.id : c.customerNo)));
    return { customers, unknown: [...new Set(keys)].filter((k) => !known.has(k)) };
  }

  return {
    async assign(p: Principal, key: string, input: OwnerAssign) {
      assertCan(p, 'owner.assign');
      return store.transaction(async (tx) => {
        const ref = await ctx.visibleIncident(tx, p, key);
        const { customers, unknown } = await customersOf(tx, input, ref.id);
        const existing = new Set(
          (
            await assignmentsFor(
              tx,
              ref.id,
              customers.map((c) => c.id),
            )
          ).map((r) => r.customer_id),
        );
        const fresh = customers.filter((c) => !existing.has(c.id));
        const pick = await picker(tx);
        const now = clock.now();
        const rows: AssignmentRow[] = [];
        const records: AuditRecord[] = [];
        const unassigned: string[] = [];
        for (const c of fresh) {
          const choice = await pick(c);
          if (!choice) {
            unassigned.push(c.customerNo);
            continue;
          }
          const row: AssignmentRow = {
            id: newId(),
            incident_id: ref.id,
            customer_id: c.id,
            owner_id: choice.ownerId,
            rule: choice.rule,
            state: 'open',
            sla_due_at: now + slaFor(deps.sla, c.tier),
            first_contact_at: null,
            assigned_at: now,
            assigned_by: p.user.id,
            updated_at: now,
          };
          rows.push(row);
          records.push({
            action: 'owner.assign',
            targetType: 'customer_owner',
            targetId: row.id,
            after: audited(row, c.customerNo),
            incidents: [ref.id],
          });
        }
        await insertAssignments(tx, rows);
        if (records.length) await audit.appendMany(tx, actorOf(p), records);
        if (rows.length) ctx.announce(tx, ref);
        return { assigned: rows.length, kept: customers.length - fresh.length, unknown, unassigned };
      });
    },

    /** Gives a customer another owner (an active user), with the reason; audited with before and after. */
    async reassign(p: Principal, key: string, customerId: string, input: { ownerId: string; reason: string }) {
      assertCan(p, 'owner.assign');
      return store.transaction(async (tx) => {
        const { ref, row } = await ctx.loadCase(tx, p, key, customerId, 'owner.assign');
        if (!(await users.activeById(input.ownerId, tx)))
          throw invalid(`no active user ${input.ownerId}`, [
            {
              path: 'ownerId',
              message: `no active user ${input.ownerId}`,
              code: 'unknown_user',
              params: { id: input.ownerId },
            },
          ]);
        const { customer, ...before } = row;
        if (before.owner_id !== input.ownerId) {
          const after: AssignmentRow = {
            ...before,
            owner_id: input.ownerId,
            rule: 'reassigned',
            updated_at: clock.now(),
          };
          await updateAssignment(tx, after);
          await audit.append(tx, actorOf(p), {
            action: 'owner.reassign',
            targetType: 'customer_owner',
            targetId: row.id,
            before: audited(before, customer.customerNo),
            after: { ...audited(after, customer.customerNo), reason: input.reason },
            incidents: [ref.id],
          });
          ctx.announce(tx, ref);
          row.owner_id = after.owner_id;
          row.rule = after.rule;
        }
        return (await ctx.views(tx, [row], new Map([[ref.id, ref.key]])))[0]!;
      });
    },

    /** Every assignment of the incident (not yet reached first), counts per owner, and how many are overdue. */
    async listForIncident(p: Principal, key: string) {
      assertCan(p, 'owner.read');
      const ref = await ctx.visibleIncident(store.db, p, key);
      const [rows, counts] = await Promise.all([
        assignmentsOfIncident(store.db, ref.id),
        ownerCounts(store.db, ref.id, clock.now()),
      ]);
      const items = await ctx.views(store.db, await ctx.withCustomers(store.db, rows), new Map([[ref.id, ref.key]]));
      const names = await users.namesOf(counts.map((c) => c.ownerId));
      return {
        items,
        perOwner: counts.map((c) => ({
          owner: { id: c.ownerId, name: names.get(c.ownerId) ?? null },
          open: c.open,
          overdue: c.overdue,
        })),
        overdue: counts.reduce((n, c) => n + c.overdue, 0),
      };
    },
  };
}
