/**
 * The default audience port over the customer table of migration 0022 (`customers`):
 * audiences are read a page at a time in customer-id order (keyset: never the whole audience in
 * memory). Affected-customer sets belong to the scoping module: their members come through the
 * `setMembers` function compose passes in; without it a set audience is refused.
 */
import type { AudiencePort, SetMembers } from './campaign-ports.js';
import type { Db } from '../../platform/db/types.js';
import { invalid } from '../../platform/errors.js';

const noSets: SetMembers = () => {
  throw invalid('affected sets are not available', [
    { path: 'audience.setId', message: 'affected sets are not available', code: 'custom' },
  ]);
};

export function defaultAudience(setMembers: SetMembers = noSets): AudiencePort {
  return {
    async page(db, audience, after, limit) {
      if (audience.kind === 'set') return setMembers(db, audience, after, limit);
      let q = db.selectFrom('customers').select('id');
      if (audience.kind === 'customers') q = q.where('customer_no', 'in', audience.customerNos);
      else {
        if (audience.branches?.length) q = q.where('branch', 'in', audience.branches);
        if (audience.tiers?.length) q = q.where('tier', 'in', audience.tiers);
      }
      if (after !== null) q = q.where('id', '>', after);
      const rows = await q.orderBy('id').limit(limit).execute();
      return rows.map((r) => r.id);
    },
  };
}

/** The id of a customer by number (for the preview). */
export const customerIdByNo = async (db: Db, customerNo: string): Promise<string | null> =>
  (await db.selectFrom('customers').select('id').where('customer_no', '=', customerNo).executeTakeFirst())?.id ?? null;
