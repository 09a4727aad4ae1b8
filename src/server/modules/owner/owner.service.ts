/** The customer-owner services, built once from their dependencies (compose.ts); registers the reminder job. */
import { createAssignService } from './assign.service.js';
import { ownerContext, type OwnerDeps } from './owner-context.js';
import { registerOwnerReminders } from './owner-reminders.js';
import { createPoolService } from './pool.service.js';
import { createOwnerEscalation } from './owner-escalation.service.js';
import { ownerPicker } from './owner-pick.js';
import { createWorklistService } from './worklist.service.js';

export function createOwners(deps: OwnerDeps) {
  const ctx = ownerContext(deps);
  const pools = createPoolService(deps);
  const picker = ownerPicker(deps, pools);
  registerOwnerReminders(deps);
  return {
    pools,
    assignments: createAssignService(deps, ctx, picker),
    worklist: createWorklistService(deps, ctx),
    /** Pages owners for overdue SLAs and due callbacks (`sweep`), takes overdue inquiries (`escalateInquiry`). */
    escalation: createOwnerEscalation(deps, ctx, picker),
  };
}

export type Owners = ReturnType<typeof createOwners>;
