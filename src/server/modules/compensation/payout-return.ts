/**
 * The bank's return file of a payout batch: a CSV (UTF-8 or GBK, declared with ?encoding= or detected)
 * whose lines name an item by seq or claim reference with the result (success | failed), the bank's
 * reference and a reason. Successes are paid as "mark paid" pays them, failures free their claims for a
 * later batch; each line that cannot be used is reported with its line number and why (a problem+json
 * only when no line can be used). A line saying what is already recorded changes nothing, so importing
 * the same file twice changes nothing the second time; a paid item never changes again.
 */
import { createHash } from 'node:crypto';
import type { PayoutEncoding, ReturnResult } from '../../../shared/compensation-payout-schemas.js';
import { conflict, invalid } from '../../platform/errors.js';
import { iso } from '../../platform/ids.js';
import { assertCan, type Principal } from '../auth/index.js';
import { claimsByIds } from './claim.repository.js';
import type { CompensationContext, CompensationDeps } from './compensation-context.js';
import { allItems, batchById, type ItemRow } from './payout.repository.js';
import type { PayoutService } from './payout.service.js';
import { decodeText, readReturnFile, resultOf } from './payout-file.js';
import { type Settlement, settle } from './payout-settle.js';

/** The largest return file read (a line per item of the largest batch, with room). */
export const RETURN_MAX_BYTES = 8 * 1024 * 1024;

type Problem = { line: number; reason: string };

export function createPayoutReturns(deps: CompensationDeps, ctx: CompensationContext, payouts: PayoutService) {
  const { store, audit, clock } = deps;

  return {
    async importReturn(
      p: Principal,
      key: string,
      id: string,
      bytes: Buffer | undefined,
      declared?: PayoutEncoding,
    ): Promise<ReturnResult> {
      assertCan(p, 'compensation.pay');
      if (!bytes?.length)
        throw invalid('send the return file as the request body (text/csv)', [
          { path: 'body', message: 'the return file is empty', code: 'required' },
        ]);
      const { text, encoding } = decodeText(bytes, declared);
      const file = readReturnFile(text);
      const sha256 = createHash('sha256').update(bytes).digest('hex');
      return store.transaction(async (tx) => {
        const { ref, batch } = await payouts.loadBatch(tx, p, key, id);
        if (batch.state === 'draft')
          throw conflict(`payout batch ${id} has not been exported to the bank`, {
            code: 'compensation.batch_not_exported',
            params: { id },
          });
        if (!file.ok) throw unusable([{ line: 1, reason: file.reason }]);
        const items = await allItems(tx, batch.id);
        const bySeq = new Map(items.map((i) => [i.seq, i]));
        const refs = new Map(
          (
            await claimsByIds(
              tx,
              items.map((i) => i.claim_id),
            )
          ).map((c) => [c.ref, c.id]),
        );
        const byClaim = new Map(items.map((i) => [i.claim_id, i]));
        const problems: Problem[] = [...file.problems];
        const seen = new Map<number, { line: number; result: string }>();
        const what: Settlement = { paid: [], failed: [] };
        let unchanged = 0;
        for (const l of file.lines) {
          const bad = (reason: string) => problems.push({ line: l.line, reason });
          let item: ItemRow | undefined;
          if (l.seq) {
            if (!/^\d{1,9}$/.test(l.seq)) {
              bad(`seq "${l.seq.slice(0, 20)}" is not a number`);
              continue;
            }
            item = bySeq.get(Number(l.seq));
            if (!item) {
              bad(`no item ${l.seq} in batch ${batch.id}`);
              continue;
            }
          }
          if (l.claimRef) {
            const claimId = refs.get(l.claimRef);
            const byRef = claimId ? byClaim.get(claimId) : undefined;
            if (!byRef) {
              bad(`claim ${l.claimRef.slice(0, 40)} is not in batch ${batch.id}`);
              continue;
            }
            if (item && item !== byRef) {
              bad(`seq ${l.seq} is claim ${[...refs].find(([, c]) => c === item!.claim_id)?.[0]}, not ${l.claimRef}`);
              continue;
            }
            item = byRef;
          }
          if (!item) {
            bad('neither a seq nor a claim reference');
            continue;
          }
          const result = resultOf(l.result);
          if (!result) {
            bad(`result "${l.result.slice(0, 20)}" is neither success nor failed`);
            continue;
          }
          const reference = l.reference.slice(0, 120);
          if (result === 'success' && !reference) {
            bad('a success needs the bank reference');
            continue;
          }
          const earlier = seen.get(item.seq);
          if (earlier) {
            if (earlier.result === result) unchanged++;
            else bad(`item ${item.seq} is on line ${earlier.line} already, with another result`);
            continue;
          }
          seen.set(item.seq, { line: l.line, result });
          if (item.state === 'paid') {
            if (result === 'success' && item.bank_reference === reference) unchanged++;
            else
              bad(
                `item ${item.seq} is paid already (bank reference ${item.bank_reference}): a paid item does not change`,
              );
            continue;
          }
          if (item.state === 'failed') {
            if (result === 'failed') unchanged++;
            else bad(`item ${item.seq} failed earlier: its claim is paid through a new batch, not this one`);
            continue;
          }
          if (result === 'success') what.paid.push({ item, reference });
          else what.failed.push({ item, reason: l.reason || 'failed', reference: reference || null });
        }
        problems.sort((a, b) => a.line - b.line);
        if (what.paid.length + what.failed.length + unchanged === 0) throw unusable(problems);
        const now = clock.now();
        let settled = { paid: 0, failed: 0 };
        if (what.paid.length + what.failed.length > 0)
          settled = await settle(
            ctx,
            audit,
            {
              tx,
              p,
              batch,
              ref,
              paidAt: now,
              now,
              action: 'compensation.payout_return',
              audited: { encoding, sha256, problems: problems.length, unchanged, at: iso(now) },
            },
            what,
          );
        const after = (await payouts.views(tx, [(await batchById(tx, batch.id))!], ref.key))[0]!;
        return { batch: after, encoding, paid: settled.paid, failed: settled.failed, unchanged, problems };
      });
    },
  };
}

/** 422 with every bad line, when no line of the file could be used. */
function unusable(problems: Problem[]) {
  return invalid(
    `no line of the return file could be used: ${problems
      .slice(0, 5)
      .map((x) => `line ${x.line}: ${x.reason}`)
      .join('; ')}`,
    problems.slice(0, 200).map((x) => ({
      path: `body.line.${x.line}`,
      message: x.reason,
      code: 'invalid_value' as const,
      params: { line: x.line },
    })),
    { code: 'compensation.return_unusable' },
  );
}
