/**
 * The customer directory other modules read (campaign audiences, scoping, owners): who a customer is
 * with masked contacts only, the customers of a selection a page at a time, whether branches and tiers
 * exist, and the customers of accounts. Each function takes the caller's transaction handle (default:
 * the store), so a reader sees the customers as its own transaction does. No personal value is
 * unsealed here (that is `contactsOf`, for sending).
 */
import type { Store } from '../../platform/db/connect.js';
import type { Db } from '../../platform/db/types.js';
import {
  accountOwners,
  type CustomerRow,
  customerByNo,
  customerIdsOfAccounts,
  customerIdsPage,
  customersByIds,
  customersByNos,
  customersInSegment,
  valuesInUse,
} from './customer.repository.js';

/** What another module may show of a customer: no sealed PII, contacts masked. */
export interface CustomerCard {
  id: string;
  customerNo: string;
  name: string;
  branch: string | null;
  tier: string | null;
  language: string;
  phoneMasked: string | null;
  emailMasked: string | null;
  accountManager: string | null;
}

/** A selection of customers: by number, or a segment of branches and/or tiers (both given: both must match). */
export type CustomerSelection =
  | { customerNos: readonly string[] }
  | { branches?: readonly string[]; tiers?: readonly string[] };

const IN_CHUNK = 1000;

const toCard = (r: CustomerRow): CustomerCard => ({
  id: r.id,
  customerNo: r.customer_no,
  name: r.name,
  branch: r.branch,
  tier: r.tier,
  language: r.language,
  phoneMasked: r.phone_masked,
  emailMasked: r.email_masked,
  accountManager: r.account_manager,
});

async function chunked<T>(values: readonly string[], run: (chunk: string[]) => Promise<T[]>): Promise<T[]> {
  const unique = [...new Set(values)];
  const out: T[] = [];
  for (let i = 0; i < unique.length; i += IN_CHUNK) out.push(...(await run(unique.slice(i, i + IN_CHUNK))));
  return out;
}

export function createCustomerDirectory(store: Store) {
  return {
    /** Customers by id (unknown ids are left out; any order). */
    async cardsByIds(ids: readonly string[], db: Db = store.db): Promise<CustomerCard[]> {
      return (await chunked(ids, (c) => customersByIds(db, c))).map(toCard);
    },

    /** Customers by customer number (unknown numbers are left out; any order). */
    async cardsByNos(nos: readonly string[], db: Db = store.db): Promise<CustomerCard[]> {
      return (await chunked(nos, (c) => customersByNos(db, c))).map(toCard);
    },

    /** The customers of a segment in id order, at most `max`. */
    async cardsInSegment(
      seg: { branches?: readonly string[]; tiers?: readonly string[] },
      max: number,
      db: Db = store.db,
    ): Promise<CustomerCard[]> {
      return (await customersInSegment(db, seg, max)).map(toCard);
    },

    /** The id of a customer by number; null when there is none. */
    async idOfNo(customerNo: string, db: Db = store.db): Promise<string | null> {
      return (await customerByNo(db, customerNo))?.id ?? null;
    },

    /** Customer ids of a selection after `after`, `limit` at a time, in id order (keyset pages). */
    async idsPage(sel: CustomerSelection, after: string | null, limit: number, db: Db = store.db): Promise<string[]> {
      return (await customerIdsPage(db, sel, after, limit)).map((r) => r.id);
    },

    /** The branches and tiers of these that no customer has. */
    async unknownSegmentValues(
      seg: { branches?: readonly string[]; tiers?: readonly string[] },
      db: Db = store.db,
    ): Promise<{ branches: string[]; tiers: string[] }> {
      const branches = seg.branches ?? [];
      const tiers = seg.tiers ?? [];
      const knownB = new Set(await valuesInUse(db, 'branch', branches));
      const knownT = new Set(await valuesInUse(db, 'tier', tiers));
      return { branches: branches.filter((b) => !knownB.has(b)), tiers: tiers.filter((t) => !knownT.has(t)) };
    },

    /** account number -> customer id, for the known accounts among these. */
    customerIdsOfAccounts(accountNos: readonly string[], db: Db = store.db): Promise<Map<string, string>> {
      return customerIdsOfAccounts(db, accountNos);
    },

    /** account number -> customer number, for the known accounts among these. */
    async customerNosOfAccounts(accountNos: readonly string[], db: Db = store.db): Promise<Map<string, string>> {
      const owners = await accountOwners(db, [...new Set(accountNos)]);
      return new Map([...owners].map(([a, o]) => [a, o.customerNo]));
    },
  };
}

export type CustomerDirectory = ReturnType<typeof createCustomerDirectory>;
