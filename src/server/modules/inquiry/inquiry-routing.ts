/**
 * A question a known customer asks on the help portal goes straight to their owner (issue 12, 专人负责):
 * the owner module's port records it on the owner's worklist and pages them through the escalation
 * path; the inquiry is assigned to the owner, audited (`inquiry.assign`, by "routing to the customer's
 * owner"). A customer without an owner, or an unknown asker, stays in the shared inbox.
 */
import type { Db } from '../../platform/db/types.js';
import type { Actor } from '../audit/index.js';
import { audited, type InquiryDeps } from './inquiry-context.js';
import { type InquiryRow, updateInquiry } from './inquiry.repository.js';

const ROUTING_ACTOR: Actor = { id: null, label: "routing to the customer's owner" };

/** Routes a new inquiry in the intake's transaction; what to call after the commit (the page), if routed. */
export async function routeToOwner(deps: InquiryDeps, tx: Db, row: InquiryRow): Promise<(() => void) | null> {
  const route = deps.escalation?.routeInquiry;
  if (!route || !row.customer_id || row.status !== 'new' || row.assignee_id !== null) return null;
  const r = await route(tx, {
    inquiryId: row.id,
    reference: row.reference,
    incidentId: row.incident_id,
    customerId: row.customer_id,
  });
  if (!r) return null;
  const now = deps.clock.now();
  const after: InquiryRow = { ...row, assignee_id: r.ownerId, status: 'assigned', updated_at: now };
  await updateInquiry(tx, row.id, { assignee_id: r.ownerId, status: 'assigned', updated_at: now });
  await deps.audit.append(tx, ROUTING_ACTOR, {
    action: 'inquiry.assign',
    targetType: 'customer_inquiry',
    targetId: row.id,
    before: audited(row),
    after: { ...audited(after), routedToOwner: true, paged: r.pageId !== null },
    incidents: row.incident_id ? [row.incident_id] : undefined,
  });
  return r.publish;
}
