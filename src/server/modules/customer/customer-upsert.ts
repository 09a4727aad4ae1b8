/**
 * One customer change applied: merged with what is stored (absent keys keep, null clears), compared to
 * decide created / updated / unchanged, and written (row, sealed data, accounts) in the caller's
 * transaction. Dry runs call `plan` alone.
 */
import type { Db } from '../../platform/db/types.js';
import { newId } from '../../platform/ids.js';
import { type CustomerRow, insertCustomer, replaceAccounts, updateCustomer } from './customer.repository.js';
import type { CustomerChange } from './customer-rows.js';
import type { Sealer } from './customer-seal.js';
import { keptForm, PII_FIELDS, type Pii } from './pii.js';

export interface Existing {
  row: CustomerRow;
  pii: Pii;
  accounts: string[];
}

export interface Merged {
  name: string;
  pii: Pii;
  language: string;
  channel: string | null;
  branch: string | null;
  tier: string | null;
  accountManager: string | null;
  accounts: string[];
  optOuts: string[];
}

const sorted = (a: string[]) => [...a].sort();
const canonicalPii = (p: Pii) => JSON.stringify(PII_FIELDS.map((f) => p[f] ?? null));

export function merge(existing: Existing | undefined, c: CustomerChange): Merged {
  const pii: Pii = { ...(existing?.pii ?? {}) };
  for (const f of PII_FIELDS) {
    const v = c.pii[f];
    if (v === undefined) continue;
    if (v === null || v === '') delete pii[f];
    else pii[f] = keptForm(f, v).kept;
  }
  const row = existing?.row;
  const keep = <T>(given: T | undefined, stored: T) => (given === undefined ? stored : given);
  return {
    name: c.name ?? row?.name ?? '',
    pii,
    language: c.language ?? row?.language ?? 'zh-CN',
    channel: keep(c.channel, row?.channel ?? null),
    branch: keep(c.branch, row?.branch ?? null),
    tier: keep(c.tier, row?.tier ?? null),
    accountManager: keep(c.accountManager, row?.account_manager ?? null),
    accounts: sorted(c.accounts ?? existing?.accounts ?? []),
    optOuts: sorted(c.optOuts ?? (row ? (JSON.parse(row.opt_outs) as string[]) : [])),
  };
}

/** Whether applying `m` would create, change or leave the customer as it is. */
export function plan(existing: Existing | undefined, m: Merged): 'created' | 'updated' | 'unchanged' {
  if (!existing) return 'created';
  const r = existing.row;
  const same =
    m.name === r.name &&
    canonicalPii(m.pii) === canonicalPii(existing.pii) &&
    m.language === r.language &&
    m.channel === r.channel &&
    m.branch === r.branch &&
    m.tier === r.tier &&
    m.accountManager === r.account_manager &&
    JSON.stringify(m.accounts) === JSON.stringify(sorted(existing.accounts)) &&
    JSON.stringify(m.optOuts) === JSON.stringify(sorted(JSON.parse(r.opt_outs) as string[]));
  return same ? 'unchanged' : 'updated';
}

/** Writes the change; the outcome and the row as stored. */
export async function apply(
  tx: Db,
  sealer: Sealer,
  existing: Existing | undefined,
  customerNo: string,
  m: Merged,
  source: string,
  now: number,
): Promise<{ outcome: 'created' | 'updated' | 'unchanged'; row: CustomerRow }> {
  const outcome = plan(existing, m);
  if (outcome === 'unchanged') return { outcome, row: existing!.row };
  const id = existing?.row.id ?? newId();
  const row: CustomerRow = {
    id,
    customer_no: customerNo,
    name: m.name,
    ...sealer.seal(id, m.pii),
    language: m.language,
    channel: m.channel,
    branch: m.branch,
    tier: m.tier,
    account_manager: m.accountManager,
    opt_outs: JSON.stringify(m.optOuts),
    source,
    version: (existing?.row.version ?? 0) + 1,
    created_at: existing?.row.created_at ?? now,
    updated_at: now,
  };
  if (existing) await updateCustomer(tx, row);
  else await insertCustomer(tx, row);
  await replaceAccounts(tx, id, m.accounts, now);
  return { outcome, row };
}
