/** Rows of the affected-customer sets to the API's shapes (customer data masked). */
import type { AffectedMember, AffectedSet, MemberReason, ScopeDefinition } from '../../../shared/scoping-schemas.js';
import type { MemberRow, SetRow, SetVersionRow } from './affected-set.repository.js';
import type { CustomerCard } from '../customer/index.js';

type Names = Map<string, string>;
const iso = (ms: number) => new Date(Number(ms)).toISOString();
const person = (id: string | null, names: Names) => (id ? { id, name: names.get(id) ?? null } : null);

export function toVersionInfo(v: SetVersionRow, names: Names) {
  return {
    version: Number(v.version),
    customerCount: Number(v.customer_count),
    definition: JSON.parse(v.definition) as ScopeDefinition,
    createdBy: person(v.created_by, names),
    createdAt: iso(v.created_at),
  };
}

export function toSetSummary(r: SetRow, incidentKey: string, names: Names): Omit<AffectedSet, 'shown' | 'versions'> {
  return {
    id: r.id,
    incidentKey,
    name: r.name,
    version: Number(r.version),
    customerCount: Number(r.customer_count),
    primary: Number(r.is_primary) === 1,
    createdBy: person(r.created_by, names),
    createdAt: iso(r.created_at),
    updatedAt: iso(r.updated_at),
  };
}

/** An activity reason as PostgreSQL's evaluation stores it (affected-members.repository.ts). */
type CompactActivity = ['activity', string, string | null, number, string, string | null, number];

/**
 * A stored reason as the API gives it: an activity reason's time is stored in epoch ms by the evaluation
 * in SQL (ISO-8601 before), and on PostgreSQL the reason is a compact array; ISO-8601 objects out.
 */
function readReason(stored: MemberReason | CompactActivity): MemberReason {
  if (Array.isArray(stored)) {
    const [, accountNo, ip, at, action, outcome, count] = stored;
    return { kind: 'activity', accountNo, ip, at: iso(at), action, outcome, count };
  }
  const r = stored;
  if (r.kind !== 'activity') return r;
  const at: unknown = r.at;
  return typeof at === 'number' ? { ...r, at: iso(at) } : r;
}

export function toMember(m: MemberRow, customers: Map<string, CustomerCard>): AffectedMember {
  const c = m.customer_id ? customers.get(m.customer_id) : undefined;
  return {
    customerId: m.customer_id,
    customerNo: c?.customerNo ?? null,
    name: c?.name ?? null,
    branch: c?.branch ?? null,
    tier: c?.tier ?? null,
    phoneMasked: c?.phoneMasked ?? null,
    accountNo: m.account_no,
    reasons: (JSON.parse(m.reasons) as (MemberReason | CompactActivity)[]).map(readReason),
  };
}
