/**
 * Evaluating a set's definition: each source is one query (the activity index is filtered and grouped
 * in SQL, never loaded whole), the results are united by member — a customer, or an account of no
 * known customer — with at most MAX_REASONS reasons each, and `intersectSegment` keeps the members
 * whose customer is in the branches / tiers named.
 */
import type { MemberReason, ScopeDefinition, ScopeSource } from '../../../shared/scoping-schemas.js';
import type { Db } from '../../platform/db/types.js';
import { invalid } from '../../platform/errors.js';
import { activityGroups } from './activity.repository.js';
import type { ScopingCustomers } from './scoping-ports.js';
import { ipRange } from './ip-key.js';

export const MAX_REASONS = 3;
/** Members of one set at most; grouped activity rows read per activity source at most. */
export const MAX_MEMBERS = 500_000;
const MAX_GROUPS = 1_000_000;

export interface Member {
  customerId: string | null;
  accountNo: string | null;
  reasons: MemberReason[];
}

/** The accounts the incident's alerts name, each with the alert that names it. */
export type AlertAccounts = (
  db: Db,
  incidentId: string,
) => Promise<{ account: string; alertId: string; title: string }[]>;

export const memberKey = (customerId: string | null, accountNo: string | null) =>
  customerId ?? `acct:${accountNo ?? ''}`;

const toMs = (v: string | number) => (typeof v === 'number' ? v : Date.parse(v));

export function createEvaluator(deps: { alertAccounts: AlertAccounts; customers: ScopingCustomers }) {
  const directory = () => deps.customers.directory;
  async function fromSource(db: Db, incidentId: string, s: ScopeSource, add: Adder, index: number): Promise<void> {
    const path = `definition.sources.${index}`;
    switch (s.kind) {
      case 'activity': {
        const from = toMs(s.from);
        const to = toMs(s.to);
        if (!(to >= from))
          throw invalid('the activity window ends before it starts', [{ path: `${path}.to`, message: 'before from' }]);
        const ipRanges = (s.ips ?? []).map((ip, i) => {
          const r = ipRange(ip);
          if (!r)
            throw invalid(`"${ip}" is not an IP address or CIDR block`, [
              { path: `${path}.ips.${i}`, message: 'not an IP address or CIDR block', code: 'invalid_ip' },
            ]);
          return r;
        });
        const groups = await activityGroups(
          db,
          {
            from,
            to,
            ipRanges,
            accounts: s.accounts ?? [],
            actions: s.actions ?? [],
            outcomes: s.outcomes ?? [],
            sources: s.sources ?? [],
          },
          MAX_GROUPS,
        );
        // Customer numbers written at index time, for accounts the customer table does not link (yet).
        const byNo = new Map(
          (
            await directory().cardsByNos(
              groups.filter((g) => !g.customer_id && g.customer_no).map((g) => g.customer_no!),
              db,
            )
          ).map((c) => [c.customerNo, c.id]),
        );
        // Earliest first: the first reasons kept are the first things that happened.
        groups.sort((a, b) => a.first_at - b.first_at);
        for (const g of groups)
          add(g.customer_id ?? (g.customer_no ? (byNo.get(g.customer_no) ?? null) : null), g.account_no, {
            kind: 'activity',
            accountNo: g.account_no,
            ip: g.ip,
            at: new Date(g.first_at).toISOString(),
            action: g.action,
            outcome: g.outcome,
            count: g.n,
          });
        return;
      }
      case 'incident-alerts': {
        const named = await deps.alertAccounts(db, incidentId);
        const owners = await directory().customerIdsOfAccounts(
          named.map((n) => n.account),
          db,
        );
        for (const n of named)
          add(owners.get(n.account) ?? null, n.account, {
            kind: 'alert',
            accountNo: n.account,
            alertId: n.alertId,
            title: n.title,
          });
        return;
      }
      case 'list': {
        for (const c of await directory().cardsByNos(s.customerNos ?? [], db))
          add(c.id, null, { kind: 'list', accountNo: null, customerNo: c.customerNo });
        const accounts = s.accountNos ?? [];
        const owners = await directory().customerIdsOfAccounts(accounts, db);
        for (const a of new Set(accounts))
          add(owners.get(a) ?? null, a, { kind: 'list', accountNo: a, customerNo: null });
        return;
      }
      case 'segment': {
        if (!s.branches?.length && !s.tiers?.length)
          throw invalid('a segment names branches, tiers or both', [{ path, message: 'empty segment' }]);
        for (const c of await directory().cardsInSegment(s, MAX_MEMBERS, db))
          add(c.id, null, { kind: 'segment', branch: c.branch, tier: c.tier });
        return;
      }
    }
  }

  return async function evaluate(db: Db, incidentId: string, def: ScopeDefinition): Promise<Map<string, Member>> {
    const members = new Map<string, Member>();
    const add: Adder = (customerId, accountNo, reason) => {
      const key = memberKey(customerId, accountNo);
      let m = members.get(key);
      if (!m) {
        if (members.size >= MAX_MEMBERS)
          throw invalid(`the definition matches more than ${MAX_MEMBERS} customers; narrow it`, [
            { path: 'definition', message: 'too many members' },
          ]);
        m = { customerId, accountNo, reasons: [] };
        members.set(key, m);
      }
      if (!m.accountNo && accountNo) m.accountNo = accountNo;
      if (m.reasons.length < MAX_REASONS) m.reasons.push(reason);
    };
    for (const [i, s] of def.sources.entries()) await fromSource(db, incidentId, s, add, i);
    const seg = def.intersectSegment;
    if (seg && (seg.branches?.length || seg.tiers?.length)) {
      const ids = [...members.values()].flatMap((m) => (m.customerId ? [m.customerId] : []));
      const keep = new Set(
        (await directory().cardsByIds(ids, db))
          .filter(
            (c) =>
              (!seg.branches?.length || (c.branch !== null && seg.branches.includes(c.branch))) &&
              (!seg.tiers?.length || (c.tier !== null && seg.tiers.includes(c.tier))),
          )
          .map((c) => c.id),
      );
      for (const [k, m] of members) if (!m.customerId || !keep.has(m.customerId)) members.delete(k);
    }
    return members;
  };
}

type Adder = (customerId: string | null, accountNo: string | null, reason: MemberReason) => void;
export type Evaluate = ReturnType<typeof createEvaluator>;
