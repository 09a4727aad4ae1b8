/** Rows of customer owners as the API shows them (customers with masked contacts only). */
import type { OwnerActivity, OwnerAssignment } from '../../../shared/owner-schemas.js';
import { iso } from '../../platform/ids.js';
import type { ActivityRow } from './activity.repository.js';
import type { EscalationRow } from './escalation.repository.js';
import type { CustomerCard } from '../customer/index.js';
import type { AssignmentRow } from './owner.repository.js';

/** An assignment with what an owner may see of its customer (no sealed PII, contacts masked). */
export type AssignmentWithCustomer = AssignmentRow & { customer: CustomerCard };

/** Not yet reached and past the SLA at `now`. */
export const isOverdue = (r: { state: string; sla_due_at: number }, now: number) =>
  r.state === 'open' && Number(r.sla_due_at) < now;

export function toAssignment(
  r: AssignmentWithCustomer,
  incidentKey: string,
  names: Map<string, string>,
  nextCallback: number | null,
  now: number,
  escalations: EscalationRow[] = [],
): OwnerAssignment {
  const c = r.customer;
  return {
    incidentKey,
    customer: {
      id: c.id,
      customerNo: c.customerNo,
      name: c.name,
      phoneMasked: c.phoneMasked,
      emailMasked: c.emailMasked,
      branch: c.branch,
      tier: c.tier,
      language: c.language,
    },
    owner: { id: r.owner_id, name: names.get(r.owner_id) ?? null },
    rule: r.rule as OwnerAssignment['rule'],
    state: r.state as OwnerAssignment['state'],
    slaDueAt: iso(Number(r.sla_due_at)),
    overdue: isOverdue(r, now),
    firstContactAt: iso(r.first_contact_at),
    assignedAt: iso(Number(r.assigned_at)),
    nextCallbackAt: iso(nextCallback),
    escalations: escalations.map((e) => ({
      kind: e.kind as OwnerAssignment['escalations'][number]['kind'],
      at: iso(Number(e.created_at)),
      paged: e.page_id !== null,
      reason: e.reason,
    })),
  };
}

export const toActivity = (a: ActivityRow, names: Map<string, string>): OwnerActivity => ({
  id: a.id,
  kind: a.kind as OwnerActivity['kind'],
  channel: a.channel as OwnerActivity['channel'],
  outcome: a.outcome as OwnerActivity['outcome'],
  text: a.text,
  dueAt: iso(a.due_at),
  status: a.status as OwnerActivity['status'],
  by: a.created_by ? { id: a.created_by, name: names.get(a.created_by) ?? null } : null,
  createdAt: iso(Number(a.created_at)),
});
