/**
 * The files of a payout batch: the bank's batch file of the items still pending — an item paid or failed
 * is never sent to the bank again — which marks the batch exported and is a reveal of payees' names and
 * bank cards (audited with the customers it names, never logged), or the batch's ledger (every item; no
 * personal data beyond customer numbers). CSV in UTF-8 or GBK (payout-file.ts).
 */
import type { PayoutEncoding } from '../../../shared/compensation-payout-schemas.js';
import { conflict } from '../../platform/errors.js';
import { iso } from '../../platform/ids.js';
import { actorOf, assertCan, type Principal } from '../auth/index.js';
import { yuan } from './assessment/numbers.js';
import { claimsByIds } from './claim.repository.js';
import type { CompensationDeps } from './compensation-context.js';
import { allItems, updateBatch } from './payout.repository.js';
import type { PayoutService } from './payout.service.js';
import { csvText } from '../../platform/csv.js';
import { BANK_FILE_COLUMNS, encodeText, gbkCanWrite, LEDGER_COLUMNS } from './payout-file.js';

export function createPayoutExport(deps: CompensationDeps, payouts: PayoutService) {
  const { store, audit, clock } = deps;
  const { loadBatch } = payouts;

  async function file(
    p: Principal,
    key: string,
    id: string,
    q: { format: 'bank' | 'ledger'; encoding?: PayoutEncoding },
  ): Promise<{ name: string; type: string; content: Buffer }> {
    assertCan(p, 'compensation.pay');
    const encoding = q.encoding ?? deps.payoutEncoding ?? 'utf-8';
    const type = `text/csv; charset=${encoding === 'gbk' ? 'GBK' : 'utf-8'}`;
    return store.transaction(async (tx) => {
      const { ref, batch } = await loadBatch(tx, p, key, id);
      const items = await allItems(tx, batch.id);
      const claims = new Map(
        (
          await claimsByIds(
            tx,
            items.map((i) => i.claim_id),
          )
        ).map((c) => [c.id, c]),
      );
      const customerIds = [...new Set([...claims.values()].map((c) => c.customer_id))];
      if (q.format === 'ledger') {
        const nos = new Map((await deps.customers.cardsByIds(customerIds, tx)).map((c) => [c.id, c.customerNo]));
        const rows = items.map((i) => {
          const c = claims.get(i.claim_id);
          return [
            i.seq,
            c?.ref ?? '',
            (c && nos.get(c.customer_id)) ?? '',
            Number(i.amount_minor),
            yuan(Number(i.amount_minor)),
            i.currency,
            i.state,
            i.bank_reference,
            iso(i.paid_at),
            i.failure_reason,
          ];
        });
        return {
          name: `payout-${batch.id}-ledger.csv`,
          type,
          content: encodeText(csvText(LEDGER_COLUMNS, rows), encoding),
        };
      }
      // Only what is still to pay: an item paid or failed is never sent to the bank again.
      const pending = items.filter((i) => i.state === 'pending');
      if (pending.length === 0)
        throw conflict(`payout batch ${id} has nothing left to pay: its claims are paid or failed`, {
          code: 'compensation.batch_already_paid',
          params: { id, state: batch.state },
        });
      const payeeIds = [...new Set(pending.map((i) => claims.get(i.claim_id)!.customer_id))];
      const payees = new Map((await deps.payees(payeeIds, tx)).map((x) => [x.id, x]));
      const rows: (string | number)[][] = [];
      const incomplete: string[] = [];
      for (const i of pending) {
        const c = claims.get(i.claim_id)!;
        const payee = payees.get(c.customer_id);
        const memo = `赔偿 ${ref.key} ${c.ref}`;
        if (!payee?.bankCard || !payee.name || (encoding === 'gbk' && !gbkCanWrite(payee.name))) {
          incomplete.push(c.ref);
          continue;
        }
        rows.push([
          i.seq,
          c.ref,
          payee.customerNo,
          payee.name,
          payee.bankCard,
          yuan(Number(i.amount_minor)),
          i.currency,
          memo,
        ]);
      }
      if (incomplete.length)
        throw conflict(
          `payout batch ${batch.id}: ${incomplete.length} payee(s) without a bank account, or with a name ${encoding} cannot write: ${incomplete.slice(0, 20).join(', ')}`,
          {
            code: 'compensation.payee_incomplete',
            params: { id: batch.id, count: incomplete.length, ref: incomplete[0]! },
          },
        );
      const now = clock.now();
      await updateBatch(tx, batch.id, {
        state: batch.state === 'draft' ? 'exported' : batch.state,
        exported_at: batch.exported_at ?? now,
        export_count: batch.export_count + 1,
        updated_at: now,
      });
      // The export is a reveal: who, which fields, of which customers (never the values).
      await audit.append(tx, actorOf(p), {
        action: 'compensation.payout_export',
        targetType: 'compensation_payout_batch',
        targetId: batch.id,
        before: { state: batch.state, exportCount: batch.export_count },
        after: {
          batchId: batch.id,
          state: batch.state === 'draft' ? 'exported' : batch.state,
          encoding,
          items: rows.length,
          totalMinor: Number(batch.total_minor),
          revealed: { fields: ['payeeName', 'bankAccount'], customerIds: payeeIds },
        },
        incidents: [ref.id],
      });
      return {
        name: `payout-${batch.id}.csv`,
        type,
        content: encodeText(csvText(BANK_FILE_COLUMNS, rows), encoding),
      };
    });
  }

  return { file };
}
