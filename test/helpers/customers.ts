/** Customers straight into the store for scoping tests and benches (the customer module's service is not needed). */
import type { Store } from '../../src/server/platform/db/connect.js';

export interface TestCustomer {
  customerNo: string;
  name: string;
  branch?: string | null;
  tier?: string | null;
  phoneMasked?: string | null;
  accounts?: string[];
}

/** Inserts customers (sealed PII a placeholder, no hashes) and their accounts; returns their ids by customer number. */
export async function insertCustomers(store: Store, customers: TestCustomer[], now = 0): Promise<Map<string, string>> {
  const ids = new Map<string, string>();
  await store.transaction(async (tx) => {
    for (const c of customers) {
      const id = `cus-${c.customerNo}`;
      ids.set(c.customerNo, id);
      await tx
        .insertInto('customers')
        .values({
          id,
          customer_no: c.customerNo,
          name: c.name,
          pii_sealed: '{}',
          phone_hash: null,
          email_hash: null,
          id_number_hash: null,
          bank_card_hash: null,
          phone_masked: c.phoneMasked ?? null,
          email_masked: null,
          id_number_masked: null,
          bank_card_masked: null,
          language: 'zh-CN',
          channel: null,
          branch: c.branch ?? null,
          tier: c.tier ?? null,
          account_manager: null,
          opt_outs: '[]',
          source: 'api',
          version: 1,
          created_at: now,
          updated_at: now,
        })
        .execute();
      for (const a of c.accounts ?? [])
        await tx.insertInto('customer_accounts').values({ account_no: a, customer_id: id, created_at: now }).execute();
    }
  });
  return ids;
}
