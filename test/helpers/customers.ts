/**
 * Customers straight into the store, for tests and benches of modules that read customers (scoping,
 * owners): the customer module's import and sealing are not needed.
 */
import type { Services } from '../../src/server/compose.js';
import type { Store } from '../../src/server/platform/db/connect.js';

export interface TestCustomer {
  customerNo: string;
  name: string;
  /** Default `cus-<customerNo>`. */
  id?: string;
  branch?: string | null;
  tier?: string | null;
  accountManager?: string | null;
  phoneMasked?: string | null;
  emailMasked?: string | null;
  accounts?: string[];
}

/** Inserts customers (sealed PII a placeholder, no hashes) and their accounts; returns their ids by customer number. */
export async function insertCustomers(store: Store, customers: TestCustomer[], now = 0): Promise<Map<string, string>> {
  const ids = new Map<string, string>();
  await store.transaction(async (tx) => {
    for (const c of customers) {
      const id = c.id ?? `cus-${c.customerNo}`;
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
          email_masked: c.emailMasked ?? null,
          id_number_masked: null,
          bank_card_masked: null,
          language: 'zh-CN',
          channel: null,
          branch: c.branch ?? null,
          tier: c.tier ?? null,
          account_manager: c.accountManager ?? null,
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

/** Inserts customer `no` (id `cust-<no>`) with masked contacts and the given branch, tier and account manager. */
export async function insertCustomer(
  s: Services,
  no: string,
  f: { branch?: string; tier?: string; am?: string } = {},
): Promise<string> {
  const id = `cust-${no}`;
  await insertCustomers(
    s.store,
    [
      {
        id,
        customerNo: no,
        name: `客户 ${no}`,
        branch: f.branch,
        tier: f.tier,
        accountManager: f.am,
        phoneMasked: '138****1234',
        emailMasked: 'z***@example.com',
      },
    ],
    s.clock.now(),
  );
  return id;
}
