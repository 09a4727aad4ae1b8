/**
 * A batch of changes read against the store in a few queries: the customers they name, their accounts,
 * who holds the accounts they ask for. Each item comes back with its problems (an account held by
 * another customer, a new customer without a name) or what applying it would do. Used by the dry run,
 * the commit's batches and the CRM sync alike, so all three judge a row the same way.
 */
import type { RowProblem } from '../../../shared/customer-schemas.js';
import type { Db } from '../../platform/db/types.js';
import { accountOwners, accountsOf, customersByNos } from './customer.repository.js';
import { type CustomerChange, problem } from './customer-rows.js';
import type { Sealer } from './customer-seal.js';
import { type Existing, type Merged, merge, plan } from './customer-upsert.js';

export interface Judged {
  change: CustomerChange;
  problems: RowProblem[];
  existing?: Existing;
  merged?: Merged;
  outcome?: 'created' | 'updated' | 'unchanged';
}

export async function judgeBatch(db: Db, sealer: Sealer, changes: CustomerChange[]): Promise<Judged[]> {
  const rows = await customersByNos(
    db,
    changes.map((c) => c.customerNo),
  );
  const byNo = new Map(rows.map((r) => [r.customer_no, r]));
  const accounts = await accountsOf(
    db,
    rows.map((r) => r.id),
  );
  const owners = await accountOwners(
    db,
    changes.flatMap((c) => c.accounts ?? []),
  );
  return changes.map((change): Judged => {
    const row = byNo.get(change.customerNo);
    const existing = row ? { row, pii: sealer.open(row), accounts: accounts.get(row.id) ?? [] } : undefined;
    const merged = merge(existing, change);
    const problems: RowProblem[] = [];
    if (!merged.name) problems.push(problem('name', 'missing_name'));
    for (const a of change.accounts ?? []) {
      const owner = owners.get(a);
      if (owner && owner.customerNo !== change.customerNo)
        problems.push(problem('accounts', 'account_taken', { account: a, customerNo: owner.customerNo }));
    }
    if (problems.length) return { change, problems };
    return { change, problems, existing, merged, outcome: plan(existing, merged) };
  });
}
