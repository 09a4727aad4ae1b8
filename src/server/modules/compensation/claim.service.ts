/**
 * Claims and their negotiation: a claim from the portal or the customer's owner (one per customer and
 * incident), the list (filters, keyset pages) and one claim with its versions, log, approvals and
 * mediations; the customer's record across incidents; and the negotiation steps — assessment started,
 * offer (a new version when the amount changes or the claim was accepted or approved), the customer's
 * counter-offer and acceptance as staff record them (phone, branch), decline with a goodwill gesture
 * that the policy chooses when none is given (never silence). Every step through `ctx.step`.
 */
import type {
  AcceptBody,
  Claim,
  ClaimCreate,
  ClaimDetail,
  ClaimListQuery,
  CounterBody,
  DeclineBody,
  OfferBody,
} from '../../../shared/compensation-schemas.js';
import { goodwillFor } from '../../../shared/compensation.js';
import { cursorCodec } from '../../platform/cursor.js';
import type { Db } from '../../platform/db/types.js';
import { conflict, invalid } from '../../platform/errors.js';
import { iso } from '../../platform/ids.js';
import { actorOf, assertCan, type Principal } from '../auth/index.js';
import type { IncidentRef } from '../incident/index.js';
import { claimCreator } from './claim-create.js';
import { approvalsOf, type ClaimRow, claimPage, mediationsOf, versionsOf } from './claim.repository.js';
import type { CompensationContext, CompensationDeps } from './compensation-context.js';
import { eventsOfClaim, eventsOfCustomer } from './event.repository.js';
import { liveItems } from './payout.repository.js';

const idCursor = cursorCodec(['id'] as const);

/** Request facts a step records: where the words came from. */
export interface Said {
  ip: string | null;
}

export function createClaimService(deps: CompensationDeps, ctx: CompensationContext) {
  const { store, clock, users, customers } = deps;
  const createClaim = claimCreator(deps, ctx);

  async function detail(p: Principal, id: string): Promise<ClaimDetail> {
    const db = store.db;
    const { claim, ref } = await ctx.loadClaim(db, p, id);
    const keys = new Map([[ref.id, ref.key]]);
    const [[view], versions, events, approvals, mediations] = await Promise.all([
      ctx.views(db, [claim], keys),
      versionsOf(db, claim.id),
      eventsOfClaim(db, claim.id),
      approvalsOf(db, claim.id),
      mediationsOf(db, claim.id),
    ]);
    const names = await users.namesOf(
      [...versions.map((v) => v.created_by), ...approvals.map((a) => a.approver_id)].filter(
        (x): x is string => x !== null,
      ),
      db,
    );
    const person = (uid: string | null) => (uid ? { id: uid, name: names.get(uid) ?? null } : null);
    return {
      ...view!,
      versions: versions.map((v) => ({
        version: v.version,
        amountMinor: Number(v.amount_minor),
        currency: v.currency,
        basis: v.basis,
        goodwillKind: v.goodwill_kind,
        reason: v.reason,
        createdBy: person(v.created_by),
        createdAt: iso(v.created_at),
      })),
      events: await ctx.eventViews(db, events, keys),
      approvals: approvals.map((a) => ({
        version: a.version,
        tier: a.tier,
        approver: person(a.approver_id),
        at: iso(a.approved_at),
      })),
      mediations: mediations.map((m) => ({
        id: m.id,
        body: m.body as ClaimDetail['mediations'][number]['body'],
        caseRef: m.case_ref,
        referredAt: iso(m.referred_at),
        outcome: m.outcome as ClaimDetail['mediations'][number]['outcome'],
        outcomeMinor: m.outcome_minor === null ? null : Number(m.outcome_minor),
        decidedAt: iso(m.decided_at),
      })),
    };
  }

  /** Runs a negotiation step on claim `id` in one transaction; the claim as it is after. */
  async function negotiate(
    p: Principal,
    id: string,
    run: (tx: Db, claim: ClaimRow, ref: IncidentRef) => Promise<unknown>,
  ): Promise<ClaimDetail> {
    assertCan(p, 'compensation.manage');
    await store.transaction(async (tx) => {
      const { claim, ref } = await ctx.loadClaim(tx, p, id);
      await run(tx, claim, ref);
    });
    return detail(p, id);
  }

  return {
    detail,

    async create(p: Principal, key: string, input: ClaimCreate, said: Said): Promise<ClaimDetail> {
      assertCan(p, 'compensation.manage');
      const id = await store.transaction(async (tx) => {
        const ref = await ctx.visibleIncident(tx, p, key);
        const [card] = input.customerId
          ? await customers.cardsByIds([input.customerId], tx)
          : await customers.cardsByNos([input.customerNo!], tx);
        const field = input.customerId ? 'customerId' : 'customerNo';
        if (!card)
          throw invalid(`no such customer`, [{ path: field, message: 'no such customer', code: 'unknown_customer' }]);
        const claim = await createClaim(tx, {
          ref,
          card,
          source: input.source,
          claimedMinor: input.claimedMinor,
          description: input.description,
          channel: input.channel,
          ip: said.ip,
          by: p,
          actor: actorOf(p),
        });
        return claim.id;
      });
      return detail(p, id);
    },

    async list(p: Principal, key: string, q: ClaimListQuery): Promise<{ items: Claim[]; next: string | null }> {
      assertCan(p, 'compensation.read');
      const ref = await ctx.visibleIncident(store.db, p, key);
      const after = q.cursor ? idCursor.decode(q.cursor)[0] : null;
      const rows = await claimPage(
        store.db,
        { incidentId: ref.id, status: q.status, source: q.source, runId: q.runId, customerId: q.customerId },
        after,
        q.limit + 1,
      );
      const page = rows.slice(0, q.limit);
      return {
        items: await ctx.views(store.db, page, new Map([[ref.id, ref.key]])),
        next: rows.length > q.limit ? idCursor.encode([page.at(-1)!.id]) : null,
      };
    },

    /** The customer's compensation record across the incidents the principal may see, newest first. */
    async customerEvents(p: Principal, customerId: string, q: { limit: number; cursor?: string }) {
      assertCan(p, 'compensation.read');
      const before = q.cursor ? idCursor.decode(q.cursor)[0] : null;
      const rows = await eventsOfCustomer(
        store.db,
        customerId,
        p.user.role === 'admin' ? undefined : p.user.id,
        before,
        q.limit + 1,
      );
      const page = rows.slice(0, q.limit);
      const keys = await ctx.keysOf(
        store.db,
        page.map((e) => e.incident_id),
      );
      return {
        items: await ctx.eventViews(store.db, page, keys),
        next: rows.length > q.limit ? idCursor.encode([page.at(-1)!.id]) : null,
      };
    },

    startAssessment(p: Principal, id: string, note: string | undefined, said: Said) {
      return negotiate(p, id, (tx, claim, ref) =>
        ctx.step(tx, p, claim, ref, {
          kind: 'assessment_started',
          to: 'under_assessment',
          action: 'compensation.assess_start',
          speaker: 'staff',
          channel: 'console',
          ip: said.ip,
          reason: note ?? null,
        }),
      );
    },

    /** The firm's offer: a new version when the amount or basis changes, or after acceptance or approval. */
    offer(p: Principal, id: string, input: OfferBody, said: Said) {
      return negotiate(p, id, async (tx, claim, ref) => {
        // The bank is paying an approved claim in a batch: its amount cannot change under the payment.
        const paying = claim.status === 'approved' ? (await liveItems(tx, [claim.id])).get(claim.id) : undefined;
        if (paying)
          throw conflict(`claim ${claim.ref} is in payout batch ${paying.batch_id}: it cannot be revised while paid`, {
            code: 'compensation.claim_in_batch',
            params: { ref: claim.ref, batchId: paying.batch_id },
          });
        const changed =
          input.amountMinor !== Number(claim.amount_minor) ||
          (input.basis !== undefined && input.basis !== claim.basis) ||
          (input.goodwillKind !== undefined && input.goodwillKind !== claim.goodwill_kind) ||
          claim.status === 'accepted' ||
          claim.status === 'approved';
        return ctx.step(tx, p, claim, ref, {
          kind: 'offer',
          to: 'offered',
          action: 'compensation.offer',
          speaker: 'staff',
          channel: input.channel,
          ip: said.ip,
          reason: input.reason,
          amountMinor: input.amountMinor,
          ...(changed
            ? {
                version: {
                  amountMinor: input.amountMinor,
                  basis: input.basis,
                  goodwillKind: input.goodwillKind,
                  reason: input.reason,
                },
              }
            : {}),
          set: { decline_reason: null },
        });
      });
    },

    /** The customer's counter-offer, as staff recorded it. */
    counter(p: Principal, id: string, input: CounterBody, said: Said) {
      return negotiate(p, id, (tx, claim, ref) =>
        ctx.step(tx, p, claim, ref, {
          kind: 'counter',
          to: 'countered',
          action: 'compensation.counter',
          speaker: 'customer',
          channel: input.channel,
          ip: said.ip,
          reason: input.reason,
          amountMinor: input.amountMinor,
          set: { claimed_minor: input.amountMinor },
        }),
      );
    },

    /**
     * Offered: the customer accepts the firm's offer (recorded by staff with the channel, time and IP).
     * Countered: the firm accepts the customer's counter-offer, which becomes a new version.
     */
    accept(p: Principal, id: string, input: AcceptBody, said: Said) {
      return negotiate(p, id, (tx, claim, ref) => {
        const countered = claim.status === 'countered' && claim.claimed_minor !== null;
        const now = clock.now();
        return ctx.step(tx, p, claim, ref, {
          kind: 'accept',
          to: 'accepted',
          action: 'compensation.accept',
          speaker: countered ? 'staff' : 'customer',
          channel: input.channel,
          ip: said.ip,
          reason: input.note ?? null,
          amountMinor: countered ? Number(claim.claimed_minor) : Number(claim.amount_minor),
          ...(countered
            ? {
                version: {
                  amountMinor: Number(claim.claimed_minor),
                  reason: input.note ?? "the customer's counter-offer accepted",
                },
              }
            : {}),
          set: { accepted_at: now, accepted_channel: input.channel, accepted_ip: said.ip },
        });
      });
    },

    /**
     * Declined by the firm (a claim without evidence of loss, say) or by the customer (the offer): the
     * customer is answered with a goodwill gesture either way — the one given, else the policy's.
     */
    decline(p: Principal, id: string, input: DeclineBody, said: Said) {
      return negotiate(p, id, async (tx, claim, ref) => {
        let gesture = input.goodwill;
        if (!gesture) {
          const [card] = await customers.cardsByIds([claim.customer_id], tx);
          gesture = goodwillFor(await ctx.policy(tx), card?.tier ?? null);
        }
        if (gesture.kind === 'fixed_amount' && gesture.amountMinor === 0)
          throw invalid('a fixed-amount goodwill gesture needs an amount', [
            { path: 'goodwill.amountMinor', message: 'an amount above zero', code: 'invalid_amount' },
          ]);
        return ctx.step(tx, p, claim, ref, {
          kind: 'decline',
          to: 'declined',
          action: 'compensation.decline',
          speaker: input.by === 'customer' ? 'customer' : 'staff',
          channel: input.channel,
          ip: said.ip,
          reason: input.note ?? input.reason,
          set: {
            decline_reason: input.reason,
            goodwill_kind: gesture.kind,
            goodwill_minor: gesture.kind === 'fixed_amount' ? gesture.amountMinor : 0,
          },
          audited: { by: input.by, reason: input.reason, goodwill: gesture },
        });
      });
    },
  };
}
