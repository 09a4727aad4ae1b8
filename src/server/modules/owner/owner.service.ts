/** The customer-owner services, built once from their dependencies (compose.ts); registers the reminder job. */
import { createAssignService } from './assign.service.js';
import { ownerContext, type OwnerDeps } from './owner-context.js';
import { registerOwnerReminders } from './owner-reminders.js';
import { createPoolService } from './pool.service.js';
import { createWorklistService } from './worklist.service.js';

export function createOwners(deps: OwnerDeps) {
  const ctx = ownerContext(deps);
  const pools = createPoolService(deps);
  registerOwnerReminders(deps);
  return {
    pools,
    assignments: createAssignService(deps, ctx, pools),
    worklist: createWorklistService(deps, ctx),
  };
}

export type Owners = ReturnType<typeof createOwners>;
