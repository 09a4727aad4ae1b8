/** A customer row for tests of modules that read customers (the customer module's own import is not needed). */
import type { Services } from '../../src/server/compose.js';

/** Inserts a customer `no` (id `cust-<no>`) with masked contacts and the given branch, tier and account manager. */
export async function insertCustomer(
  s: Services,
  no: string,
  f: { branch?: string; tier?: string; am?: string } = {},
): Promise<string> {
  const id = `cust-${no}`;
  const now = s.clock.now();
  await s.store.db
    .insertInto('customers')
    .values({
      id,
      customer_no: no,
      name: `客户 ${no}`,
      pii_sealed: 'sealed',
      phone_hash: null,
      email_hash: null,
      id_number_hash: null,
      bank_card_hash: null,
      phone_masked: '138****1234',
      email_masked: 'z***@example.com',
      id_number_masked: null,
      bank_card_masked: null,
      language: 'zh-CN',
      channel: null,
      branch: f.branch ?? null,
      tier: f.tier ?? null,
      account_manager: f.am ?? null,
      opt_outs: '[]',
      source: 'api',
      version: 1,
      created_at: now,
      updated_at: now,
    })
    .execute();
  return id;
}
