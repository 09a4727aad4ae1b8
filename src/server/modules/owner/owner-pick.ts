/**
 * Who the assignment rules pick for a customer (assignment-rules.ts over the store): the account manager
 * when an active user has that email, the branch pool, the tier queue, customer service — the fewest
 * open assignments first. `picker(tx)` reads the pools, loads and queue once; each pick counts in the
 * loads, so a batch spreads evenly. Used by assignment and by escalation (an overdue inquiry of a
 * customer without an owner goes where assignment would send the customer).
 */
import type { Db } from '../../platform/db/types.js';
import { chooseOwner } from './assignment-rules.js';
import type { OwnerDeps } from './owner-context.js';
import { openLoads } from './owner.repository.js';
import type { PoolService } from './pool.service.js';

export interface PickFor {
  accountManager: string | null;
  branch: string | null;
  tier: string | null;
}

export function ownerPicker(deps: Pick<OwnerDeps, 'users'>, pools: PoolService) {
  const { users } = deps;
  return async function picker(tx: Db) {
    const [poolMembers, loads, defaultQueue] = await Promise.all([
      pools.byName(tx),
      openLoads(tx),
      users.activeIdsWithRole('customer_service', tx),
    ]);
    // Pool members and account managers are checked once each: active users only.
    const active = new Map<string, boolean>();
    const isActive = async (id: string) => {
      if (!active.has(id)) active.set(id, (await users.activeById(id, tx)) !== null);
      return active.get(id)!;
    };
    const activeOf = async (ids: string[] | undefined) => {
      const out: string[] = [];
      for (const id of ids ?? []) if (await isActive(id)) out.push(id);
      return out;
    };
    const managers = new Map<string, string | null>();
    const managerOf = async (name: string | null) => {
      const email = name?.trim().toLowerCase();
      if (!email?.includes('@')) return null;
      if (!managers.has(email)) managers.set(email, (await users.activeByEmail(email, tx))?.id ?? null);
      return managers.get(email)!;
    };
    /** The owner for a customer (null: an unknown customer, who goes to customer service). */
    return async (c: PickFor | null) =>
      chooseOwner(
        {
          accountManager: c ? await managerOf(c.accountManager) : null,
          branchPool: c?.branch ? await activeOf(poolMembers.get(`branch:${c.branch.toLowerCase()}`)) : [],
          tierQueue: c?.tier ? await activeOf(poolMembers.get(`tier:${c.tier.toLowerCase()}`)) : [],
          defaultQueue,
        },
        loads,
      );
  };
}

export type OwnerPicker = ReturnType<typeof ownerPicker>;
