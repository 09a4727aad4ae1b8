/**
 * SQL of payout batches (migration 0038_payout_batches): batches and their items, the approved claims a
 * batch may take, the items' sums per state, and the claims a payment marks paid.
 */
import type { CompensationPayoutBatchesTable, CompensationPayoutItemsTable, Db } from '../../platform/db/types.js';
import type { ClaimRow } from './claim.repository.js';
import { chunks } from '../../platform/db/chunks.js';

export type BatchRow = CompensationPayoutBatchesTable;
export type ItemRow = CompensationPayoutItemsTable;

const CHUNK = 500;

export const batchById = (db: Db, id: string) =>
  db.selectFrom('compensation_payout_batches').selectAll().where('id', '=', id).executeTakeFirst();

export async function insertBatch(db: Db, batch: BatchRow, items: ItemRow[]): Promise<void> {
  await db.insertInto('compensation_payout_batches').values(batch).execute();
  for (const part of chunks(items, CHUNK)) await db.insertInto('compensation_payout_items').values(part).execute();
}

export async function updateBatch(db: Db, id: string, set: Partial<BatchRow>): Promise<void> {
  await db.updateTable('compensation_payout_batches').set(set).where('id', '=', id).execute();
}

/** An incident's batches, newest id first, before `before`. */
export function batchPage(db: Db, incidentId: string, before: string | null, limit: number): Promise<BatchRow[]> {
  let q = db.selectFrom('compensation_payout_batches').selectAll().where('incident_id', '=', incidentId);
  if (before !== null) q = q.where('id', '<', before);
  return q.orderBy('id', 'desc').limit(limit).execute();
}

/** A batch's items by seq, after `after`. */
export function itemPage(db: Db, batchId: string, after: number | null, limit: number): Promise<ItemRow[]> {
  let q = db.selectFrom('compensation_payout_items').selectAll().where('batch_id', '=', batchId);
  if (after !== null) q = q.where('seq', '>', after);
  return q.orderBy('seq').limit(limit).execute();
}

export const allItems = (db: Db, batchId: string) =>
  db.selectFrom('compensation_payout_items').selectAll().where('batch_id', '=', batchId).orderBy('seq').execute();

/** Per batch and item state: how many items, and their sum. */
export async function itemSums(db: Db, batchIds: string[]) {
  if (batchIds.length === 0) return [];
  const rows = await db
    .selectFrom('compensation_payout_items')
    .select((eb) => ['batch_id', 'state', eb.fn.countAll<number>().as('n'), eb.fn.sum<number>('amount_minor').as('s')])
    .where('batch_id', 'in', batchIds)
    .groupBy(['batch_id', 'state'])
    .execute();
  return rows.map((r) => ({ batchId: r.batch_id, state: r.state, count: Number(r.n), amount: Number(r.s ?? 0) }));
}

/**
 * Claims a batch may pay: approved at their approved version, of `currency`, more than zero, in no
 * batch that has not failed for them — in id order, at most `limit`.
 */
export function payableClaims(db: Db, incidentId: string, currency: string, limit: number): Promise<ClaimRow[]> {
  return db
    .selectFrom('compensation_claims as c')
    .selectAll('c')
    .where('c.incident_id', '=', incidentId)
    .where('c.status', '=', 'approved')
    .whereRef('c.approved_version', '=', 'c.version')
    .where('c.currency', '=', currency)
    .where('c.amount_minor', '>', 0)
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom('compensation_payout_items as i')
            .select('i.seq')
            .whereRef('i.claim_id', '=', 'c.id')
            .where('i.state', '!=', 'failed'),
        ),
      ),
    )
    .orderBy('c.id')
    .limit(limit)
    .execute();
}

/** The item that is not failed of each of these claims (pending or paid), by claim id. */
export async function liveItems(db: Db, claimIds: string[]): Promise<Map<string, ItemRow>> {
  const out = new Map<string, ItemRow>();
  for (const part of chunks(claimIds, CHUNK)) {
    const rows = await db
      .selectFrom('compensation_payout_items')
      .selectAll()
      .where('claim_id', 'in', part)
      .where('state', '!=', 'failed')
      .execute();
    for (const r of rows) out.set(r.claim_id, r);
  }
  return out;
}

/** Settles items of a batch: paid (with reference and time) or failed (with the reason), only from pending. */
export async function settleItems(
  db: Db,
  batchId: string,
  seqs: number[],
  set: Pick<ItemRow, 'state' | 'bank_reference' | 'failure_reason' | 'paid_at' | 'updated_at'>,
): Promise<void> {
  for (const part of chunks(seqs, CHUNK)) {
    await db
      .updateTable('compensation_payout_items')
      .set(set)
      .where('batch_id', '=', batchId)
      .where('seq', 'in', part)
      .where('state', '=', 'pending')
      .execute();
  }
}

/** Approved claims a batch paid, all with one bank reference; returns how many were still approved and so marked. */
export async function markClaimsPaid(
  db: Db,
  ids: string[],
  paid: { batchId: string; reference: string; paidAt: number; now: number },
): Promise<number> {
  let n = 0;
  for (const part of chunks(ids, CHUNK)) {
    const r = await db
      .updateTable('compensation_claims')
      .set({
        status: 'paid',
        payout_batch_id: paid.batchId,
        paid_at: paid.paidAt,
        paid_reference: paid.reference,
        updated_at: paid.now,
      })
      .where('id', 'in', part)
      .where('status', '=', 'approved')
      .executeTakeFirst();
    n += Number(r.numUpdatedRows);
  }
  return n;
}

/** Per currency: approved claims waiting in a pending item, and failed items' claims (for the ledger). */
export async function payoutSums(db: Db, incidentId: string) {
  const rows = await db
    .selectFrom('compensation_payout_items as i')
    .innerJoin('compensation_payout_batches as b', 'b.id', 'i.batch_id')
    .select((eb) => [
      'i.currency',
      'i.state',
      eb.fn.countAll<number>().as('n'),
      eb.fn.sum<number>('i.amount_minor').as('s'),
    ])
    .where('b.incident_id', '=', incidentId)
    .groupBy(['i.currency', 'i.state'])
    .execute();
  return rows.map((r) => ({ currency: r.currency, state: r.state, count: Number(r.n), amount: Number(r.s ?? 0) }));
}
