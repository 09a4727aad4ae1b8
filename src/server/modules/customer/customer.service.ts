/**
 * Customers: the CRM's upserts (one, or batches of up to 1,000 with a result per item), the masked list
 * and record, reveal (the clear values, for a stated reason, audited), and for other modules the
 * lookup by contact and the contacts to send to. Personal values are never logged nor audited.
 */
import type {
  Customer,
  CustomerPage,
  CustomerQuery,
  CustomerSyncBatch,
  CustomerSyncResult,
  CustomerUpsert,
  Revealed,
  RevealBody,
  RowProblem,
} from '../../../shared/customer-schemas.js';
import { cursorCodec } from '../../platform/cursor.js';
import type { Store } from '../../platform/db/connect.js';
import type { Db } from '../../platform/db/types.js';
import { AppError, notFound } from '../../platform/errors.js';
import type { Clock } from '../../platform/ids.js';
import type { AuditService } from '../audit/index.js';
import { actorOf, assertCan, type Principal } from '../auth/index.js';
import {
  accountsOf,
  customerByHash,
  customerByNo,
  customersByIds,
  type HashColumn,
  listCustomers,
} from './customer.repository.js';
import { toCustomer } from './customer.mapper.js';
import { judgeBatch } from './customer-batch.js';
import { changeOf, piiProblems, problem } from './customer-rows.js';
import { HASH_COLUMN, type Sealer } from './customer-seal.js';
import { apply } from './customer-upsert.js';
import { isValidEmail, isValidIdNumber, isValidPhone, type PiiField } from './pii.js';

export interface CustomerDeps {
  store: Store;
  audit: AuditService;
  clock: Clock;
  sealer: Sealer;
}

const cursor = cursorCodec(['text']);

/** 422 listing an item's problems, in the problem's `errors`. */
const rejected = (problems: RowProblem[]) =>
  new AppError(
    422,
    'validation',
    'Invalid request',
    `the customer is not stored: ${problems.map((p) => p.message.en).join('; ')}`,
    problems.map((p) => ({
      path: `body.${p.field ?? ''}`,
      message: p.message.en,
      code: 'invalid_value' as const,
      params: { reason: p.code },
    })),
  );

/** Which hashed column an exact search term would be found in, if it looks like one. */
function hashedTerm(q: string): { field: PiiField; column: HashColumn } | null {
  const field: PiiField | null = isValidIdNumber(q)
    ? 'idNumber'
    : isValidEmail(q)
      ? 'email'
      : isValidPhone(q)
        ? 'phone'
        : null;
  return field ? { field, column: HASH_COLUMN[field] } : null;
}

export function createCustomerService(deps: CustomerDeps) {
  const { store, audit, clock, sealer } = deps;
  const missing = (no: string) => notFound(`customer ${no}`);

  async function view(db: Db, no: string): Promise<Customer> {
    const row = await customerByNo(db, no);
    if (!row) throw missing(no);
    const accounts = await accountsOf(db, [row.id]);
    return toCustomer(row, accounts.get(row.id) ?? []);
  }

  /** Upserts items in the caller's transaction; duplicates within the batch are refused. */
  async function upsertMany(tx: Db, items: { customerNo: string; body: CustomerUpsert }[], source: string) {
    const changes = items.map((i) => changeOf(i.customerNo, i.body));
    const judged = await judgeBatch(tx, sealer, changes);
    const seenNo = new Map<string, number>();
    const seenAccount = new Map<string, number>();
    const now = clock.now();
    const results: CustomerSyncResult['items'] = [];
    for (const [i, j] of judged.entries()) {
      const problems = [...piiProblems(j.change.pii), ...j.problems];
      const firstNo = seenNo.get(j.change.customerNo);
      if (firstNo !== undefined) problems.push(problem('customerNo', 'duplicate_customer_no', { line: firstNo + 1 }));
      for (const a of j.change.accounts ?? []) {
        const first = seenAccount.get(a);
        if (first !== undefined && first !== i)
          problems.push(problem('accounts', 'duplicate_account', { line: first + 1 }));
      }
      if (problems.length || !j.merged) {
        results.push({ customerNo: j.change.customerNo, outcome: 'rejected', problems });
        continue;
      }
      seenNo.set(j.change.customerNo, i);
      for (const a of j.change.accounts ?? []) seenAccount.set(a, i);
      const { outcome } = await apply(tx, sealer, j.existing, j.change.customerNo, j.merged, source, now);
      results.push({ customerNo: j.change.customerNo, outcome, problems: [] });
    }
    return results;
  }

  const countsOf = (items: CustomerSyncResult['items']) => ({
    created: items.filter((i) => i.outcome === 'created').length,
    updated: items.filter((i) => i.outcome === 'updated').length,
    unchanged: items.filter((i) => i.outcome === 'unchanged').length,
    rejected: items.filter((i) => i.outcome === 'rejected').length,
  });

  return {
    async list(p: Principal, q: CustomerQuery): Promise<CustomerPage> {
      assertCan(p, 'customer.read');
      const term = q.q?.trim();
      const hashed = term ? hashedTerm(term) : null;
      const rows = await listCustomers(store.db, {
        branch: q.branch,
        tier: q.tier,
        prefix: term || undefined,
        hashed: hashed && term ? { column: hashed.column, hashes: sealer.hashes(hashed.field, term) } : undefined,
        after: q.cursor === undefined ? undefined : cursor.decode(q.cursor)[0],
        limit: q.limit + 1,
      });
      const pageRows = rows.slice(0, q.limit);
      const accounts = await accountsOf(
        store.db,
        pageRows.map((r) => r.id),
      );
      const last = pageRows[pageRows.length - 1];
      return {
        items: pageRows.map((r) => toCustomer(r, accounts.get(r.id) ?? [])),
        next: rows.length > q.limit && last ? cursor.encode([last.customer_no]) : null,
      };
    },

    async get(p: Principal, customerNo: string): Promise<Customer> {
      assertCan(p, 'customer.read');
      return view(store.db, customerNo);
    },

    /** The clear values of the fields asked for; audited with who, which fields and why (never the values). */
    async reveal(p: Principal, customerNo: string, body: RevealBody): Promise<Revealed> {
      assertCan(p, 'customer.reveal');
      return store.transaction(async (tx) => {
        const row = await customerByNo(tx, customerNo);
        if (!row) throw missing(customerNo);
        const pii = sealer.open(row);
        const out: Revealed = { customerNo };
        for (const f of body.fields) out[f] = pii[f] ?? null;
        await audit.append(tx, actorOf(p), {
          action: 'customer.reveal',
          targetType: 'customer',
          targetId: row.id,
          after: { customerNo, fields: body.fields, reason: body.reason },
        });
        return out;
      });
    },

    /** PUT: creates or replaces one customer (absent fields are cleared); 422 with every problem. */
    async put(p: Principal, customerNo: string, body: CustomerUpsert): Promise<Customer> {
      assertCan(p, 'customer.manage');
      return store.transaction(async (tx) => {
        const [result] = await upsertMany(tx, [{ customerNo, body }], 'api');
        if (result!.outcome === 'rejected') throw rejected(result!.problems);
        const c = await view(tx, customerNo);
        await audit.append(tx, actorOf(p), {
          action: 'customer.upsert',
          targetType: 'customer',
          targetId: c.id,
          after: { customerNo, outcome: result!.outcome, version: c.version },
        });
        return c;
      });
    },

    /** A CRM batch: each item created, updated, unchanged or rejected (with its problems); one audit entry with the counts. */
    async sync(p: Principal, batch: CustomerSyncBatch): Promise<CustomerSyncResult> {
      assertCan(p, 'customer.manage');
      return store.transaction(async (tx) => {
        const items = await upsertMany(
          tx,
          batch.items.map(({ customerNo, ...body }) => ({ customerNo, body })),
          'api',
        );
        const counts = countsOf(items);
        await audit.append(tx, actorOf(p), {
          action: 'customer.sync',
          targetType: 'customer',
          targetId: null,
          after: counts,
        });
        return { items, counts };
      });
    },

    /** The customer a phone or an email belongs to (by keyed hash), for the inquiry portal; null when none. */
    async findByContact(
      contact: { phone?: string; email?: string },
      db: Db = store.db,
    ): Promise<{ id: string; customerNo: string; name: string; language: string; tier: string | null } | null> {
      const tries: [PiiField, string | undefined][] = [
        ['phone', contact.phone],
        ['email', contact.email],
      ];
      for (const [field, value] of tries) {
        if (!value?.trim()) continue;
        const row = await customerByHash(db, HASH_COLUMN[field], sealer.hashes(field, value));
        if (row)
          return { id: row.id, customerNo: row.customer_no, name: row.name, language: row.language, tier: row.tier };
      }
      return null;
    },

    /** The clear contacts of customers, for sending (a system use: not audited; never log them). */
    /** Customer numbers by customer id (ids not known are left out); no personal data. */
    async numbersOf(customerIds: readonly string[], db: Db = store.db): Promise<Map<string, string>> {
      const out = new Map<string, string>();
      const unique = [...new Set(customerIds)];
      for (let i = 0; i < unique.length; i += 500)
        for (const r of await customersByIds(db, unique.slice(i, i + 500))) out.set(r.id, r.customer_no);
      return out;
    },

    /**
     * Payees for a bank transfer: each customer's name and clear bank card (compensation payout files).
     * A system use: the caller audits it as the reveal it is; never log the values.
     */
    async payeesOf(customerIds: readonly string[], db: Db = store.db): Promise<Payee[]> {
      const out: Payee[] = [];
      const unique = [...new Set(customerIds)];
      for (let i = 0; i < unique.length; i += 500)
        for (const r of await customersByIds(db, unique.slice(i, i + 500)))
          out.push({ id: r.id, customerNo: r.customer_no, name: r.name, bankCard: sealer.open(r).bankCard ?? null });
      return out;
    },

    async contactsOf(customerIds: readonly string[], db: Db = store.db): Promise<CustomerContact[]> {
      const out: CustomerContact[] = [];
      for (let i = 0; i < customerIds.length; i += 500) {
        for (const r of await customersByIds(db, customerIds.slice(i, i + 500))) {
          const pii = sealer.open(r);
          out.push({
            id: r.id,
            customerNo: r.customer_no,
            name: r.name,
            language: r.language === 'en' ? 'en' : 'zh-CN',
            channel: r.channel,
            optOuts: JSON.parse(r.opt_outs) as string[],
            tier: r.tier,
            phone: pii.phone ?? null,
            email: pii.email ?? null,
          });
        }
      }
      return out;
    },
  };
}

/** Who a payment goes to: the customer's name and bank card in the clear (never logged). */
export interface Payee {
  id: string;
  customerNo: string;
  name: string;
  bankCard: string | null;
}

export interface CustomerContact {
  id: string;
  customerNo: string;
  name: string;
  language: 'zh-CN' | 'en';
  channel: string | null;
  optOuts: string[];
  tier: string | null;
  phone: string | null;
  email: string | null;
}
