/** Customers as scoping needs them (read only; the customer module owns the tables, migration 0022_customers). */
import type { Db } from '../../platform/db/types.js';

const IN_CHUNK = 5000;

export interface CustomerBrief {
  id: string;
  customer_no: string;
  name: string;
  branch: string | null;
  tier: string | null;
  phone_masked: string | null;
}

async function chunked<T>(values: string[], run: (chunk: string[]) => Promise<T[]>): Promise<T[]> {
  const unique = [...new Set(values)];
  const out: T[] = [];
  for (let i = 0; i < unique.length; i += IN_CHUNK) out.push(...(await run(unique.slice(i, i + IN_CHUNK))));
  return out;
}

const brief = ['id', 'customer_no', 'name', 'branch', 'tier', 'phone_masked'] as const;

export const customersByIds = (db: Db, ids: string[]) =>
  chunked(ids, (c) => db.selectFrom('customers').select(brief).where('id', 'in', c).execute());

export const customersByNos = (db: Db, nos: string[]) =>
  chunked(nos, (c) => db.selectFrom('customers').select(brief).where('customer_no', 'in', c).execute());

/** account_no -> customer id, for the known accounts among these. */
export async function customerIdsOfAccounts(db: Db, accountNos: string[]): Promise<Map<string, string>> {
  const rows = await chunked(accountNos, (c) =>
    db.selectFrom('customer_accounts').select(['account_no', 'customer_id']).where('account_no', 'in', c).execute(),
  );
  return new Map(rows.map((r) => [r.account_no, r.customer_id]));
}

/** Customers in these branches and/or tiers (both given: both must match), at most `max`. */
export function customersInSegment(db: Db, seg: { branches?: string[]; tiers?: string[] }, max: number) {
  let q = db.selectFrom('customers').select(brief);
  if (seg.branches?.length) q = q.where('branch', 'in', seg.branches);
  if (seg.tiers?.length) q = q.where('tier', 'in', seg.tiers);
  return q.orderBy('id').limit(max).execute();
}
