/**
 * Mediation and disputes: a claim referred to the securities dispute mediation body, a complaint to the
 * regulator, arbitration or a court, with its dates; the outcome ends the referral — settled or an award
 * makes the claim accepted at that amount (a new version, to be approved like any other), dismissed or
 * withdrawn makes it declined (the policy's goodwill gesture still answers the customer).
 */
import type { ClaimDetail, MediationOutcomeBody, MediationRefer } from '../../../shared/compensation-schemas.js';
import { goodwillFor } from '../../../shared/compensation.js';
import { conflict } from '../../platform/errors.js';
import { newId } from '../../platform/ids.js';
import { assertCan, type Principal } from '../auth/index.js';
import { insertMediation, mediationsOf, updateMediation } from './claim.repository.js';
import type { CompensationContext, CompensationDeps } from './compensation-context.js';

export function createMediationService(
  deps: CompensationDeps,
  ctx: CompensationContext,
  detail: (p: Principal, id: string) => Promise<ClaimDetail>,
) {
  const { store, clock, customers } = deps;

  return {
    async refer(p: Principal, id: string, input: MediationRefer, ip: string | null): Promise<ClaimDetail> {
      assertCan(p, 'compensation.manage');
      await store.transaction(async (tx) => {
        const { claim, ref } = await ctx.loadClaim(tx, p, id);
        const now = clock.now();
        const referredAt = input.referredAt ? Date.parse(input.referredAt) : now;
        await ctx.step(tx, p, claim, ref, {
          kind: 'mediation_referred',
          to: 'referred',
          action: 'compensation.mediation_refer',
          speaker: 'staff',
          channel: 'mediation',
          ip,
          reason: input.note ?? input.body,
          audited: { body: input.body, referredAt: new Date(referredAt).toISOString() },
        });
        await insertMediation(tx, {
          id: newId(),
          claim_id: claim.id,
          body: input.body,
          case_ref: input.caseRef ?? null,
          referred_at: referredAt,
          outcome: null,
          outcome_minor: null,
          decided_at: null,
          created_by: p.user.id,
          created_at: now,
          updated_at: now,
        });
      });
      return detail(p, id);
    },

    async outcome(p: Principal, id: string, input: MediationOutcomeBody, ip: string | null): Promise<ClaimDetail> {
      assertCan(p, 'compensation.manage');
      await store.transaction(async (tx) => {
        const { claim, ref } = await ctx.loadClaim(tx, p, id);
        const open = (await mediationsOf(tx, claim.id)).find((m) => m.outcome === null);
        if (claim.status !== 'referred' || !open)
          throw conflict(`claim ${claim.ref} is not in mediation`, {
            code: 'compensation.transition_not_allowed',
            params: { ref: claim.ref, from: claim.status, to: 'mediation outcome' },
          });
        const now = clock.now();
        const decidedAt = input.decidedAt ? Date.parse(input.decidedAt) : now;
        await updateMediation(tx, open.id, {
          outcome: input.outcome,
          outcome_minor: input.amountMinor ?? null,
          decided_at: decidedAt,
          updated_at: now,
        });
        const audited = { body: open.body, outcome: input.outcome, decidedAt: new Date(decidedAt).toISOString() };
        if (input.amountMinor !== undefined) {
          await ctx.step(tx, p, claim, ref, {
            kind: 'mediation_outcome',
            to: 'accepted',
            action: 'compensation.mediation_outcome',
            speaker: 'staff',
            channel: 'mediation',
            ip,
            reason: input.note ?? input.outcome,
            amountMinor: input.amountMinor,
            version: { amountMinor: input.amountMinor, reason: `mediation ${input.outcome} (${open.body})` },
            set: { accepted_at: decidedAt, accepted_channel: 'mediation', accepted_ip: null },
            audited,
          });
        } else {
          const [card] = await customers.cardsByIds([claim.customer_id], tx);
          const gesture = claim.goodwill_kind
            ? { kind: claim.goodwill_kind, amountMinor: Number(claim.goodwill_minor ?? 0) }
            : goodwillFor(await ctx.policy(tx), card?.tier ?? null);
          await ctx.step(tx, p, claim, ref, {
            kind: 'mediation_outcome',
            to: 'declined',
            action: 'compensation.mediation_outcome',
            speaker: 'staff',
            channel: 'mediation',
            ip,
            reason: input.note ?? input.outcome,
            set: {
              decline_reason: `mediation_${input.outcome}`,
              goodwill_kind: gesture.kind,
              goodwill_minor: gesture.amountMinor,
            },
            audited: { ...audited, goodwill: gesture },
          });
        }
      });
      return detail(p, id);
    },
  };
}
