/**
 * Evaluating a set's definition into a version's members, inside the database: each activity source is
 * filtered and grouped in SQL (never loaded whole), the other sources (alerts, lists, segments) are
 * worked out here, and one INSERT ... SELECT (affected-members.repository.ts) unites them by member —
 * a customer, or an account of no known customer — with at most MAX_REASONS reasons each, keeping
 * under `intersectSegment` the members whose customer is in the branches / tiers named.
 */
import type { ScopeDefinition, ScopeSource } from '../../../shared/scoping-schemas.js';
import type { Store } from '../../platform/db/connect.js';
import type { Db } from '../../platform/db/types.js';
import { invalid } from '../../platform/errors.js';
import type { ActivityFilter } from './activity.repository.js';
import { type ExtraHit, writeEvaluatedMembers } from './affected-members.repository.js';
import type { ScopingCustomers } from './scoping-ports.js';
import { ipRange } from '../../platform/ip-key.js';

export const MAX_REASONS = 3;
/** Members of one set at most; grouped activity rows read per activity source at most. */
export const MAX_MEMBERS = 500_000;
const MAX_GROUPS = 1_000_000;

/** The accounts the incident's alerts name, each with the alert that names it. */
export type AlertAccounts = (
  db: Db,
  incidentId: string,
) => Promise<{ account: string; alertId: string; title: string }[]>;

const toMs = (v: string | number) => (typeof v === 'number' ? v : Date.parse(v));

export function createEvaluator(deps: { store: Store; alertAccounts: AlertAccounts; customers: ScopingCustomers }) {
  const directory = () => deps.customers.directory;

  function activityFilter(s: Extract<ScopeSource, { kind: 'activity' }>, path: string): ActivityFilter {
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
    return {
      from,
      to,
      ipRanges,
      accounts: s.accounts ?? [],
      actions: s.actions ?? [],
      outcomes: s.outcomes ?? [],
      sources: s.sources ?? [],
    };
  }

  /** The reasons of a source other than the activity, in the order they count. */
  async function extraHits(db: Db, incidentId: string, s: ScopeSource, index: number, path: string) {
    const out: ExtraHit[] = [];
    const add = (customerId: string | null, accountNo: string | null, reason: Record<string, unknown>) =>
      out.push([index, out.length, customerId, accountNo, reason]);
    switch (s.kind) {
      case 'activity':
        return out;
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
        return out;
      }
      case 'list': {
        for (const c of await directory().cardsByNos(s.customerNos ?? [], db))
          add(c.id, null, { kind: 'list', accountNo: null, customerNo: c.customerNo });
        const accounts = s.accountNos ?? [];
        const owners = await directory().customerIdsOfAccounts(accounts, db);
        for (const a of new Set(accounts))
          add(owners.get(a) ?? null, a, { kind: 'list', accountNo: a, customerNo: null });
        return out;
      }
      case 'segment': {
        if (!s.branches?.length && !s.tiers?.length)
          throw invalid('a segment names branches, tiers or both', [{ path, message: 'empty segment' }]);
        for (const c of await directory().cardsInSegment(s, MAX_MEMBERS, db))
          add(c.id, null, { kind: 'segment', branch: c.branch, tier: c.tier });
        return out;
      }
    }
  }

  /** Evaluates `def` into the members of version `version` of set `setId` (inside `tx`); how many members. */
  return async function evaluate(
    tx: Db,
    incidentId: string,
    def: ScopeDefinition,
    target: { setId: string; version: number },
  ): Promise<number> {
    const activity: { index: number; filter: ActivityFilter }[] = [];
    const extra: ExtraHit[] = [];
    for (const [index, s] of def.sources.entries()) {
      const path = `definition.sources.${index}`;
      if (s.kind === 'activity') activity.push({ index, filter: activityFilter(s, path) });
      else for (const h of await extraHits(tx, incidentId, s, index, path)) extra.push(h);
    }
    const seg = def.intersectSegment;
    const count = await writeEvaluatedMembers(deps.store, tx, {
      ...target,
      activity,
      extra,
      maxGroups: MAX_GROUPS,
      maxReasons: MAX_REASONS,
      intersect:
        seg && (seg.branches?.length || seg.tiers?.length)
          ? { branches: seg.branches ?? [], tiers: seg.tiers ?? [] }
          : null,
    });
    if (count > MAX_MEMBERS)
      throw invalid(`the definition matches more than ${MAX_MEMBERS} customers; narrow it`, [
        { path: 'definition', message: 'too many members' },
      ]);
    return count;
  };
}

export type Evaluate = ReturnType<typeof createEvaluator>;
