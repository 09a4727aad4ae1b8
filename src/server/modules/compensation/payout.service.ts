/**
 * Payout batches of an incident's approved claims (docs/compensation-claims.md, "Payout batches"):
 * created once per client-chosen id (the same id again answers the batch it made), only of claims
 * approved at their approved version and in no other batch that has not failed for them; read in keyset
 * pages; marked paid with the bank's reference. The bank file and the ledger file are payout-export.ts,
 * the bank's return file payout-return.ts; settling items is payout-settle.ts.
 */
import type {
  Batch,
  BatchCreate,
  BatchDetail,
  BatchItem,
  BatchPaidBody,
} from '../../../shared/compensation-payout-schemas.js';
import { cursorCodec } from '../../platform/cursor.js';
import type { Db } from '../../platform/db/types.js';
import { conflict, notFound } from '../../platform/errors.js';
import { iso } from '../../platform/ids.js';
import { actorOf, assertCan, type Principal } from '../auth/index.js';
import type { IncidentRef } from '../incident/index.js';
import { yuan } from './assessment/numbers.js';
import { type ClaimRow, claimsByIds } from './claim.repository.js';
import type { CompensationContext, CompensationDeps } from './compensation-context.js';
import {
  allItems,
  type BatchRow,
  batchById,
  batchPage,
  type ItemRow,
  insertBatch,
  itemPage,
  itemSums,
  liveItems,
  payableClaims,
  updateBatch,
} from './payout.repository.js';
import { settle } from './payout-settle.js';

/** The most claims one batch pays (one bank file; one transaction marks them paid). */
export const BATCH_MAX_ITEMS = 10_000;

const idCursor = cursorCodec(['id'] as const);
const seqCursor = cursorCodec(['int'] as const);

const isUniqueViolation = (err: unknown): boolean => {
  const e = err as { code?: string };
  return e?.code === '23505' || e?.code === 'SQLITE_CONSTRAINT_UNIQUE' || e?.code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
};

export function createPayoutService(deps: CompensationDeps, ctx: CompensationContext) {
  const { store, audit, clock, users } = deps;

  async function loadBatch(db: Db, p: Principal, key: string, id: string) {
    const ref = await ctx.visibleIncident(db, p, key);
    const batch = await batchById(db, id);
    if (!batch || batch.incident_id !== ref.id) throw notFound(`payout batch ${id}`);
    return { ref, batch };
  }

  async function views(db: Db, rows: BatchRow[], key: string): Promise<Batch[]> {
    const sums = await itemSums(
      db,
      rows.map((r) => r.id),
    );
    const names = await users.namesOf(
      rows.flatMap((r) => (r.created_by ? [r.created_by] : [])),
      db,
    );
    return rows.map((r) => {
      const line = (state: string) => {
        const s = sums.find((x) => x.batchId === r.id && x.state === state);
        return { count: s?.count ?? 0, amountMinor: s?.amount ?? 0, amount: yuan(s?.amount ?? 0) };
      };
      return {
        id: r.id,
        incidentKey: key,
        currency: r.currency,
        state: r.state as Batch['state'],
        items: r.item_count,
        totalMinor: Number(r.total_minor),
        total: yuan(Number(r.total_minor)),
        pending: line('pending'),
        paid: line('paid'),
        failed: line('failed'),
        createdBy: r.created_by ? { id: r.created_by, name: names.get(r.created_by) ?? null } : null,
        createdAt: iso(r.created_at)!,
        exportedAt: iso(r.exported_at),
        exportCount: r.export_count,
        paidAt: iso(r.paid_at),
        bankReference: r.bank_reference,
      };
    });
  }

  /** Items with their claims' references and customer numbers. */
  async function itemViews(db: Db, items: ItemRow[]): Promise<BatchItem[]> {
    const claims = new Map(
      (
        await claimsByIds(
          db,
          items.map((i) => i.claim_id),
        )
      ).map((c) => [c.id, c]),
    );
    const cards = await deps.customers.cardsByIds(
      [...claims.values()].map((c) => c.customer_id),
      db,
    );
    const nos = new Map(cards.map((c) => [c.id, c.customerNo]));
    return items.map((i) => {
      const c = claims.get(i.claim_id);
      return {
        seq: i.seq,
        claimId: i.claim_id,
        claimRef: c?.ref ?? '',
        customerNo: (c && nos.get(c.customer_id)) ?? null,
        claimVersion: i.claim_version,
        amountMinor: Number(i.amount_minor),
        amount: yuan(Number(i.amount_minor)),
        currency: i.currency,
        state: i.state as BatchItem['state'],
        bankReference: i.bank_reference,
        failureReason: i.failure_reason,
        paidAt: iso(i.paid_at),
      };
    });
  }

  const notPayable = (c: ClaimRow, reason: string) =>
    conflict(`claim ${c.ref} cannot be paid: ${reason}`, {
      code: 'compensation.claim_not_payable',
      params: { ref: c.ref, status: c.status, reason },
    });

  /** The claims listed, each checked payable; 409 naming the first that is not. */
  async function chosenClaims(tx: Db, ref: IncidentRef, ids: string[], currency: string): Promise<ClaimRow[]> {
    const unique = [...new Set(ids)];
    const rows = new Map((await claimsByIds(tx, unique)).map((c) => [c.id, c]));
    const live = await liveItems(tx, unique);
    return unique.map((id) => {
      const c = rows.get(id);
      if (!c || c.incident_id !== ref.id) throw notFound(`claim ${id} of ${ref.key}`);
      if (c.status !== 'approved') throw notPayable(c, c.status === 'paid' ? 'already paid' : `it is ${c.status}`);
      if (c.approved_version !== c.version) throw notPayable(c, 'its current version is not approved');
      if (c.currency !== currency) throw notPayable(c, `its currency is ${c.currency}`);
      if (Number(c.amount_minor) <= 0) throw notPayable(c, 'its amount is zero');
      const item = live.get(id);
      if (item)
        throw conflict(`claim ${c.ref} is already in payout batch ${item.batch_id}`, {
          code: 'compensation.claim_in_batch',
          params: { ref: c.ref, batchId: item.batch_id },
        });
      return c;
    });
  }

  async function existing(ref: IncidentRef, id: string): Promise<Batch | null> {
    const batch = await batchById(store.db, id);
    if (!batch) return null;
    if (batch.incident_id !== ref.id)
      throw conflict(`payout batch ${id} exists in another incident`, {
        code: 'compensation.batch_id_taken',
        params: { id },
      });
    return (await views(store.db, [batch], ref.key))[0]!;
  }

  return {
    /** Creates the batch, or answers the one this id already made (`created: false`). */
    async create(p: Principal, key: string, body: BatchCreate): Promise<{ batch: Batch; created: boolean }> {
      assertCan(p, 'compensation.pay');
      const ref = await ctx.visibleIncident(store.db, p, key);
      const before = await existing(ref, body.id);
      if (before) return { batch: before, created: false };
      const currency = (await ctx.policy(store.db)).currency;
      try {
        await store.transaction(async (tx) => {
          const claims = body.claimIds
            ? await chosenClaims(tx, ref, body.claimIds, currency)
            : await payableClaims(tx, ref.id, currency, BATCH_MAX_ITEMS);
          if (claims.length === 0)
            throw conflict(`no approved claim of ${ref.key} is waiting for payment`, {
              code: 'compensation.nothing_to_pay',
              params: { key: ref.key },
            });
          const now = clock.now();
          const items: ItemRow[] = claims.map((c, i) => ({
            batch_id: body.id,
            seq: i + 1,
            claim_id: c.id,
            claim_version: c.version,
            amount_minor: Number(c.amount_minor),
            currency: c.currency,
            state: 'pending',
            bank_reference: null,
            failure_reason: null,
            paid_at: null,
            updated_at: now,
          }));
          const total = items.reduce((s, i) => s + i.amount_minor, 0);
          await insertBatch(
            tx,
            {
              id: body.id,
              incident_id: ref.id,
              currency,
              state: 'draft',
              item_count: items.length,
              total_minor: total,
              created_by: p.user.id,
              created_at: now,
              exported_at: null,
              export_count: 0,
              paid_at: null,
              bank_reference: null,
              updated_at: now,
            },
            items,
          );
          await audit.append(tx, actorOf(p), {
            action: 'compensation.payout_create',
            targetType: 'compensation_payout_batch',
            targetId: body.id,
            after: {
              batchId: body.id,
              currency,
              items: items.length,
              totalMinor: total,
              claims: claims.map((c, i) => ({
                seq: i + 1,
                claimId: c.id,
                ref: c.ref,
                amountMinor: items[i]!.amount_minor,
              })),
            },
            incidents: [ref.id],
          });
        });
      } catch (err) {
        // Two requests with one id at once: the second answers the first's batch, whatever it met (the
        // id's key, the claims' index, or the claims already taken by the first). A claim taken by
        // another batch meanwhile: the store's unique index refused it.
        const raced = await existing(ref, body.id);
        if (raced) return { batch: raced, created: false };
        if (!isUniqueViolation(err)) throw err;
        throw conflict('a claim of this batch was put in another batch at the same time: try again', {
          code: 'compensation.claim_in_batch',
        });
      }
      return { batch: (await existing(ref, body.id))!, created: true };
    },

    async list(p: Principal, key: string, q: { limit: number; cursor?: string }) {
      assertCan(p, 'compensation.read');
      const ref = await ctx.visibleIncident(store.db, p, key);
      const before = q.cursor ? idCursor.decode(q.cursor)[0] : null;
      const rows = await batchPage(store.db, ref.id, before, q.limit + 1);
      const page = rows.slice(0, q.limit);
      return {
        items: await views(store.db, page, ref.key),
        next: rows.length > q.limit ? idCursor.encode([page.at(-1)!.id]) : null,
      };
    },

    async get(p: Principal, key: string, id: string, q: { limit: number; cursor?: string }): Promise<BatchDetail> {
      assertCan(p, 'compensation.read');
      const { ref, batch } = await loadBatch(store.db, p, key, id);
      const after = q.cursor ? seqCursor.decode(q.cursor)[0] : null;
      const rows = await itemPage(store.db, batch.id, after, q.limit + 1);
      const page = rows.slice(0, q.limit);
      return {
        ...(await views(store.db, [batch], ref.key))[0]!,
        lines: {
          items: await itemViews(store.db, page),
          next: rows.length > q.limit ? seqCursor.encode([page.at(-1)!.seq]) : null,
        },
      };
    },

    /** Every pending item paid with the bank's reference; its claims `paid`. 409 when nothing is pending. */
    async markPaid(p: Principal, key: string, id: string, body: BatchPaidBody): Promise<Batch> {
      assertCan(p, 'compensation.pay');
      return store.transaction(async (tx) => {
        const { ref, batch } = await loadBatch(tx, p, key, id);
        if (batch.state === 'draft')
          throw conflict(`payout batch ${id} has not been exported to the bank`, {
            code: 'compensation.batch_not_exported',
            params: { id },
          });
        const pending = (await allItems(tx, batch.id)).filter((i) => i.state === 'pending');
        if (pending.length === 0)
          throw conflict(`payout batch ${id} has nothing left to pay: its claims are paid or failed`, {
            code: 'compensation.batch_already_paid',
            params: { id, state: batch.state },
          });
        const now = clock.now();
        const paidAt = body.paidAt ? Date.parse(body.paidAt) : now;
        await updateBatch(tx, batch.id, { bank_reference: body.reference, updated_at: now });
        await settle(
          ctx,
          audit,
          {
            tx,
            p,
            batch: { ...batch, bank_reference: body.reference },
            ref,
            paidAt,
            now,
            action: 'compensation.payout_paid',
            audited: { reference: body.reference, paidAt: iso(paidAt) },
          },
          { paid: pending.map((item) => ({ item, reference: body.reference })), failed: [] },
        );
        return (await views(tx, [(await batchById(tx, batch.id))!], ref.key))[0]!;
      });
    },

    loadBatch,
    views,
  };
}

export type PayoutService = ReturnType<typeof createPayoutService>;
