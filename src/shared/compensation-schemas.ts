/**
 * The compensation API (issue 14, part 2): assessment runs of an incident, claims with their versions
 * and negotiation log, approvals, mediation, the ledger and the firm's policy. Amounts are integer
 * minor units (fen) with their currency; the engine's results arrive in yuan as decimal strings.
 */
import { z } from 'zod';
import { isoTime, nullableIso, page, Pagination, text } from './api-schemas.js';
import {
  CLAIM_BASES,
  CLAIM_EVENT_KINDS,
  CLAIM_SOURCES,
  CLAIM_STATUSES,
  DECLINE_REASONS,
  GOODWILL_KINDS,
  MEDIATION_BODIES,
  MEDIATION_OUTCOMES,
  NEGOTIATION_CHANNELS,
  SPEAKERS,
} from './compensation.js';
import { USER_ROLES } from './enums.js';

export const ASSESSMENT_METHODS = ['outage-price-diff', 'fraud-loss', 'delayed-funds', 'fee-refund', 'fixed'] as const;
export const RESULT_BASES = ['price_diff', 'goodwill', 'fraud_loss', 'delayed_funds', 'fee_refund', 'fixed'] as const;

const id = z.string().min(1).max(64);
/** Minor units: whole fen, at most 10^13 (a hundred billion yuan). */
export const Minor = z.number().int().min(0).max(10_000_000_000_000);
const Yuan = z.string().regex(/^\d{1,13}(\.\d{1,2})?$/, 'yuan with at most two decimal places, e.g. "1234.56"');
const Person = z.object({ id: z.string(), name: z.string().nullable() }).nullable();
const Currency = z.literal('CNY');

/** One customer of the engine's output (the `tocsin compensation assess` JSON line). */
export const AssessmentResult = z.strictObject({
  /** The customer number of the firm's extracts. */
  customer: z.string().trim().min(1).max(64),
  orders: z.number().int().min(0).max(100_000_000),
  loss: Yuan,
  compensation: Yuan,
  basis: z.enum(RESULT_BASES),
});
export type AssessmentResult = z.infer<typeof AssessmentResult>;

export const RunCreate = z.strictObject({
  method: z.enum(ASSESSMENT_METHODS),
  /** The method's parameters as given (outage window, cap, min, goodwill, file names): kept as they are. */
  parameters: z
    .record(z.string().max(64), z.union([z.string().max(500), z.number(), z.boolean(), z.null()]))
    .default({}),
  currency: Currency.default('CNY'),
  results: z.array(AssessmentResult).max(50_000),
});
export type RunCreate = z.infer<typeof RunCreate>;

export const Run = z.object({
  id: z.string(),
  incidentKey: z.string(),
  method: z.string(),
  parameters: z.record(z.string(), z.unknown()),
  currency: z.string(),
  customers: z.number().int(),
  orders: z.number().int(),
  goodwillCustomers: z.number().int(),
  unknownCustomers: z.number().int(),
  lossMinor: z.number().int(),
  compensationMinor: z.number().int(),
  state: z.enum(['computed', 'reviewed']),
  createdBy: Person,
  createdAt: isoTime,
  reviewedBy: Person,
  reviewedAt: nullableIso,
  proposedAt: nullableIso,
});
export type Run = z.infer<typeof Run>;
export const RunList = z.object({ items: z.array(Run) });

export const RunResult = z.object({
  customerNo: z.string(),
  customerId: z.string().nullable(),
  orders: z.number().int(),
  lossMinor: z.number().int(),
  compensationMinor: z.number().int(),
  basis: z.string(),
});
export const RunResultPage = page(RunResult);

/** How a run's compensation amounts are spread: round-width buckets (shared bucketWidth) and the largest amounts. */
export const RunDistribution = z.object({
  currency: z.string(),
  widthMinor: z.number().int(),
  /** Every bucket from 0 to the largest amount, empty ones included: [fromMinor, fromMinor + widthMinor). */
  buckets: z.array(z.object({ fromMinor: z.number().int(), count: z.number().int(), amountMinor: z.number().int() })),
  /** The customers with the largest compensation, largest first (at most 10). */
  outliers: z.array(RunResult),
});
export type RunDistribution = z.infer<typeof RunDistribution>;

export const ProposeResult = z.object({
  created: z.number().int(),
  /** Customers who already had a claim in this incident: theirs is kept as it is. */
  kept: z.number().int(),
  /** Results whose customer the customer module does not know. */
  unknown: z.number().int(),
});

const ClaimCustomer = z.object({
  id: z.string(),
  customerNo: z.string(),
  name: z.string(),
  tier: z.string().nullable(),
  phoneMasked: z.string().nullable(),
});

export const Goodwill = z.object({ kind: z.enum(GOODWILL_KINDS), amountMinor: Minor });

export const Claim = z.object({
  id: z.string(),
  ref: z.string(),
  incidentKey: z.string(),
  customer: ClaimCustomer,
  source: z.enum(CLAIM_SOURCES),
  status: z.enum(CLAIM_STATUSES),
  amountMinor: z.number().int(),
  currency: z.string(),
  claimedMinor: z.number().int().nullable(),
  lossMinor: z.number().int().nullable(),
  basis: z.string(),
  goodwill: Goodwill.nullable(),
  version: z.number().int(),
  approvedVersion: z.number().int().nullable(),
  /** Approval: the tier the amount needs, how many distinct approvers it needs and has for this version. */
  approval: z.object({ tier: z.string(), needed: z.number().int(), given: z.number().int() }),
  runId: z.string().nullable(),
  declineReason: z.string().nullable(),
  acceptedAt: nullableIso,
  acceptedChannel: z.string().nullable(),
  payoutBatchId: z.string().nullable(),
  paidAt: nullableIso,
  createdBy: Person,
  createdAt: isoTime,
  updatedAt: isoTime,
});
export type Claim = z.infer<typeof Claim>;

export const ClaimVersion = z.object({
  version: z.number().int(),
  amountMinor: z.number().int(),
  currency: z.string(),
  basis: z.string(),
  goodwillKind: z.string().nullable(),
  reason: z.string(),
  createdBy: Person,
  createdAt: isoTime,
});

export const ClaimEvent = z.object({
  id: z.string(),
  claimId: z.string(),
  incidentKey: z.string(),
  kind: z.enum(CLAIM_EVENT_KINDS),
  fromStatus: z.string().nullable(),
  toStatus: z.string(),
  version: z.number().int(),
  amountMinor: z.number().int().nullable(),
  currency: z.string().nullable(),
  reason: z.string().nullable(),
  speaker: z.enum(SPEAKERS),
  channel: z.string(),
  ip: z.string().nullable(),
  recordedBy: Person,
  at: isoTime,
});
export type ClaimEvent = z.infer<typeof ClaimEvent>;

export const ClaimApproval = z.object({ version: z.number().int(), tier: z.string(), approver: Person, at: isoTime });
export const Mediation = z.object({
  id: z.string(),
  body: z.enum(MEDIATION_BODIES),
  caseRef: z.string().nullable(),
  referredAt: isoTime,
  outcome: z.enum(MEDIATION_OUTCOMES).nullable(),
  outcomeMinor: z.number().int().nullable(),
  decidedAt: nullableIso,
});

export const ClaimDetail = Claim.extend({
  versions: z.array(ClaimVersion),
  events: z.array(ClaimEvent),
  approvals: z.array(ClaimApproval),
  mediations: z.array(Mediation),
});
export type ClaimDetail = z.infer<typeof ClaimDetail>;
export const ClaimPage = page(Claim);
export const ClaimEventPage = page(ClaimEvent);

export const ClaimListQuery = Pagination.extend({
  status: z.enum(CLAIM_STATUSES).optional(),
  source: z.enum(CLAIM_SOURCES).optional(),
  runId: id.optional(),
  customerId: id.optional(),
});
export type ClaimListQuery = z.infer<typeof ClaimListQuery>;

/** A claim from the portal (entered for the customer) or from the customer's owner: what the customer asks. */
export const ClaimCreate = z
  .strictObject({
    customerId: id.optional(),
    customerNo: z.string().trim().min(1).max(64).optional(),
    source: z.enum(['portal', 'owner']),
    claimedMinor: Minor,
    description: text(4000),
    channel: z.enum(NEGOTIATION_CHANNELS).default('console'),
  })
  .refine((b) => (b.customerId === undefined) !== (b.customerNo === undefined), {
    message: 'give exactly one of customerId, customerNo',
    path: ['customerId'],
  });
export type ClaimCreate = z.infer<typeof ClaimCreate>;

export const OfferBody = z.strictObject({
  amountMinor: Minor,
  reason: text(2000),
  basis: z.enum(CLAIM_BASES).optional(),
  goodwillKind: z.enum(GOODWILL_KINDS).optional(),
  channel: z.enum(NEGOTIATION_CHANNELS).default('console'),
});
export type OfferBody = z.infer<typeof OfferBody>;

/** The customer's counter-offer, recorded by staff (phone, branch, email). */
export const CounterBody = z.strictObject({
  amountMinor: Minor,
  reason: text(2000),
  channel: z.enum(NEGOTIATION_CHANNELS).default('phone'),
});
export type CounterBody = z.infer<typeof CounterBody>;

/** Offered: the customer accepts the offer (staff record it); countered: the firm accepts the customer's counter-offer. */
export const AcceptBody = z.strictObject({
  channel: z.enum(NEGOTIATION_CHANNELS).default('phone'),
  note: z.string().trim().max(2000).optional(),
});
export type AcceptBody = z.infer<typeof AcceptBody>;

export const DeclineBody = z.strictObject({
  /** firm: the firm declines the claim; customer: the customer declines the offer. */
  by: z.enum(['firm', 'customer']),
  reason: z.enum(DECLINE_REASONS),
  note: z.string().trim().max(2000).optional(),
  /** The gesture that answers the customer; absent: the policy's for the customer's tier. */
  goodwill: Goodwill.optional(),
  channel: z.enum(NEGOTIATION_CHANNELS).default('console'),
});
export type DeclineBody = z.infer<typeof DeclineBody>;

export const StartAssessmentBody = z.strictObject({ note: z.string().trim().max(2000).optional() });

export const BulkApprove = z
  .strictObject({
    /** Every accepted claim of this reviewed assessment run. */
    runId: id.optional(),
    claimIds: z.array(id).min(1).max(10_000).optional(),
  })
  .refine((b) => (b.runId === undefined) !== (b.claimIds === undefined), {
    message: 'give exactly one of runId, claimIds',
    path: ['runId'],
  });
export type BulkApprove = z.infer<typeof BulkApprove>;

export const BULK_OUTCOMES = [
  'approved',
  'approval_recorded',
  'not_found',
  'wrong_status',
  'own_proposal',
  'above_tier_cap',
  'already_approved',
] as const;
export const BulkApproveResult = z.object({
  approved: z.number().int(),
  recorded: z.number().int(),
  refused: z.number().int(),
  items: z.array(z.object({ claimId: z.string(), ref: z.string().nullable(), outcome: z.enum(BULK_OUTCOMES) })),
});
export type BulkApproveResult = z.infer<typeof BulkApproveResult>;

export const BulkOfferResult = z.object({ offered: z.number().int() });

export const MediationRefer = z.strictObject({
  body: z.enum(MEDIATION_BODIES),
  caseRef: z.string().trim().min(1).max(120).optional(),
  referredAt: isoTime.optional(),
  note: z.string().trim().max(2000).optional(),
});
export type MediationRefer = z.infer<typeof MediationRefer>;

export const MediationOutcomeBody = z
  .strictObject({
    outcome: z.enum(MEDIATION_OUTCOMES),
    /** settled, award: the amount agreed or awarded. */
    amountMinor: Minor.optional(),
    decidedAt: isoTime.optional(),
    note: z.string().trim().max(2000).optional(),
  })
  .refine((b) => (b.outcome === 'settled' || b.outcome === 'award') === (b.amountMinor !== undefined), {
    message: 'an amount with settled or award, none otherwise',
    path: ['amountMinor'],
  });
export type MediationOutcomeBody = z.infer<typeof MediationOutcomeBody>;

const LedgerLine = z.object({ count: z.number().int(), amountMinor: z.number().int() });
export const Ledger = z.object({
  incidentKey: z.string(),
  currencies: z.array(
    z.object({
      currency: z.string(),
      claims: z.number().int(),
      /** The provision: every claim not yet paid nor declined, at its current amount (a counter-offer's when higher). */
      reserve: LedgerLine,
      offered: LedgerLine,
      countered: LedgerLine,
      accepted: LedgerLine,
      approved: LedgerLine,
      paid: LedgerLine,
      declined: LedgerLine,
      inMediation: LedgerLine,
      proposed: LedgerLine,
      /** Goodwill gestures in money given with declined claims. */
      declinedGoodwill: LedgerLine,
      /** Approved claims in a payout batch the bank has not settled yet (part of `approved`). */
      inPayout: LedgerLine,
      /** Payout items the bank returned as failed (their claims stay approved, free for a later batch). */
      payoutFailed: LedgerLine,
    }),
  ),
});
export type Ledger = z.infer<typeof Ledger>;

const Tier = z.strictObject({
  key: z.string().trim().min(1).max(40),
  capMinor: Minor.nullable(),
  roles: z.array(z.enum(USER_ROLES)).min(1).max(10),
  approvers: z.number().int().min(1).max(3),
});
const Gesture = z.strictObject({ kind: z.enum(GOODWILL_KINDS), amountMinor: Minor });
export const PolicyBody = z
  .strictObject({
    currency: Currency.default('CNY'),
    tiers: z.array(Tier).min(1).max(6),
    goodwill: z.strictObject({
      default: Gesture,
      byCustomerTier: z.record(z.string().min(1).max(40), Gesture).default({}),
    }),
  })
  .refine((p) => p.tiers.filter((t) => t.capMinor === null).length === 1, {
    message: 'exactly one tier without a cap (the highest)',
    path: ['tiers'],
  });
export type PolicyBody = z.infer<typeof PolicyBody>;
export const Policy = z.object({
  currency: z.string(),
  tiers: z.array(
    z.object({ key: z.string(), capMinor: z.number().nullable(), roles: z.array(z.string()), approvers: z.number() }),
  ),
  goodwill: z.object({ default: Goodwill, byCustomerTier: z.record(z.string(), Goodwill) }),
  updatedAt: nullableIso,
});

/** What an uploaded extract holds: orders and prices (outage-price-diff), or items (the other methods). */
export const INPUT_KINDS = ['orders', 'prices', 'items'] as const;

export const InputUploadQuery = z.strictObject({
  kind: z.enum(INPUT_KINDS),
  /** The file's name, shown with the run and in each bad line's report. */
  name: z.string().trim().min(1).max(200),
});

export const CompensationInput = z.object({
  id: z.string(),
  kind: z.enum(INPUT_KINDS),
  name: z.string(),
  bytes: z.number().int(),
  sha256: z.string(),
  createdBy: z.string().nullable(),
  createdAt: z.string(),
});
export type CompensationInput = z.infer<typeof CompensationInput>;

const OptionText = z.string().trim().min(1).max(64).optional();

/** Run the engine in the server on uploaded extracts and store the run (docs/compensation.md). */
export const AssessBody = z.strictObject({
  method: z.enum(ASSESSMENT_METHODS),
  inputs: z.strictObject({
    orders: z.string().min(1).max(64).optional(),
    prices: z.string().min(1).max(64).optional(),
    items: z.string().min(1).max(64).optional(),
  }),
  /** The method's options as the CLI takes them: yuan and percent as decimal text, times ISO-8601 with offset. */
  parameters: z
    .strictObject({
      outageStart: OptionText,
      outageEnd: OptionText,
      cap: OptionText,
      min: OptionText,
      goodwill: OptionText,
      rate: OptionText,
      dayCount: OptionText,
      amount: OptionText,
    })
    .default({}),
  encoding: z.enum(['utf8', 'gbk']).default('utf8'),
});
export type AssessBody = z.infer<typeof AssessBody>;

export const AssessAnswer = z.object({
  run: Run,
  /** Rows skipped as bad (orders, prices or items) and orders that could not be priced. */
  skipped: z.number().int(),
  /** The first 200 bad rows: the input's name, the line, why. */
  problems: z.array(z.object({ input: z.string(), line: z.number().int(), reason: z.string() })),
  problemCount: z.number().int(),
});
export type AssessAnswer = z.infer<typeof AssessAnswer>;

/** The notices to the customer of a claim (offer, acceptance receipt, payment): what was sent, how, or why not. */
export const ClaimNotice = z.object({
  id: z.string(),
  kind: z.enum(['offer', 'accept_receipt', 'paid']),
  state: z.enum(['queued', 'sent', 'skipped', 'failed']),
  channel: z.enum(['sms', 'email']).nullable(),
  language: z.enum(['zh-CN', 'en']).nullable(),
  /** Why skipped or failed: opted_out, no_contact, no_gateway, or the gateway's answer; quiet_hours while an SMS waits. */
  reason: z.string().nullable(),
  attempts: z.number().int(),
  createdAt: isoTime,
  sentAt: nullableIso,
  /** A queued notice: when it goes next (an SMS waits for the end of quiet hours; a retry for its backoff). */
  dueAt: nullableIso,
});
export type ClaimNotice = z.infer<typeof ClaimNotice>;
export const ClaimNoticeList = z.object({ items: z.array(ClaimNotice) });
