/**
 * Who owns a customer (pure): the first rule that yields candidates wins — the customer's account
 * manager (an active user with that email), the branch pool, the tier queue, the default queue
 * (customer service) — and among its candidates the one with the fewest open assignments (ties: the
 * first listed). `loads` is updated with the choice, so a batch spreads evenly.
 */
import type { OwnerAssignment } from '../../../shared/owner-schemas.js';

type Rule = Exclude<OwnerAssignment['rule'], 'reassigned'>;

export interface Candidates {
  accountManager: string | null;
  branchPool: string[];
  tierQueue: string[];
  defaultQueue: string[];
}

export function chooseOwner(c: Candidates, loads: Map<string, number>): { ownerId: string; rule: Rule } | null {
  const order: [Rule, string[]][] = [
    ['account_manager', c.accountManager ? [c.accountManager] : []],
    ['branch_pool', c.branchPool],
    ['tier_queue', c.tierQueue],
    ['default', c.defaultQueue],
  ];
  for (const [rule, ids] of order) {
    if (ids.length === 0) continue;
    let best = ids[0]!;
    for (const id of ids) if ((loads.get(id) ?? 0) < (loads.get(best) ?? 0)) best = id;
    loads.set(best, (loads.get(best) ?? 0) + 1);
    return { ownerId: best, rule };
  }
  return null;
}
