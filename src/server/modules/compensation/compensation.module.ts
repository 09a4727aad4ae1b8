/** The compensation services of the store side (issue 14): assessment runs, claims, approvals, mediation, ledger, policy, payout batches. */
import { createApprovalService } from './approval.service.js';
import { createAssessService } from './assess.service.js';
import { createBulkOfferService } from './bulk-offer.service.js';
import { createClaimService } from './claim.service.js';
import { compensationContext, type CompensationDeps } from './compensation-context.js';
import { createLedgerService } from './ledger.service.js';
import { createMediationService } from './mediation.service.js';
import { createPayoutExport } from './payout-export.js';
import { createPayoutReturns } from './payout-return.js';
import { createPayoutService } from './payout.service.js';
import { createRunService } from './run.service.js';

export function createCompensation(deps: CompensationDeps) {
  const ctx = compensationContext(deps);
  const claims = createClaimService(deps, ctx);
  const runs = createRunService(deps, ctx);
  const payouts = createPayoutService(deps, ctx);
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
  };
}

export type Compensation = ReturnType<typeof createCompensation>;
