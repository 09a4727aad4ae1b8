/**
 * The compensation services (issue 14): assessment runs, claims, approvals, mediation, ledger, policy, payout batches —
 * and, when the customer's side is wired, the notices to customers on claim events and the portal's
 * acceptance with a one-time code.
 */
import type { ClaimNotice } from '../../../shared/compensation-schemas.js';
import { assertCan, type Principal } from '../auth/index.js';
import { createApprovalService } from './approval.service.js';
import { createAttachmentService } from './attachment.service.js';
import { createAssessService } from './assess.service.js';
import { createBulkOfferService } from './bulk-offer.service.js';
import { createClaimService } from './claim.service.js';
import { compensationContext, type CompensationDeps } from './compensation-context.js';
import { createFilingService } from './filing.service.js';
import { createLedgerService } from './ledger.service.js';
import { createMediationService } from './mediation.service.js';
import { createPayoutExport } from './payout-export.js';
import { createPayoutReturns } from './payout-return.js';
import { createPayoutService } from './payout.service.js';
import { createNotices, type NoticeDeps } from './notice.service.js';
import { createOpeningService } from './opening.service.js';
import { createPortalService, type PortalDeps } from './portal.service.js';
import { createRunService } from './run.service.js';

/** The customer's side: the job runner and sender of the notices, the contacts, the portal's keys and throttles. */
export type CustomerSideDeps = Omit<NoticeDeps, 'store' | 'clock'> & PortalDeps;

export function createCompensation(deps: CompensationDeps, customerSide?: CustomerSideDeps) {
  const notices = customerSide ? createNotices({ ...customerSide, store: deps.store, clock: deps.clock }) : null;
  const ctx = compensationContext(deps, notices ?? undefined);
  const claims = createClaimService(deps, ctx);
  const runs = createRunService(deps, ctx);
  const payouts = createPayoutService(deps, ctx);
  const attachments = createAttachmentService(deps, ctx);
  return {
    runs,
    assessments: createAssessService(deps, ctx, runs),
    offers: createBulkOfferService(deps, ctx),
    claims,
    approvals: createApprovalService(deps, ctx, claims.detail),
    mediation: createMediationService(deps, ctx, claims.detail),
    ledger: createLedgerService(deps, ctx),
    payouts,
    payoutFiles: createPayoutExport(deps, payouts),
    returns: createPayoutReturns(deps, ctx, payouts),
    /** Notices to customers (null: not wired). */
    notices,
    /** A claim's notices to its customer (need-to-know as the claim; none when notices are not wired). */
    async claimNotices(p: Principal, claimId: string): Promise<{ items: ClaimNotice[] }> {
      assertCan(p, 'compensation.read');
      const { claim } = await ctx.loadClaim(deps.store.db, p, claimId);
      return { items: notices ? await notices.ofClaim(deps.store.db, claim.id) : [] };
    },
    /** The customer's portal (null: not wired). */
    portal: customerSide ? createPortalService(deps, ctx, customerSide) : null,
    /** Claims' files (the portal's filings and staff uploads). */
    attachments,
    /** Whether the portal takes claims for an incident. */
    openings: createOpeningService(deps, ctx),
    /** Claims customers file on the portal (null: the customer's side is not wired). */
    filing: customerSide ? createFilingService(deps, ctx, customerSide, attachments) : null,
  };
}

export type Compensation = ReturnType<typeof createCompensation>;
