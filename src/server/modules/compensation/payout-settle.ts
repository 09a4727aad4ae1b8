/**
 * Settling a payout batch's items, shared by "mark paid" and the bank's return file, in the caller's
 * transaction: paid items make their claims `paid` (batch, time, bank reference; a `paid` event on the
 * claim and the customer's record, written with `ctx.recordEvents` so the customer's payment notice is
 * queued in the same transaction), failed items leave their claims `approved` and free for a later batch. A claim no longer approved
 * at the version the batch took is never paid: its item fails (`claim_changed`). One itemised audit
 * entry per 500 items; the batch's state follows its items.
 */
import type { AuditAction } from '../../../shared/audit-actions.js';
import { conflict } from '../../platform/errors.js';
import type { Db } from '../../platform/db/types.js';
import type { AuditService } from '../audit/index.js';
import { actorOf, type Principal } from '../auth/index.js';
import type { IncidentRef } from '../incident/index.js';
import { type ClaimRow, claimsByIds } from './claim.repository.js';
import type { CompensationContext } from './compensation-context.js';
import type { EventRow } from './event.repository.js';
import {
  type BatchRow,
  type ItemRow,
  itemSums,
  markClaimsPaid,
  settleItems,
  updateBatch,
} from './payout.repository.js';

const CHUNK = 500;

export interface Settlement {
  paid: { item: ItemRow; reference: string }[];
  failed: { item: ItemRow; reason: string; reference: string | null }[];
}

export interface SettleContext {
  tx: Db;
  p: Principal;
  batch: BatchRow;
  ref: IncidentRef;
  paidAt: number;
  now: number;
  action: AuditAction;
  /** More of each audit entry's `after` (never free text). */
  audited: Record<string, unknown>;
}

/** What happened to each item, for the audit entries and the answer. */
export interface Settled {
  paid: number;
  failed: number;
}

export async function settle(
  ctx: CompensationContext,
  audit: AuditService,
  s: SettleContext,
  what: Settlement,
): Promise<Settled> {
  const { tx, p, batch, ref, now } = s;
  const claims = new Map(
    (
      await claimsByIds(
        tx,
        [...what.paid, ...what.failed].map((x) => x.item.claim_id),
      )
    ).map((c) => [c.id, c]),
  );
  const stillApproved = (item: ItemRow, c: ClaimRow | undefined) =>
    c !== undefined && c.status === 'approved' && c.version === item.claim_version && c.approved_version === c.version;
  const paid = what.paid.filter((x) => stillApproved(x.item, claims.get(x.item.claim_id)));
  const failed = [
    ...what.failed,
    ...what.paid
      .filter((x) => !stillApproved(x.item, claims.get(x.item.claim_id)))
      .map((x) => ({ item: x.item, reason: 'claim_changed', reference: null })),
  ];

  // Items by reference (mark paid: one; a return file: one per line), then their claims.
  const byReference = new Map<string, ItemRow[]>();
  for (const x of paid) byReference.set(x.reference, [...(byReference.get(x.reference) ?? []), x.item]);
  for (const [reference, items] of byReference) {
    await settleItems(
      tx,
      batch.id,
      items.map((i) => i.seq),
      { state: 'paid', bank_reference: reference, failure_reason: null, paid_at: s.paidAt, updated_at: now },
    );
    const ids = items.map((i) => i.claim_id);
    const marked = await markClaimsPaid(tx, ids, { batchId: batch.id, reference, paidAt: s.paidAt, now });
    if (marked !== ids.length) throw conflict(`claims of payout batch ${batch.id} changed while it was being paid`);
  }
  for (const x of failed)
    await settleItems(tx, batch.id, [x.item.seq], {
      state: 'failed',
      bank_reference: x.reference,
      failure_reason: x.reason.slice(0, 500),
      paid_at: null,
      updated_at: now,
    });

  const events: EventRow[] = paid.map(({ item, reference }) => {
    const before = claims.get(item.claim_id)!;
    const after = {
      ...before,
      status: 'paid',
      payout_batch_id: batch.id,
      paid_at: s.paidAt,
      paid_reference: reference,
    };
    return ctx.event(
      before,
      after,
      {
        kind: 'paid',
        speaker: 'staff',
        channel: 'console',
        amountMinor: Number(item.amount_minor),
        reason: `payout batch ${batch.id}, bank reference ${reference}`,
      },
      p,
      now,
    );
  });
  await ctx.recordEvents(tx, events);

  const lines = [
    ...paid.map((x) => ({ x: x.item, outcome: 'paid' })),
    ...failed.map((x) => ({ x: x.item, outcome: x.reason === 'claim_changed' ? 'claim_changed' : 'failed' })),
  ]
    .sort((a, b) => a.x.seq - b.x.seq)
    .map(({ x, outcome }) => ({
      seq: x.seq,
      claimId: x.claim_id,
      ref: claims.get(x.claim_id)?.ref ?? null,
      customerId: claims.get(x.claim_id)?.customer_id ?? null,
      amountMinor: Number(x.amount_minor),
      outcome,
    }));
  for (let i = 0; i < lines.length; i += CHUNK)
    await audit.append(tx, actorOf(p), {
      action: s.action,
      targetType: 'compensation_payout_batch',
      targetId: batch.id,
      after: { batchId: batch.id, currency: batch.currency, ...s.audited, items: lines.slice(i, i + CHUNK) },
      incidents: [ref.id],
    });

  await updateBatch(tx, batch.id, await nextState(tx, batch, s.paidAt, now, paid.length > 0));
  return { paid: paid.length, failed: failed.length };
}

/** The batch's state from its items: paid (all paid), partly paid (none pending, some failed), else as it was. */
async function nextState(tx: Db, batch: BatchRow, paidAt: number, now: number, anyPaid: boolean) {
  const sums = await itemSums(tx, [batch.id]);
  const count = (state: string) => sums.find((x) => x.state === state)?.count ?? 0;
  const state =
    count('pending') > 0 ? batch.state : count('failed') === 0 ? 'paid' : ('partly_paid' as BatchRow['state']);
  return {
    state,
    paid_at: anyPaid ? Math.max(batch.paid_at ?? 0, paidAt) : batch.paid_at,
    updated_at: now,
  };
}
