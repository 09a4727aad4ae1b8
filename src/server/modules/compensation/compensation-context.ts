/**
 * What the compensation use cases share: their dependencies, the firm's policy, the incident of a claim
 * (need-to-know: a claim of a restricted incident answers 404 to those outside it), the one step that
 * moves a claim (status machine checked, 409 otherwise; a version when the amount changes; an event on
 * the claim and the customer's record; an audit entry — all in the caller's transaction), and the views.
 */
import type { Claim, ClaimEvent } from '../../../shared/compensation-schemas.js';
import type { PayoutEncoding } from '../../../shared/compensation-payout-schemas.js';
import {
  canMove,
  type ClaimEventKind,
  type ClaimStatus,
  type CompensationPolicy,
  DEFAULT_COMPENSATION_POLICY,
  tierFor,
} from '../../../shared/compensation.js';
import type { AuditAction } from '../../../shared/audit-actions.js';
import type { BlobStore } from '../../platform/blobs/blob-store.js';
import type { Store } from '../../platform/db/connect.js';
import type { Db } from '../../platform/db/types.js';
import type { SecretBox } from '../../platform/secret-box.js';
import { conflict, notFound } from '../../platform/errors.js';
import { type Clock, iso, newId } from '../../platform/ids.js';
import type { Actor, AuditService } from '../audit/index.js';
import { actorOf, type Principal } from '../auth/index.js';
import type { CustomerCard, CustomerDirectory, Payee } from '../customer/index.js';
import { canSee, type IncidentRef, type IncidentService } from '../incident/index.js';
import type { UserService } from '../user/index.js';
import { type ClaimRow, claimById, currentApprovers, insertVersions, updateClaim } from './claim.repository.js';
import { type EventRow, insertEvents } from './event.repository.js';
import { policyRow } from './policy.repository.js';

export interface CompensationDeps {
  store: Store;
  audit: AuditService;
  clock: Clock;
  incidents: IncidentService;
  users: UserService;
  /** The customer module's directory: who the customers are (masked). */
  customers: Pick<CustomerDirectory, 'cardsByIds' | 'cardsByNos' | 'customerIdsOfAccounts'>;
  /** Seals uploaded extracts (customer numbers and accounts are in them). */
  secretBox: SecretBox;
  /** Payees' names and clear bank cards, for the bank's payout file (a reveal: audited by the caller). */
  payees: (customerIds: readonly string[], db: Db) => Promise<Payee[]>;
  /** The bank file's encoding when the request names none (TOCSIN_PAYOUT_FILE_ENCODING). */
  payoutEncoding?: PayoutEncoding;
  /** Where claims' files are kept by their hash. */
  blobs: BlobStore;
}

/** What a step records besides the status: who spoke, how, why, and the amount said. */
export interface StepInput {
  kind: ClaimEventKind;
  to: ClaimStatus;
  action: AuditAction;
  speaker: 'staff' | 'customer';
  channel: string;
  ip?: string | null;
  reason?: string | null;
  /** The amount said in this step (an offer, a counter-offer, an outcome). */
  amountMinor?: number | null;
  /** A new version of the claim (an offer at another amount, a revised offer after approval, an accepted counter). */
  version?: { amountMinor: number; basis?: string; goodwillKind?: string | null; reason: string };
  /** Other columns the step sets. */
  set?: Partial<ClaimRow>;
  /** More of the audit entry's `after` (never free text). */
  audited?: Record<string, unknown>;
  /** Who the audit entry names when no staff member spoke (the customer on the portal). */
  actor?: Actor;
}

/** Told about the claim events written, in their transaction (the notices to customers). */
export interface ClaimEventsObserver {
  queue(tx: Db, events: readonly EventRow[]): Promise<void>;
}

export function compensationContext(deps: CompensationDeps, observer?: ClaimEventsObserver) {
  const { incidents, users, clock, audit, customers } = deps;

  /** Writes claim events and what they cause (the customer's notices) in the caller's transaction. */
  async function recordEvents(tx: Db, rows: EventRow[]): Promise<void> {
    await insertEvents(tx, rows);
    await observer?.queue(tx, rows);
  }

  async function policy(db: Db): Promise<CompensationPolicy> {
    const row = await policyRow(db);
    return row ? (JSON.parse(row.policy) as CompensationPolicy) : DEFAULT_COMPENSATION_POLICY;
  }

  async function visibleIncident(db: Db, p: Principal, key: string): Promise<IncidentRef> {
    const incident = await incidents.loadVisible(db, p, key);
    return (await incidents.refs(db, [incident.id])).get(incident.id)!;
  }

  /** A claim the principal may see, with its incident; 404 otherwise (also for a restricted incident). */
  async function loadClaim(db: Db, p: Principal, id: string): Promise<{ claim: ClaimRow; ref: IncidentRef }> {
    const claim = await claimById(db, id);
    const ref = claim ? (await incidents.refs(db, [claim.incident_id])).get(claim.incident_id) : undefined;
    if (!claim || !ref || !canSee(p, ref.audience)) throw notFound(`claim ${id}`);
    return { claim, ref };
  }

  const notAllowed = (claim: ClaimRow, to: ClaimStatus) =>
    conflict(`claim ${claim.ref} is ${claim.status}: it cannot move to ${to}`, {
      code: 'compensation.transition_not_allowed',
      params: { ref: claim.ref, from: claim.status, to },
    });

  /** Moves `claim` one step (see the module's doc); returns the claim as it is after. */
  async function step(tx: Db, p: Principal | null, claim: ClaimRow, ref: IncidentRef, s: StepInput): Promise<ClaimRow> {
    const from = claim.status as ClaimStatus;
    if (!canMove(from, s.to)) throw notAllowed(claim, s.to);
    const now = clock.now();
    const after: ClaimRow = { ...claim, ...s.set, status: s.to, updated_at: now };
    if (s.version) {
      after.version = claim.version + 1;
      after.amount_minor = s.version.amountMinor;
      after.basis = s.version.basis ?? claim.basis;
      after.goodwill_kind = s.version.goodwillKind === undefined ? claim.goodwill_kind : s.version.goodwillKind;
      after.approved_version = null;
      await insertVersions(tx, [
        {
          claim_id: claim.id,
          version: after.version,
          amount_minor: after.amount_minor,
          currency: claim.currency,
          basis: after.basis,
          goodwill_kind: after.goodwill_kind,
          reason: s.version.reason,
          created_by: p?.user.id ?? null,
          created_at: now,
        },
      ]);
    }
    const { id, ...changes } = after;
    await updateClaim(tx, id, changes);
    await recordEvents(tx, [event(claim, after, s, p, now)]);
    await audit.append(tx, p ? actorOf(p) : (s.actor ?? { id: null, label: 'Tocsin' }), {
      action: s.action,
      targetType: 'compensation_claim',
      targetId: claim.id,
      before: { ref: claim.ref, status: from, version: claim.version, amountMinor: claim.amount_minor },
      after: {
        ref: claim.ref,
        customerId: claim.customer_id,
        status: after.status,
        version: after.version,
        amountMinor: after.amount_minor,
        currency: after.currency,
        speaker: s.speaker,
        channel: s.channel,
        ...(s.amountMinor !== undefined && s.amountMinor !== null ? { said: s.amountMinor } : {}),
        ...s.audited,
      },
      incidents: [ref.id],
    });
    return after;
  }

  function event(
    before: ClaimRow | null,
    after: ClaimRow,
    s: Omit<StepInput, 'action' | 'to'>,
    p: Principal | null,
    now: number,
  ): EventRow {
    return {
      id: newId(),
      claim_id: after.id,
      incident_id: after.incident_id,
      customer_id: after.customer_id,
      kind: s.kind,
      from_status: before?.status ?? null,
      to_status: after.status,
      version: after.version,
      amount_minor: s.amountMinor ?? (s.version ? after.amount_minor : null),
      currency: after.currency,
      reason: s.reason ?? null,
      speaker: s.speaker,
      channel: s.channel,
      ip: s.ip ?? null,
      user_id: p?.user.id ?? null,
      created_at: now,
    };
  }

  /** The claims as the API shows them, in the same order (one whose customer is gone is left out). */
  async function views(
    db: Db,
    rows: ClaimRow[],
    keys: Map<string, string>,
    pol?: CompensationPolicy,
  ): Promise<Claim[]> {
    if (rows.length === 0) return [];
    const p = pol ?? (await policy(db));
    const [cards, approvers, names] = await Promise.all([
      customers.cardsByIds(
        rows.map((r) => r.customer_id),
        db,
      ),
      currentApprovers(db, rows),
      users.namesOf(
        rows.flatMap((r) => (r.created_by ? [r.created_by] : [])),
        db,
      ),
    ]);
    const byId = new Map<string, CustomerCard>(cards.map((c) => [c.id, c]));
    return rows.flatMap((r) => {
      const c = byId.get(r.customer_id);
      if (!c) return [];
      const tier = tierFor(p, r.amount_minor);
      return [
        {
          id: r.id,
          ref: r.ref,
          incidentKey: keys.get(r.incident_id) ?? '',
          customer: { id: c.id, customerNo: c.customerNo, name: c.name, tier: c.tier, phoneMasked: c.phoneMasked },
          source: r.source as Claim['source'],
          status: r.status as Claim['status'],
          amountMinor: Number(r.amount_minor),
          currency: r.currency,
          claimedMinor: r.claimed_minor === null ? null : Number(r.claimed_minor),
          lossMinor: r.loss_minor === null ? null : Number(r.loss_minor),
          basis: r.basis,
          goodwill: r.goodwill_kind
            ? { kind: r.goodwill_kind as 'fee_waiver', amountMinor: Number(r.goodwill_minor ?? 0) }
            : null,
          version: r.version,
          approvedVersion: r.approved_version,
          approval: { tier: tier.key, needed: tier.approvers, given: approvers.get(r.id)?.length ?? 0 },
          runId: r.run_id,
          declineReason: r.decline_reason,
          acceptedAt: iso(r.accepted_at),
          acceptedChannel: r.accepted_channel,
          payoutBatchId: r.payout_batch_id,
          paidAt: iso(r.paid_at),
          createdBy: r.created_by ? { id: r.created_by, name: names.get(r.created_by) ?? null } : null,
          createdAt: iso(r.created_at),
          updatedAt: iso(r.updated_at),
        },
      ];
    });
  }

  async function eventViews(db: Db, rows: EventRow[], keys: Map<string, string>): Promise<ClaimEvent[]> {
    const names = await users.namesOf(
      rows.flatMap((r) => (r.user_id ? [r.user_id] : [])),
      db,
    );
    return rows.map((e) => ({
      id: e.id,
      claimId: e.claim_id,
      incidentKey: keys.get(e.incident_id) ?? '',
      kind: e.kind as ClaimEvent['kind'],
      fromStatus: e.from_status,
      toStatus: e.to_status,
      version: e.version,
      amountMinor: e.amount_minor === null ? null : Number(e.amount_minor),
      currency: e.currency,
      reason: e.reason,
      speaker: e.speaker as ClaimEvent['speaker'],
      channel: e.channel,
      ip: e.ip,
      recordedBy: e.user_id ? { id: e.user_id, name: names.get(e.user_id) ?? null } : null,
      at: iso(e.created_at),
    }));
  }

  /** incident id -> key, for the incidents of these rows. */
  async function keysOf(db: Db, incidentIds: string[]): Promise<Map<string, string>> {
    const refs = await incidents.refs(db, [...new Set(incidentIds)]);
    return new Map([...refs].map(([id, r]) => [id, r.key]));
  }

  return { policy, visibleIncident, loadClaim, step, event, recordEvents, views, eventViews, keysOf, notAllowed };
}

export type CompensationContext = ReturnType<typeof compensationContext>;
