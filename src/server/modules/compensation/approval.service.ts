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
import { type ApprovalTier, type CompensationPolicy, roleCap, tierFor } from '../../../shared/compensation.js';
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
  insertApprovals,
  markApproved,
  runClaimIds,
  versionOf,
  versionSetters,
} from './claim.repository.js';
import type { CompensationContext, CompensationDeps } from './compensation-context.js';
import { type EventRow, insertEvents } from './event.repository.js';
import { runById } from './run.repository.js';
import { chunks } from '../../platform/db/chunks.js';

const idCursor = cursorCodec(['id'] as const);
const CHUNK = 500;

type Outcome = BulkApproveResult['items'][number]['outcome'];

export function createApprovalService(
  deps: CompensationDeps,
  ctx: CompensationContext,
  detail: (p: Principal, id: string) => Promise<ClaimDetail>,
) {
  const { store, audit, clock, incidents } = deps;

  /**
   * Whether `p` may approve `claim` now, and if so at which tier with how many approvals so far; nothing
   * is written. `known`: who set each claim's current amount and who approved it (bulk: read per chunk).
   */
  async function decide(
    tx: Db,
    p: Principal,
    claim: ClaimRow,
    pol: CompensationPolicy,
    known?: { setters: Map<string, string | null>; approvers: Map<string, string[]> },
  ): Promise<{ outcome: Outcome; tier?: ApprovalTier; given?: number }> {
    if (claim.status === 'approved' && claim.approved_version === claim.version) return { outcome: 'already_approved' };
    if (claim.status !== 'accepted') return { outcome: 'wrong_status' };
    const setter = known ? known.setters.get(claim.id) : (await versionOf(tx, claim.id, claim.version))?.created_by;
    if (claim.created_by === p.user.id || setter === p.user.id) return { outcome: 'own_proposal' };
    const amount = Number(claim.amount_minor);
    const cap = roleCap(pol, p.user.role);
    if (cap === undefined || (cap !== null && amount > cap)) return { outcome: 'above_tier_cap' };
    const given = (known ? known.approvers : await currentApprovers(tx, [claim])).get(claim.id) ?? [];
    if (given.includes(p.user.id)) return { outcome: 'already_approved' };
    const tier = tierFor(pol, amount);
    return {
      outcome: given.length + 1 >= tier.approvers ? 'approved' : 'approval_recorded',
      tier,
      given: given.length,
    };
  }

  const approvalRow = (p: Principal, claim: ClaimRow, tier: ApprovalTier, now: number) => ({
    id: newId(),
    claim_id: claim.id,
    version: claim.version,
    tier: tier.key,
    approver_id: p.user.id,
    approved_at: now,
  });

  /** One approval in `tx`, audited on its own; throws the refusal. */
  async function approveOne(tx: Db, p: Principal, claim: ClaimRow, ref: IncidentRef, pol: CompensationPolicy) {
    const { outcome, tier, given } = await decide(tx, p, claim, pol);
    if (!tier) throw refusal(claim, outcome, p.user.role);
    const now = clock.now();
    const amount = Number(claim.amount_minor);
    await insertApprovals(tx, [approvalRow(p, claim, tier, now)]);
    const audited = { tier: tier.key, approvals: given! + 1, needed: tier.approvers };
    if (outcome === 'approved') {
      await ctx.step(tx, p, claim, ref, {
        kind: 'approved',
        to: 'approved',
        action: 'compensation.approve',
        speaker: 'staff',
        channel: 'console',
        amountMinor: amount,
        set: { approved_version: claim.version },
        audited,
      });
      return;
    }
    // The first of two approvers: recorded, the claim waits for the second.
    await insertEvents(tx, [
      ctx.event(claim, claim, { kind: 'approval', speaker: 'staff', channel: 'console', amountMinor: amount }, p, now),
    ]);
    await audit.append(tx, actorOf(p), {
      action: 'compensation.approve',
      targetType: 'compensation_claim',
      targetId: claim.id,
      before: { ref: claim.ref, status: claim.status, version: claim.version },
      after: { ref: claim.ref, customerId: claim.customer_id, status: claim.status, amountMinor: amount, ...audited },
      incidents: [ref.id],
    });
  }

  /** A chunk of a bulk approval in `tx`: decided claim by claim, written in a few statements. */
  async function approveChunk(tx: Db, p: Principal, ref: IncidentRef, part: string[], runId: string | null) {
    const pol = await ctx.policy(tx);
    const rows = new Map((await claimsByIds(tx, part)).map((c) => [c.id, c]));
    const mine = [...rows.values()].filter((c) => c.incident_id === ref.id);
    const known = { setters: await versionSetters(tx, mine), approvers: await currentApprovers(tx, mine) };
    const now = clock.now();
    const approvals: ReturnType<typeof approvalRow>[] = [];
    const events: EventRow[] = [];
    const finals: string[] = [];
    const out: BulkApproveResult['items'] = [];
    for (const id of part) {
      const claim = rows.get(id);
      if (!claim || claim.incident_id !== ref.id) {
        out.push({ claimId: id, ref: null, outcome: 'not_found' });
        continue;
      }
      const { outcome, tier } = await decide(tx, p, claim, pol, known);
      out.push({ claimId: id, ref: claim.ref, outcome });
      if (!tier) continue;
      approvals.push(approvalRow(p, claim, tier, now));
      const amountMinor = Number(claim.amount_minor);
      if (outcome === 'approved') {
        finals.push(id);
        const after = { ...claim, status: 'approved', approved_version: claim.version, updated_at: now };
        events.push(
          ctx.event(claim, after, { kind: 'approved', speaker: 'staff', channel: 'console', amountMinor }, p, now),
        );
      } else
        events.push(
          ctx.event(claim, claim, { kind: 'approval', speaker: 'staff', channel: 'console', amountMinor }, p, now),
        );
    }
    await insertApprovals(tx, approvals);
    await markApproved(tx, finals, now);
    await insertEvents(tx, events);
    await audit.append(tx, actorOf(p), {
      action: 'compensation.bulk_approve',
      targetType: 'incident',
      targetId: ref.id,
      after: {
        runId,
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
        await approveOne(tx, p, claim, ref, await ctx.policy(tx));
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
      for (const part of chunks(ids, CHUNK)) {
        const items = await store.transaction((tx) => approveChunk(tx, p, ref, part, input.runId ?? null));
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
