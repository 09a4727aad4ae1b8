/**
 * Who may give which review, and whether the approvals of a version cover the reviews a kind needs.
 * Each person fills at most one review (a media statement's communications, compliance and legal reviews
 * are three people); an approver whose role fits several is placed where the others need them least
 * (a bipartite matching, so the order approvals arrive in never matters).
 */
import type { UserRole } from '../../../shared/enums.js';
import type { StatementKind } from '../../../shared/plan-schemas.js';
import {
  DEFAULT_STATEMENT_REVIEWS,
  type ReviewKind,
  type StatementReviewsConfig,
} from '../../../shared/statement-schemas.js';

/** Roles that may give each review. Legal review is the compliance function's in a brokerage. */
const ELIGIBLE: Record<ReviewKind, readonly UserRole[]> = {
  communications: ['communications', 'incident_commander', 'admin'],
  compliance: ['compliance', 'admin'],
  legal: ['compliance', 'admin'],
};

/** The reviews `kind` needs under `config` (TOCSIN_STATEMENT_REVIEWS over the defaults). */
export function reviewsFor(kind: StatementKind, config: StatementReviewsConfig | null): ReviewKind[] {
  return config?.[kind] ?? DEFAULT_STATEMENT_REVIEWS[kind] ?? ['communications'];
}

export interface Approval {
  userId: string;
  role: string;
}

/** For each required review, the approval (index into `approvals`) that fills it, or null. */
export function assignReviews(required: readonly ReviewKind[], approvals: readonly Approval[]): (number | null)[] {
  const slotOf = new Array<number | null>(approvals.length).fill(null);
  const holder = new Array<number | null>(required.length).fill(null);
  const fits = (a: number, s: number) => (ELIGIBLE[required[s]!] as readonly string[]).includes(approvals[a]!.role);
  // Kuhn's augmenting paths: a handful of reviews and approvers at most.
  const place = (a: number, seen: Set<number>): boolean => {
    for (let s = 0; s < required.length; s++) {
      if (!fits(a, s) || seen.has(s)) continue;
      seen.add(s);
      const other = holder[s];
      if (other === null || other === undefined || place(other, seen)) {
        holder[s] = a;
        slotOf[a] = s;
        return true;
      }
    }
    return false;
  };
  for (let a = 0; a < approvals.length; a++) place(a, new Set());
  return holder.map((h) => h ?? null);
}

/** Whether one more approval by a person of `role` would fill a review still open. */
export function wouldFill(required: readonly ReviewKind[], approvals: readonly Approval[], next: Approval): boolean {
  const filled = (list: readonly Approval[]) => assignReviews(required, list).filter((x) => x !== null).length;
  return filled([...approvals, next]) > filled(approvals);
}
