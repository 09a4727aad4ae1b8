/**
 * Escalation to owners (issue 12): an owner's first contact overdue on its SLA (e.g. a VIP not reached
 * within 2 h) and a promised callback come due page the owner through the paging module, and an inquiry
 * overdue on its SLA goes to the customer's owner for its incident — or, without one, to whom the
 * assignment rules would pick (the account manager, branch pool, tier queue, customer service) — and
 * pages them when the inquiry is about an incident. Each kind and subject escalates once (a unique row
 * in `customer_escalations`; pages are idempotent by key too), audited (`owner.escalate`, no contacts)
 * and shown on the worklist. `sweep()` is run by the run-once scheduler `customer-escalation`.
 */
import type { Db } from '../../platform/db/types.js';
import { newId } from '../../platform/ids.js';
import { formatZoned } from '../../platform/zoned-time.js';
import type { Actor } from '../audit/index.js';
import {
  dueCallbacks,
  type EscalationRow,
  insertEscalation,
  overdueFirstContacts,
  setEscalationPage,
} from './escalation.repository.js';
import type { OwnerContext, OwnerDeps } from './owner-context.js';
import type { OwnerPicker } from './owner-pick.js';
import { assignmentOf, openAssignmentOfCustomer } from './owner.repository.js';

const ESCALATION_ACTOR: Actor = { id: null, label: 'escalation' };
/** Escalations of one kind per sweep at most (the next sweep takes the rest). */
const BATCH = 200;

type Kind = 'owner_sla' | 'callback' | 'inquiry_sla' | 'inquiry_new';

export function createOwnerEscalation(deps: OwnerDeps, ctx: OwnerContext, picker: OwnerPicker) {
  const { store, audit, clock, incidents } = deps;
  /** A time in the firm's zone with its offset (the texts go out as pages and messages). */
  const at = (ms: number) => formatZoned(ms, deps.timeZone ?? 'Asia/Shanghai');

  /** Records the escalation and pages the owner about the incident (when there is one and a pager). */
  async function escalate(
    tx: Db,
    row: Omit<EscalationRow, 'id' | 'page_id' | 'created_at'>,
  ): Promise<{ id: string; pageId: string | null; publish: () => void } | null> {
    const id = newId();
    if (!(await insertEscalation(tx, { ...row, id, page_id: null, created_at: clock.now() }))) return null;
    if (!row.incident_id || !deps.pager) return { id, pageId: null, publish: () => {} };
    const page = await deps.pager.page(tx, {
      incidentId: row.incident_id,
      reason: row.reason,
      userIds: [row.owner_id],
      key: `escalation:${row.kind}:${row.subject_id}`,
    });
    await setEscalationPage(tx, id, page.pageId);
    return { id, pageId: page.pageId, publish: page.publish };
  }

  /** One assignment's escalation in its own transaction: audited, announced; false when it was escalated already. */
  async function escalateAssignment(
    kind: Kind,
    subjectId: string,
    r: { id: string; incident_id: string; customer_id: string; owner_id: string; customer_no: string },
    reason: string,
  ): Promise<boolean> {
    const done = await store.transaction(async (tx) => {
      const e = await escalate(tx, {
        kind,
        subject_id: subjectId,
        incident_id: r.incident_id,
        inquiry_id: null,
        assignment_id: r.id,
        owner_id: r.owner_id,
        reason,
      });
      if (!e) return null;
      await audit.append(tx, ESCALATION_ACTOR, {
        action: 'owner.escalate',
        targetType: 'customer_owner',
        targetId: r.id,
        after: { kind, customerId: r.customer_id, customerNo: r.customer_no, ownerId: r.owner_id, pageId: e.pageId },
        incidents: [r.incident_id],
      });
      const ref = (await incidents.refs(tx, [r.incident_id])).get(r.incident_id);
      if (ref) ctx.announce(tx, ref);
      return e;
    });
    done?.publish();
    return done !== null;
  }

  return {
    /** Pages owners for overdue first contacts and callbacks come due at `now`; counts of each, and failures. */
    async sweep(onError: (err: unknown) => void = () => {}) {
      const now = clock.now();
      const out = { ownerSla: 0, callbacks: 0, failed: 0 };
      // Customer numbers for the reasons, from the customer module's directory.
      const numbers = async (rows: { customer_id: string }[]) =>
        new Map(
          (
            await deps.customers.cardsByIds(
              rows.map((r) => r.customer_id),
              store.db,
            )
          ).map((c) => [c.id, c.customerNo]),
        );
      const overdue = await overdueFirstContacts(store.db, now, BATCH);
      const overdueNos = await numbers(overdue);
      for (const row of overdue) {
        const r = { ...row, customer_no: overdueNos.get(row.customer_id) ?? '?' };
        const reason = `客户 ${r.customer_no} 未在时限内联系（截止 ${at(Number(r.sla_due_at))}）/ Customer ${r.customer_no} not reached within the SLA (due ${at(Number(r.sla_due_at))})`;
        await escalateAssignment('owner_sla', r.id, r, reason).then(
          (ok) => ok && out.ownerSla++,
          (err: unknown) => {
            out.failed++;
            onError(err);
          },
        );
      }
      const callbacks = await dueCallbacks(store.db, now, BATCH);
      const dueNos = await numbers(callbacks);
      for (const row of callbacks) {
        const r = { ...row, customer_no: dueNos.get(row.customer_id) ?? '?' };
        const due = at(Number(r.due_at));
        const reason = `客户 ${r.customer_no} 的约定回访已到时间（${due}）/ Callback promised to customer ${r.customer_no} is due (${due})`;
        await escalateAssignment('callback', r.activity_id, r, reason).then(
          (ok) => ok && out.callbacks++,
          (err: unknown) => {
            out.failed++;
            onError(err);
          },
        );
      }
      return out;
    },

    /**
     * A question the customer just asked on the help portal, in the inquiry module's transaction: when the
     * customer has an owner — their assignment for the question's incident, else their latest open one —
     * it goes to that owner: recorded on the owner's worklist (`inquiry_new`), paged about the assignment's
     * incident through the same path as the other escalations, audited (`owner.escalate`). Null when the
     * customer has no owner (the question stays in the shared inbox).
     */
    async routeInquiry(
      tx: Db,
      q: { inquiryId: string; reference: string; incidentId: string | null; customerId: string },
    ): Promise<{ ownerId: string; pageId: string | null; publish: () => void } | null> {
      const assignment =
        (q.incidentId ? await assignmentOf(tx, q.incidentId, q.customerId) : undefined) ??
        (await openAssignmentOfCustomer(tx, q.customerId));
      if (!assignment) return null;
      const [card] = await deps.customers.cardsByIds([q.customerId], tx);
      const no = card?.customerNo ?? '?';
      const e = await escalate(tx, {
        kind: 'inquiry_new',
        subject_id: q.inquiryId,
        incident_id: assignment.incident_id,
        inquiry_id: q.inquiryId,
        assignment_id: assignment.id,
        owner_id: assignment.owner_id,
        reason: `客户 ${no} 在帮助页提问（${q.reference}）/ Customer ${no} asked a question on the help page (${q.reference})`,
      });
      if (!e) return null;
      await audit.append(tx, ESCALATION_ACTOR, {
        action: 'owner.escalate',
        targetType: 'customer_owner',
        targetId: assignment.id,
        after: {
          kind: 'inquiry_new',
          inquiryId: q.inquiryId,
          customerId: q.customerId,
          customerNo: no,
          ownerId: assignment.owner_id,
          pageId: e.pageId,
        },
        incidents: [assignment.incident_id],
      });
      const ref = (await incidents.refs(tx, [assignment.incident_id])).get(assignment.incident_id);
      if (ref) ctx.announce(tx, ref);
      return { ownerId: assignment.owner_id, pageId: e.pageId, publish: e.publish };
    },

    /**
     * An overdue inquiry, in the inquiry module's transaction: its customer's owner for the incident, else
     * whom the assignment rules pick; recorded and paged once. Null when it was escalated already or
     * nobody can take it (no customer service user at all).
     */
    async escalateInquiry(
      tx: Db,
      q: { inquiryId: string; reference: string; incidentId: string | null; customerId: string | null },
    ): Promise<{ ownerId: string; pageId: string | null; publish: () => void } | null> {
      const assignment = q.incidentId && q.customerId ? await assignmentOf(tx, q.incidentId, q.customerId) : undefined;
      const [card] = q.customerId ? await deps.customers.cardsByIds([q.customerId], tx) : [];
      let ownerId = assignment?.owner_id ?? null;
      if (!ownerId) ownerId = (await (await picker(tx))(card ?? null))?.ownerId ?? null;
      if (!ownerId) return null;
      const no = card?.customerNo;
      const e = await escalate(tx, {
        kind: 'inquiry_sla',
        subject_id: q.inquiryId,
        incident_id: q.incidentId,
        inquiry_id: q.inquiryId,
        assignment_id: assignment?.id ?? null,
        owner_id: ownerId,
        reason: `咨询 ${q.reference} 超时未答复 / Inquiry ${q.reference} is overdue${no ? ` (customer ${no})` : ''}`,
      });
      return e ? { ownerId, pageId: e.pageId, publish: e.publish } : null;
    },
  };
}
