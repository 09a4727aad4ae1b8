/** SQL of customers: `customers`, `customer_accounts` and `customer_imports` (migration 0022_customers). */
import { sql } from 'kysely';
import type { CustomerImportsTable, CustomersTable, Db } from '../../platform/db/types.js';

export type CustomerRow = CustomersTable;
export type ImportRow = CustomerImportsTable;
export type HashColumn = 'phone_hash' | 'email_hash' | 'id_number_hash' | 'bank_card_hash';

export const customerByNo = (db: Db, customerNo: string): Promise<CustomerRow | undefined> =>
  db.selectFrom('customers').selectAll().where('customer_no', '=', customerNo).executeTakeFirst();

export async function customersByNos(db: Db, nos: string[]): Promise<CustomerRow[]> {
  if (nos.length === 0) return [];
  return db.selectFrom('customers').selectAll().where('customer_no', 'in', nos).execute();
}

export async function customersByIds(db: Db, ids: readonly string[]): Promise<CustomerRow[]> {
  if (ids.length === 0) return [];
  return db.selectFrom('customers').selectAll().where('id', 'in', ids).execute();
}

/** The first customer whose `column` holds one of `hashes`. */
export const customerByHash = (db: Db, column: HashColumn, hashes: string[]): Promise<CustomerRow | undefined> =>
  db.selectFrom('customers').selectAll().where(column, 'in', hashes).orderBy('customer_no').executeTakeFirst();

export async function insertCustomer(db: Db, row: CustomerRow): Promise<void> {
  await db.insertInto('customers').values(row).execute();
}

export async function updateCustomer(db: Db, row: CustomerRow): Promise<void> {
  const { id, ...rest } = row;
  await db.updateTable('customers').set(rest).where('id', '=', id).execute();
}

/** Account numbers of the customers, by customer id. */
export async function accountsOf(db: Db, customerIds: string[]): Promise<Map<string, string[]>> {
  const out = new Map<string, string[]>();
  if (customerIds.length === 0) return out;
  const rows = await db
    .selectFrom('customer_accounts')
    .select(['account_no', 'customer_id'])
    .where('customer_id', 'in', customerIds)
    .orderBy('account_no')
    .execute();
  for (const r of rows) out.set(r.customer_id, [...(out.get(r.customer_id) ?? []), r.account_no]);
  return out;
}

/** Who holds each of `accountNos` now: account -> { customerId, customerNo }. */
export async function accountOwners(
  db: Db,
  accountNos: string[],
): Promise<Map<string, { customerId: string; customerNo: string }>> {
  const out = new Map<string, { customerId: string; customerNo: string }>();
  for (let i = 0; i < accountNos.length; i += 500) {
    const rows = await db
      .selectFrom('customer_accounts as a')
      .innerJoin('customers as c', 'c.id', 'a.customer_id')
      .select(['a.account_no', 'a.customer_id', 'c.customer_no'])
      .where('a.account_no', 'in', accountNos.slice(i, i + 500))
      .execute();
    for (const r of rows) out.set(r.account_no, { customerId: r.customer_id, customerNo: r.customer_no });
  }
  return out;
}

/** Makes `accounts` the customer's accounts: others of theirs removed, new ones added. */
export async function replaceAccounts(db: Db, customerId: string, accounts: string[], now: number): Promise<void> {
  let del = db.deleteFrom('customer_accounts').where('customer_id', '=', customerId);
  if (accounts.length) del = del.where('account_no', 'not in', accounts);
  await del.execute();
  if (accounts.length === 0) return;
  const have = new Set(
    (await db.selectFrom('customer_accounts').select('account_no').where('customer_id', '=', customerId).execute()).map(
      (r) => r.account_no,
    ),
  );
  const add = accounts.filter((a) => !have.has(a));
  if (add.length)
    await db
      .insertInto('customer_accounts')
      .values(add.map((account_no) => ({ account_no, customer_id: customerId, created_at: now })))
      .execute();
}

export interface CustomerFilter {
  branch?: string;
  tier?: string;
  /** A customer no. or name prefix. */
  prefix?: string;
  /** Or an exact value by its keyed hashes. */
  hashed?: { column: HashColumn; hashes: string[] };
  /** Keyset: customer numbers after this one. */
  after?: string;
  limit: number;
}

/** Customers in customer-number order. */
export function listCustomers(db: Db, f: CustomerFilter): Promise<CustomerRow[]> {
  let q = db.selectFrom('customers').selectAll();
  if (f.branch) q = q.where('branch', '=', f.branch);
  if (f.tier) q = q.where('tier', '=', f.tier);
  const { prefix, hashed } = f;
  if (prefix !== undefined || hashed)
    q = q.where((eb) => {
      const ors = [];
      if (prefix !== undefined) {
        const n = [...prefix].length;
        ors.push(eb(sql`substr(customer_no, 1, ${n})`, '=', prefix));
        ors.push(eb(sql`substr(name, 1, ${n})`, '=', prefix));
      }
      if (hashed) ors.push(eb(hashed.column, 'in', hashed.hashes));
      return eb.or(ors);
    });
  if (f.after !== undefined) q = q.where('customer_no', '>', f.after);
  return q.orderBy('customer_no').limit(f.limit).execute();
}

/** A batch of customers after `afterId` in id order (key rotation walks the table). */
export const customersAfter = (db: Db, afterId: string, limit: number): Promise<CustomerRow[]> =>
  db.selectFrom('customers').selectAll().where('id', '>', afterId).orderBy('id').limit(limit).execute();

export async function setSealed(
  db: Db,
  id: string,
  set: Pick<CustomerRow, 'pii_sealed' | 'phone_hash' | 'email_hash' | 'id_number_hash' | 'bank_card_hash'>,
): Promise<void> {
  await db.updateTable('customers').set(set).where('id', '=', id).execute();
}

export async function insertImport(db: Db, row: ImportRow): Promise<void> {
  await db.insertInto('customer_imports').values(row).execute();
}

export const importById = (db: Db, id: string): Promise<ImportRow | undefined> =>
  db.selectFrom('customer_imports').selectAll().where('id', '=', id).executeTakeFirst();

export async function updateImport(
  db: Db,
  id: string,
  set: Partial<Omit<ImportRow, 'id' | 'created_at' | 'created_by'>>,
): Promise<void> {
  await db.updateTable('customer_imports').set(set).where('id', '=', id).execute();
}

/** Imports whose rows are still sealed (not committed yet). */
export const importsWithRows = (db: Db): Promise<Pick<ImportRow, 'id' | 'rows_sealed'>[]> =>
  db.selectFrom('customer_imports').select(['id', 'rows_sealed']).where('rows_sealed', '!=', '').execute();

/**
 * Moves an import on only while it is as the caller saw it (`state`, and `rows_done` when given): the
 * update takes the row's lock, so of two requests or runners at once one moves it and the other is told
 * it did not (false).
 */
export async function moveImport(
  db: Db,
  id: string,
  from: { state: string; rowsDone?: number },
  set: Partial<Omit<ImportRow, 'id' | 'created_at' | 'created_by'>>,
): Promise<boolean> {
  let q = db.updateTable('customer_imports').set(set).where('id', '=', id).where('state', '=', from.state);
  if (from.rowsDone !== undefined) q = q.where('rows_done', '=', from.rowsDone);
  const r = await q.executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** Customer ids of a selection (numbers, or branches and/or tiers: both given, both must match) after `afterId`, in id order. */
export function customerIdsPage(
  db: Db,
  sel: { customerNos?: readonly string[]; branches?: readonly string[]; tiers?: readonly string[] },
  afterId: string | null,
  limit: number,
): Promise<{ id: string }[]> {
  let q = db.selectFrom('customers').select('id');
  if (sel.customerNos) q = q.where('customer_no', 'in', [...sel.customerNos]);
  if (sel.branches?.length) q = q.where('branch', 'in', [...sel.branches]);
  if (sel.tiers?.length) q = q.where('tier', 'in', [...sel.tiers]);
  if (afterId !== null) q = q.where('id', '>', afterId);
  return q.orderBy('id').limit(limit).execute();
}

/** Which of these values some customer has in `column` (each an indexed look-up that stops at the first row). */
export async function valuesInUse(db: Db, column: 'branch' | 'tier', values: readonly string[]): Promise<string[]> {
  const out: string[] = [];
  for (const v of new Set(values))
    if (await db.selectFrom('customers').select('id').where(column, '=', v).limit(1).executeTakeFirst()) out.push(v);
  return out;
}

/** Customers in these branches and/or tiers (both given: both must match), in id order, at most `max`. */
export function customersInSegment(
  db: Db,
  seg: { branches?: readonly string[]; tiers?: readonly string[] },
  max: number,
): Promise<CustomerRow[]> {
  let q = db.selectFrom('customers').selectAll();
  if (seg.branches?.length) q = q.where('branch', 'in', [...seg.branches]);
  if (seg.tiers?.length) q = q.where('tier', 'in', [...seg.tiers]);
  return q.orderBy('id').limit(max).execute();
}

/** account_no -> customer id, for the known accounts among these. */
export async function customerIdsOfAccounts(db: Db, accountNos: readonly string[]): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  const unique = [...new Set(accountNos)];
  for (let i = 0; i < unique.length; i += 5000) {
    const rows = await db
      .selectFrom('customer_accounts')
      .select(['account_no', 'customer_id'])
      .where('account_no', 'in', unique.slice(i, i + 5000))
      .execute();
    for (const r of rows) out.set(r.account_no, r.customer_id);
  }
  return out;
}
