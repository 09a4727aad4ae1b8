/**
 * Which staff actions a claim offers: those its status allows (the shared status machine) and the
 * viewer's permissions allow. Pure, so the console and its tests agree with the server's rules.
 */
import { CLAIM_TRANSITIONS, type ClaimStatus } from '../../../shared/compensation.js';
import type { ClaimAction } from './compensation-api.js';

/** The status each action moves a claim to. */
const TARGET: Record<Exclude<ClaimAction, 'outcome'>, ClaimStatus> = {
  assess: 'under_assessment',
  offer: 'offered',
  counter: 'countered',
  accept: 'accepted',
  decline: 'declined',
  approve: 'approved',
  mediation: 'referred',
};

export interface Allowed {
  manage: boolean;
  approve: boolean;
}

/** The actions, in the order the detail shows them. */
export function claimActions(status: ClaimStatus, can: Allowed): ClaimAction[] {
  const next = CLAIM_TRANSITIONS[status];
  const out: ClaimAction[] = [];
  for (const [action, target] of Object.entries(TARGET) as [Exclude<ClaimAction, 'outcome'>, ClaimStatus][]) {
    if (!next.includes(target)) continue;
    if (action === 'approve' ? can.approve : can.manage) out.push(action);
  }
  // A referred claim leaves mediation with its outcome (accepted or declined), not with accept/decline.
  if (status === 'referred') return can.manage ? ['outcome'] : [];
  return out;
}
