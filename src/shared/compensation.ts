/**
 * Compensation claims (issue 14): the statuses and the one status machine, the approval tiers and the
 * goodwill policy with their defaults, and money as integer minor units (fen) — shared by the server,
 * the console and the tests. Pure: no I/O.
 */

export const CLAIM_STATUSES = [
  'proposed',
  'under_assessment',
  'offered',
  'countered',
  'accepted',
  'declined',
  'approved',
  'paid',
  'referred',
] as const;
export type ClaimStatus = (typeof CLAIM_STATUSES)[number];

export const CLAIM_SOURCES = ['portal', 'owner', 'assessment'] as const;

/** How a claim's amount was found: an assessment method's basis, the customer's own account, or goodwill. */
export const CLAIM_BASES = [
  'price_diff',
  'fraud_loss',
  'delayed_funds',
  'fee_refund',
  'fixed',
  'claimed',
  'goodwill',
] as const;

export const GOODWILL_KINDS = ['fee_waiver', 'fixed_amount', 'service_upgrade'] as const;
export type GoodwillKind = (typeof GOODWILL_KINDS)[number];

/** Why the firm declines a claim; `no_evidence` is the usual one, and every decline carries a goodwill gesture. */
export const DECLINE_REASONS = [
  'no_evidence',
  'not_caused_by_incident',
  'duplicate',
  'customer_declined',
  'other',
] as const;

/** Who speaks in the negotiation log. */
export const SPEAKERS = ['staff', 'customer'] as const;
/** How what the customer said reached us (staff record phone calls; the portal records its own later). */
export const NEGOTIATION_CHANNELS = ['console', 'phone', 'branch', 'email', 'portal', 'mediation'] as const;

export const CLAIM_EVENT_KINDS = [
  'created',
  'assessment_started',
  'offer',
  'counter',
  'accept',
  'decline',
  'approval',
  'approved',
  'mediation_referred',
  'mediation_outcome',
  'paid',
  /** The customer (portal) or staff added words or files to a claim; the status does not move. */
  'evidence',
] as const;
export type ClaimEventKind = (typeof CLAIM_EVENT_KINDS)[number];

export const MEDIATION_BODIES = ['sac_mediation', 'csrc_complaint', 'arbitration', 'court', 'other'] as const;
export const MEDIATION_OUTCOMES = ['settled', 'award', 'dismissed', 'withdrawn'] as const;

/**
 * The status machine of issue 14: proposed -> under assessment -> offered -> accepted / countered /
 * declined -> approved -> paid, or referred to mediation (a proposed claim is assessed before anything
 * else is said to the customer; an assessment run's claims are moved in bulk). A revised offer (a new version) may follow an
 * offer, a counter-offer, an acceptance or an approval (then approval is needed again); a declined claim
 * may be reopened with an offer; a mediation ends accepted (settled, award) or declined (dismissed, withdrawn).
 * `paid` belongs to the payout batches (a later part) and ends the claim.
 */
export const CLAIM_TRANSITIONS: Record<ClaimStatus, readonly ClaimStatus[]> = {
  proposed: ['under_assessment', 'referred'],
  under_assessment: ['offered', 'declined', 'referred'],
  offered: ['offered', 'accepted', 'countered', 'declined', 'referred'],
  countered: ['offered', 'accepted', 'declined', 'referred'],
  accepted: ['approved', 'offered', 'referred'],
  approved: ['paid', 'offered'],
  declined: ['offered', 'referred'],
  referred: ['accepted', 'declined'],
  paid: [],
};

export const canMove = (from: ClaimStatus, to: ClaimStatus): boolean => CLAIM_TRANSITIONS[from].includes(to);

/** One approval tier: amounts up to `capMinor` (null: no cap), approved by `approvers` distinct people of `roles`. */
export interface ApprovalTier {
  key: string;
  capMinor: number | null;
  roles: readonly string[];
  approvers: number;
}

export interface GoodwillGesture {
  kind: GoodwillKind;
  /** fixed_amount: the amount in minor units; fee_waiver and service_upgrade: 0. */
  amountMinor: number;
}

export interface CompensationPolicy {
  currency: 'CNY';
  /** By ascending cap; the last has no cap. */
  tiers: ApprovalTier[];
  goodwill: {
    /** The gesture for a customer without evidence of loss. */
    default: GoodwillGesture;
    /** Per customer tier (the customer's `tier`, lower case), instead of the default. */
    byCustomerTier: Record<string, GoodwillGesture>;
  };
}

/**
 * Up to 5,000 yuan the incident commander (the customer owners' lead), above that compliance, above
 * 100,000 yuan two compliance approvers (two-person rule). Administrators may act at every tier.
 */
export const DEFAULT_COMPENSATION_POLICY: CompensationPolicy = {
  currency: 'CNY',
  tiers: [
    { key: 'lead', capMinor: 500_000, roles: ['incident_commander', 'admin'], approvers: 1 },
    { key: 'compliance', capMinor: 10_000_000, roles: ['compliance', 'admin'], approvers: 1 },
    { key: 'second_approver', capMinor: null, roles: ['compliance', 'admin'], approvers: 2 },
  ],
  goodwill: {
    default: { kind: 'fee_waiver', amountMinor: 0 },
    byCustomerTier: { vip: { kind: 'service_upgrade', amountMinor: 0 } },
  },
};

/** The tier an amount needs: the first whose cap covers it. */
export function tierFor(policy: CompensationPolicy, amountMinor: number): ApprovalTier {
  const sorted = sortedTiers(policy);
  return sorted.find((t) => t.capMinor === null || amountMinor <= t.capMinor) ?? sorted.at(-1)!;
}

export const sortedTiers = (policy: CompensationPolicy): ApprovalTier[] =>
  [...policy.tiers].sort((a, b) => (a.capMinor ?? Number.MAX_SAFE_INTEGER) - (b.capMinor ?? Number.MAX_SAFE_INTEGER));

/**
 * The highest amount a role may approve: the largest cap of the tiers it belongs to (null: no cap;
 * undefined: it belongs to none).
 */
export function roleCap(policy: CompensationPolicy, role: string): number | null | undefined {
  const mine = policy.tiers.filter((t) => t.roles.includes(role));
  if (mine.length === 0) return undefined;
  if (mine.some((t) => t.capMinor === null)) return null;
  return Math.max(...mine.map((t) => t.capMinor!));
}

/** The goodwill gesture the policy chooses for a customer of `tier`. */
export function goodwillFor(policy: CompensationPolicy, customerTier: string | null): GoodwillGesture {
  return (customerTier && policy.goodwill.byCustomerTier[customerTier.toLowerCase()]) || policy.goodwill.default;
}

const YUAN = /^(\d{1,13})(?:\.(\d{1,2}))?$/;

/** "1234.56" (yuan, at most two places) -> 123456 fen; null for anything else (negative, more places, text). */
export function yuanToMinor(s: string): number | null {
  const m = YUAN.exec(s.trim());
  if (!m) return null;
  return Number(m[1]) * 100 + Number((m[2] ?? '').padEnd(2, '0'));
}

/**
 * The width of a distribution chart's buckets for amounts from 0 to `maxMinor`: a round amount (1, 2 or
 * 5 times a power of ten, in minor units) such that bucket floor(amount / width) of every amount is
 * below `buckets`.
 */
export function bucketWidth(maxMinor: number, buckets = 10): number {
  let width = 1;
  while (width * buckets <= maxMinor) width *= String(width)[0] === '2' ? 2.5 : 2;
  return width;
}
