/**
 * Key rotation of customers' personal data: every row not sealed under the current secret key is
 * opened with its old key and sealed and hashed again under the current one, in batches (one
 * transaction each), and so are the rows of imports not yet committed. Run by `tocsin customers rekey`
 * after TOCSIN_SECRET_KEY changed (the old key in TOCSIN_SECRET_KEYS_OLD until this has run).
 */
import type { Store } from '../../platform/db/connect.js';
import type { SecretBox } from '../../platform/secret-box.js';
import type { Actor, AuditService } from '../audit/index.js';
import { customersAfter, importsWithRows, setSealed, updateImport } from './customer.repository.js';
import type { Sealer } from './customer-seal.js';

export function createRekey(deps: { store: Store; audit: AuditService; box: SecretBox; sealer: Sealer }) {
  const { store, audit, box, sealer } = deps;
  /** Re-seals what needs it; how many rows were read and how many re-sealed. */
  return async function rekey(
    actor: Actor,
    opts: { batch?: number } = {},
  ): Promise<{ rows: number; resealed: number }> {
    const batch = opts.batch ?? 200;
    let after = '';
    let rows = 0;
    let resealed = 0;
    for (;;) {
      const done = await store.transaction(async (tx) => {
        const page = await customersAfter(tx, after, batch);
        for (const r of page) {
          rows++;
          if (sealer.isCurrent(r)) continue;
          const { pii_sealed, phone_hash, email_hash, id_number_hash, bank_card_hash } = sealer.seal(
            r.id,
            sealer.open(r),
          );
          await setSealed(tx, r.id, { pii_sealed, phone_hash, email_hash, id_number_hash, bank_card_hash });
          resealed++;
        }
        after = page[page.length - 1]?.id ?? after;
        return page.length < batch;
      });
      if (done) break;
    }
    await store.transaction(async (tx) => {
      for (const i of await importsWithRows(tx)) {
        const aad = `customer-import:${i.id}`;
        if (!box.isCurrent(i.rows_sealed))
          await updateImport(tx, i.id, { rows_sealed: box.rotate(i.rows_sealed, aad) });
      }
      await audit.append(tx, actor, {
        action: 'customer.rekey',
        targetType: 'customer',
        targetId: null,
        after: { rows, resealed },
      });
    });
    return { rows, resealed };
  };
}
