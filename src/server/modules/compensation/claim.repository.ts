/**
 * SQL of claims (migration 0031_compensation): claims, their versions, approvals and mediations; keyset
 * pages of an incident's claims and of the approval inbox (need-to-know by `visibleTo`); the ledger's sums.
 */
import type {
  CompensationApprovalsTable,
  CompensationClaimsTable,
  CompensationClaimVersionsTable,
  CompensationMediationsTable,
  Db,
} from '../../platform/db/types.js';
import { visibleTo } from '../incident/index.js';
import { chunks } from '../../platform/db/chunks.js';

export type ClaimRow = CompensationClaimsTable;

/** The columns of a claim just proposed that its proposer does not choose (nothing approved, accepted or paid yet). */
export function proposedClaim(
  fields: Pick<
    ClaimRow,
    | 'id'
    | 'ref'
    | 'incident_id'
    | 'customer_id'
    | 'source'
    | 'amount_minor'
    | 'currency'
    | 'claimed_minor'
    | 'loss_minor'
    | 'basis'
    | 'goodwill_kind'
    | 'goodwill_minor'
    | 'run_id'
    | 'created_by'
  >,
  now: number,
): ClaimRow {
  return {
    ...fields,
    status: 'proposed',
    version: 1,
    approved_version: null,
    decline_reason: null,
    accepted_at: null,
    accepted_channel: null,
    accepted_ip: null,
    payout_batch_id: null,
    paid_at: null,
    paid_reference: null,
    created_at: now,
    updated_at: now,
  };
}
export type VersionRow = CompensationClaimVersionsTable;
export type ApprovalRow = CompensationApprovalsTable;
export type MediationRow = CompensationMediationsTable;

const CHUNK = 500;

export async function insertClaims(db: Db, rows: ClaimRow[]): Promise<void> {
  for (const part of chunks(rows, CHUNK)) await db.insertInto('compensation_claims').values(part).execute();
}

export async function insertVersions(db: Db, rows: VersionRow[]): Promise<void> {
  for (const part of chunks(rows, CHUNK)) await db.insertInto('compensation_claim_versions').values(part).execute();
}

export async function updateClaim(db: Db, id: string, set: Partial<ClaimRow>): Promise<void> {
  await db.updateTable('compensation_claims').set(set).where('id', '=', id).execute();
}

export const claimById = (db: Db, id: string) =>
  db.selectFrom('compensation_claims').selectAll().where('id', '=', id).executeTakeFirst();

export async function claimsByIds(db: Db, ids: string[]): Promise<ClaimRow[]> {
  const out: ClaimRow[] = [];
  for (const part of chunks(ids, CHUNK))
    out.push(...(await db.selectFrom('compensation_claims').selectAll().where('id', 'in', part).execute()));
  return out;
}

/** The customers among these who already have a claim in the incident. */
export async function customersWithClaims(db: Db, incidentId: string, customerIds: string[]): Promise<Set<string>> {
  const out = new Set<string>();
  for (const part of chunks(customerIds, CHUNK)) {
    const rows = await db
      .selectFrom('compensation_claims')
      .select('customer_id')
      .where('incident_id', '=', incidentId)
      .where('customer_id', 'in', part)
      .execute();
    for (const r of rows) out.add(r.customer_id);
  }
  return out;
}

/** Ids of a run's claims in `status`, after `after`, in id order. */
export const runClaimIds = (db: Db, runId: string, status: string, after: string | null, limit: number) => {
  let q = db.selectFrom('compensation_claims').select('id').where('run_id', '=', runId).where('status', '=', status);
  if (after !== null) q = q.where('id', '>', after);
  return q.orderBy('id').limit(limit).execute();
};

export interface ClaimFilter {
  incidentId: string;
  status?: string;
  source?: string;
  runId?: string;
  customerId?: string;
}

export function claimPage(db: Db, f: ClaimFilter, after: string | null, limit: number): Promise<ClaimRow[]> {
  let q = db.selectFrom('compensation_claims').selectAll().where('incident_id', '=', f.incidentId);
  if (f.status) q = q.where('status', '=', f.status);
  if (f.source) q = q.where('source', '=', f.source);
  if (f.runId) q = q.where('run_id', '=', f.runId);
  if (f.customerId) q = q.where('customer_id', '=', f.customerId);
  if (after !== null) q = q.where('id', '>', after);
  return q.orderBy('id').limit(limit).execute();
}

/**
 * The approval inbox: accepted claims up to `cap` (null: any amount) in incidents `viewer` may see
 * (undefined: all), that the viewer neither proposed nor approved already in their current version.
 */
export function inboxPage(
  db: Db,
  userId: string,
  viewer: string | undefined,
  cap: number | null,
  after: string | null,
  limit: number,
): Promise<ClaimRow[]> {
  let q = db
    .selectFrom('compensation_claims as c')
    .selectAll('c')
    .where('c.status', '=', 'accepted')
    .where((eb) => eb.or([eb('c.created_by', 'is', null), eb('c.created_by', '!=', userId)]))
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom('compensation_claim_versions as v')
            .select('v.version')
            .whereRef('v.claim_id', '=', 'c.id')
            .whereRef('v.version', '=', 'c.version')
            .where('v.created_by', '=', userId),
        ),
      ),
    )
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom('compensation_approvals as a')
            .select('a.id')
            .whereRef('a.claim_id', '=', 'c.id')
            .whereRef('a.version', '=', 'c.version')
            .where('a.approver_id', '=', userId),
        ),
      ),
    );
  if (cap !== null) q = q.where('c.amount_minor', '<=', cap);
  if (viewer) q = q.where(visibleTo(viewer, 'c.incident_id'));
  if (after !== null) q = q.where('c.id', '>', after);
  return q.orderBy('c.id').limit(limit).execute();
}

export const versionsOf = (db: Db, claimId: string) =>
  db
    .selectFrom('compensation_claim_versions')
    .selectAll()
    .where('claim_id', '=', claimId)
    .orderBy('version', 'desc')
    .execute();

export const versionOf = (db: Db, claimId: string, version: number) =>
  db
    .selectFrom('compensation_claim_versions')
    .selectAll()
    .where('claim_id', '=', claimId)
    .where('version', '=', version)
    .executeTakeFirst();

/** The rows `read` gives for these claims (a part at a time) that belong to each claim's version given. */
async function ofVersions<R extends { claim_id: string; version: number }>(
  claims: Pick<ClaimRow, 'id' | 'version'>[],
  read: (ids: string[]) => Promise<R[]>,
): Promise<R[]> {
  const want = new Map(claims.map((c) => [c.id, c.version]));
  const out: R[] = [];
  for (const part of chunks([...want.keys()], CHUNK))
    for (const r of await read(part)) if (want.get(r.claim_id) === r.version) out.push(r);
  return out;
}

/** Who created each claim's current version. */
export async function versionSetters(
  db: Db,
  claims: Pick<ClaimRow, 'id' | 'version'>[],
): Promise<Map<string, string | null>> {
  const rows = await ofVersions(claims, (ids) =>
    db
      .selectFrom('compensation_claim_versions')
      .select(['claim_id', 'version', 'created_by'])
      .where('claim_id', 'in', ids)
      .execute(),
  );
  return new Map(rows.map((r) => [r.claim_id, r.created_by]));
}

export async function insertApprovals(db: Db, rows: ApprovalRow[]): Promise<void> {
  for (const part of chunks(rows, CHUNK)) await db.insertInto('compensation_approvals').values(part).execute();
}

/** Proposed or under-assessment claims offered at their current amount. */
export async function markOffered(db: Db, ids: string[], now: number): Promise<void> {
  for (const part of chunks(ids, CHUNK)) {
    await db
      .updateTable('compensation_claims')
      .set({ status: 'offered', updated_at: now })
      .where('id', 'in', part)
      .where('status', 'in', ['proposed', 'under_assessment'])
      .execute();
  }
}

/** Accepted claims whose approvals are complete: approved, for their current version. */
export async function markApproved(db: Db, ids: string[], now: number): Promise<void> {
  for (const part of chunks(ids, CHUNK)) {
    await db
      .updateTable('compensation_claims')
      .set((eb) => ({ status: 'approved', approved_version: eb.ref('version'), updated_at: now }))
      .where('id', 'in', part)
      .where('status', '=', 'accepted')
      .execute();
  }
}

export const approvalsOf = (db: Db, claimId: string) =>
  db
    .selectFrom('compensation_approvals')
    .selectAll()
    .where('claim_id', '=', claimId)
    .orderBy('approved_at')
    .orderBy('id')
    .execute();

/** Approvers of each claim's current version. */
export async function currentApprovers(
  db: Db,
  claims: Pick<ClaimRow, 'id' | 'version'>[],
): Promise<Map<string, string[]>> {
  const rows = await ofVersions(claims, (ids) =>
    db
      .selectFrom('compensation_approvals')
      .select(['claim_id', 'version', 'approver_id'])
      .where('claim_id', 'in', ids)
      .execute(),
  );
  const out = new Map<string, string[]>();
  for (const r of rows) out.set(r.claim_id, [...(out.get(r.claim_id) ?? []), r.approver_id]);
  return out;
}

export async function insertMediation(db: Db, row: MediationRow): Promise<void> {
  await db.insertInto('compensation_mediations').values(row).execute();
}

export async function updateMediation(db: Db, id: string, set: Partial<MediationRow>): Promise<void> {
  await db.updateTable('compensation_mediations').set(set).where('id', '=', id).execute();
}

export const mediationsOf = (db: Db, claimId: string) =>
  db
    .selectFrom('compensation_mediations')
    .selectAll()
    .where('claim_id', '=', claimId)
    .orderBy('referred_at', 'desc')
    .orderBy('id', 'desc')
    .execute();

/** Per status and currency: claims, the sum of amounts, of amounts or counter-offers when higher, of goodwill money. */
export async function ledgerSums(db: Db, incidentId: string) {
  const rows = await db
    .selectFrom('compensation_claims')
    .select((eb) => [
      'status',
      'currency',
      eb.fn.countAll<number>().as('n'),
      eb.fn.sum<number>('amount_minor').as('amount'),
      eb.fn
        .sum<number>(
          eb
            .case()
            .when(eb.and([eb('status', '=', 'countered'), eb('claimed_minor', '>', eb.ref('amount_minor'))]))
            .then(eb.ref('claimed_minor'))
            .else(eb.ref('amount_minor'))
            .end(),
        )
        .as('exposure'),
      eb.fn.sum<number>(eb.fn.coalesce('goodwill_minor', eb.val(0))).as('goodwill'),
      eb.fn.sum<number>(eb.case().when('goodwill_minor', '>', 0).then(1).else(0).end()).as('goodwill_n'),
    ])
    .where('incident_id', '=', incidentId)
    .groupBy(['status', 'currency'])
    .execute();
  return rows.map((r) => ({
    status: r.status,
    currency: r.currency,
    count: Number(r.n),
    amount: Number(r.amount ?? 0),
    exposure: Number(r.exposure ?? 0),
    goodwill: Number(r.goodwill ?? 0),
    goodwillCount: Number(r.goodwill_n ?? 0),
  }));
}
