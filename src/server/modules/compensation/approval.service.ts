/**
 * Approval of accepted claims by amount tiers (the firm's policy): an approver acts only within the caps
 * of the tiers their role belongs to (an amount above a tier's cap cannot be approved by that tier), the
 * proposer — who created the claim or its current version — never approves, and a tier of two approvers
 * needs two distinct people (two-person rule). Approvals belong to a version: a revised offer after
 * approval starts over. Bulk approval of a reviewed assessment run's accepted claims (or of listed
 * claims), a chunk per transaction with one itemised audit entry per chunk and a result per claim; the
 * inbox lists the accepted claims waiting for the viewer's tier.
 */
import type { BulkApprove, BulkApproveResult, Claim, ClaimDetail } from '../../../shared/compensation-schemas.js';
import { type CompensationPolicy, roleCap, tierFor } from '../../../shared/compensation.js';
import { cursorCodec } from '../../platform/cursor.js';
import type { Db } from '../../platform/db/types.js';
import { conflict, notFound } from '../../platform/errors.js';
import { newId } from '../../platform/ids.js';
import { actorOf, assertCan, type Principal } from '../auth/index.js';
import { canSee, type IncidentRef } from '../incident/index.js';
import {
  type ClaimRow,
  claimsByIds,
  currentApprovers,
  inboxPage,
  insertApproval,
  runClaimIds,
  versionOf,
} from './claim.repository.js';
import type { CompensationContext, CompensationDeps } from './compensation-context.js';
import { insertEvents } from './event.repository.js';
import { runById } from './run.repository.js';

const idCursor = cursorCodec(['id'] as const);
const CHUNK = 500;

type Outcome = BulkApproveResult['items'][number]['outcome'];

export function createApprovalService(
  deps: CompensationDeps,
  ctx: CompensationContext,
  detail: (p: Principal, id: string) => Promise<ClaimDetail>,
) {
  const { store, audit, clock, incidents } = deps;

  /** One approval of `claim` by `p` in `tx`: what came of it (nothing is written unless approved or recorded). */
  async function approveOne(
    tx: Db,
    p: Principal,
    claim: ClaimRow,
    ref: IncidentRef,
    pol: CompensationPolicy,
    itemised: boolean,
  ): Promise<Outcome> {
    if (claim.status === 'approved' && claim.approved_version === claim.version) return 'already_approved';
    if (claim.status !== 'accepted') return 'wrong_status';
    const version = await versionOf(tx, claim.id, claim.version);
    if (claim.created_by === p.user.id || version?.created_by === p.user.id) return 'own_proposal';
    const amount = Number(claim.amount_minor);
    const cap = roleCap(pol, p.user.role);
    if (cap === undefined || (cap !== null && amount > cap)) return 'above_tier_cap';
    const given = (await currentApprovers(tx, [claim])).get(claim.id) ?? [];
    if (given.includes(p.user.id)) return 'already_approved';
    const tier = tierFor(pol, amount);
    const now = clock.now();
    await insertApproval(tx, {
      id: newId(),
      claim_id: claim.id,
      version: claim.version,
      tier: tier.key,
      approver_id: p.user.id,
      approved_at: now,
    });
    const audited = { tier: tier.key, approvals: given.length + 1, needed: tier.approvers };
    if (given.length + 1 >= tier.approvers) {
      await ctx.step(tx, p, claim, ref, {
        kind: 'approved',
        to: 'approved',
        action: 'compensation.approve',
        speaker: 'staff',
        channel: 'console',
        amountMinor: amount,
        set: { approved_version: claim.version },
        audited,
        itemised,
      });
      return 'approved';
    }
    // The first of two approvers: recorded, the claim waits for the second.
    await insertEvents(tx, [
      ctx.event(claim, claim, { kind: 'approval', speaker: 'staff', channel: 'console', amountMinor: amount }, p, now),
    ]);
    if (!itemised)
      await audit.append(tx, actorOf(p), {
        action: 'compensation.approve',
        targetType: 'compensation_claim',
        targetId: claim.id,
        before: { ref: claim.ref, status: claim.status, version: claim.version },
        after: { ref: claim.ref, customerId: claim.customer_id, status: claim.status, amountMinor: amount, ...audited },
        incidents: [ref.id],
      });
    return 'approval_recorded';
  }

  const refusal = (claim: ClaimRow, outcome: Outcome, role: string) => {
    switch (outcome) {
      case 'wrong_status':
        return ctx.notAllowed(claim, 'approved');
      case 'own_proposal':
        return conflict(`claim ${claim.ref}: whoever proposed it or its current amount does not approve it`, {
          code: 'compensation.self_approval',
          params: { ref: claim.ref },
        });
      case 'above_tier_cap':
        return conflict(`claim ${claim.ref}: amountMinor ${claim.amount_minor} is above what ${role} may approve`, {
          code: 'compensation.above_tier_cap',
          params: { ref: claim.ref, amountMinor: Number(claim.amount_minor), role },
        });
      default:
        return conflict(`claim ${claim.ref} is approved by you already`, {
          code: 'compensation.already_approved',
          params: { ref: claim.ref },
        });
    }
  };

  return {
    async approve(p: Principal, id: string): Promise<ClaimDetail> {
      assertCan(p, 'compensation.approve');
      await store.transaction(async (tx) => {
        const { claim, ref } = await ctx.loadClaim(tx, p, id);
        const outcome = await approveOne(tx, p, claim, ref, await ctx.policy(tx), false);
        if (outcome !== 'approved' && outcome !== 'approval_recorded') throw refusal(claim, outcome, p.user.role);
      });
      return detail(p, id);
    },

    async bulkApprove(p: Principal, key: string, input: BulkApprove): Promise<BulkApproveResult> {
      assertCan(p, 'compensation.approve');
      const ref = await ctx.visibleIncident(store.db, p, key);
      let ids: string[];
      if (input.runId) {
        const run = await runById(store.db, input.runId);
        if (!run || run.incident_id !== ref.id) throw notFound(`assessment run ${input.runId} of ${key}`);
        if (run.state !== 'reviewed')
          throw conflict('approve the claims of an assessment run once it is reviewed', {
            code: 'compensation.run_not_reviewed',
            params: { runId: run.id },
          });
        ids = [];
        for (let after: string | null = null; ; ) {
          const page = await runClaimIds(store.db, run.id, 'accepted', after, 5000);
          ids.push(...page.map((r) => r.id));
          if (page.length < 5000) break;
          after = page.at(-1)!.id;
        }
      } else ids = [...new Set(input.claimIds!)];
      const result: BulkApproveResult = { approved: 0, recorded: 0, refused: 0, items: [] };
      for (let i = 0; i < ids.length; i += CHUNK) {
        const part = ids.slice(i, i + CHUNK);
        const items = await store.transaction(async (tx) => {
          const pol = await ctx.policy(tx);
          const rows = new Map((await claimsByIds(tx, part)).map((c) => [c.id, c]));
          const out: BulkApproveResult['items'] = [];
          for (const id of part) {
            const claim = rows.get(id);
            const outcome: Outcome =
              !claim || claim.incident_id !== ref.id ? 'not_found' : await approveOne(tx, p, claim, ref, pol, true);
            out.push({ claimId: id, ref: claim && claim.incident_id === ref.id ? claim.ref : null, outcome });
          }
          await audit.append(tx, actorOf(p), {
            action: 'compensation.bulk_approve',
            targetType: 'incident',
            targetId: ref.id,
            after: {
              runId: input.runId ?? null,
              items: out.map((o) => ({
                claimId: o.claimId,
                ref: o.ref,
                outcome: o.outcome,
                amountMinor: rows.get(o.claimId) ? Number(rows.get(o.claimId)!.amount_minor) : null,
              })),
            },
            incidents: [ref.id],
          });
          return out;
        });
        for (const it of items) {
          result.items.push(it);
          if (it.outcome === 'approved') result.approved++;
          else if (it.outcome === 'approval_recorded') result.recorded++;
          else result.refused++;
        }
      }
      return result;
    },

    /** Accepted claims waiting for the viewer: within their tiers' caps, not proposed nor approved by them. */
    async inbox(p: Principal, q: { limit: number; cursor?: string }): Promise<{ items: Claim[]; next: string | null }> {
      assertCan(p, 'compensation.approve');
      const pol = await ctx.policy(store.db);
      const cap = roleCap(pol, p.user.role);
      if (cap === undefined) return { items: [], next: null };
      const after = q.cursor ? idCursor.decode(q.cursor)[0] : null;
      const rows = await inboxPage(
        store.db,
        p.user.id,
        p.user.role === 'admin' ? undefined : p.user.id,
        cap,
        after,
        q.limit + 1,
      );
      const page = rows.slice(0, q.limit);
      const refs = await incidents.refs(store.db, [...new Set(page.map((r) => r.incident_id))]);
      const visible = page.filter((r) => {
        const ref = refs.get(r.incident_id);
        return ref !== undefined && canSee(p, ref.audience);
      });
      const keys = new Map([...refs].map(([id, r]) => [id, r.key]));
      return {
        items: await ctx.views(store.db, visible, keys, pol),
        next: rows.length > q.limit ? idCursor.encode([page.at(-1)!.id]) : null,
      };
    },
  };
}
