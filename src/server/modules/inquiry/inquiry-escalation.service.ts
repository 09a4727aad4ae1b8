/**
 * Escalation of overdue inquiries (issue 12, "SLA timers and escalation to the customer's owner"): an
 * open inquiry past its SLA goes to the customer's owner (the owner module's port: the owner for its
 * incident, else whom the assignment rules pick), who is paged about the incident; the inquiry is
 * assigned to them and keeps when and to whom it was escalated (the inbox shows it). Once per inquiry,
 * audited (`inquiry.escalate`). `sweep()` is run by the run-once scheduler `customer-escalation`.
 */
import type { Actor } from '../audit/index.js';
import { audited, type InquiryDeps } from './inquiry-context.js';
import { type InquiryRow, overdueUnescalated, updateInquiry } from './inquiry.repository.js';

const ESCALATION_ACTOR: Actor = { id: null, label: 'escalation' };
const BATCH = 200;

export function createInquiryEscalation(deps: InquiryDeps) {
  const { store, audit, clock } = deps;

  async function one(row: InquiryRow): Promise<boolean> {
    const port = deps.escalation;
    if (!port) return false;
    const publish = await store.transaction(async (tx) => {
      const e = await port.escalateInquiry(tx, {
        inquiryId: row.id,
        reference: row.reference,
        incidentId: row.incident_id,
        customerId: row.customer_id,
      });
      if (!e) return null;
      const now = clock.now();
      const after: InquiryRow = {
        ...row,
        assignee_id: e.ownerId,
        status: 'assigned',
        escalated_at: now,
        escalated_to: e.ownerId,
        updated_at: now,
      };
      await updateInquiry(tx, row.id, {
        assignee_id: after.assignee_id,
        status: after.status,
        escalated_at: now,
        escalated_to: e.ownerId,
        updated_at: now,
      });
      await audit.append(tx, ESCALATION_ACTOR, {
        action: 'inquiry.escalate',
        targetType: 'customer_inquiry',
        targetId: row.id,
        before: audited(row),
        after: { ...audited(after), escalatedTo: e.ownerId, paged: e.pageId !== null },
        incidents: row.incident_id ? [row.incident_id] : undefined,
      });
      return e.publish;
    });
    publish?.();
    return publish !== null;
  }

  return {
    /** Escalates the inquiries overdue now; how many, and how many failed (tried again next time). */
    async sweep(onError: (err: unknown) => void = () => {}) {
      const out = { inquiries: 0, failed: 0 };
      for (const row of await overdueUnescalated(store.db, clock.now(), BATCH))
        await one(row).then(
          (ok) => ok && out.inquiries++,
          (err: unknown) => {
            out.failed++;
            onError(err);
          },
        );
      return out;
    },
  };
}
