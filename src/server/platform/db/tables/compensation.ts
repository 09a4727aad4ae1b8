/** Compensation (migration 0031_compensation): assessment runs and results, claims, versions, events, approvals, mediations, policy. */

export interface CompensationRunsTable {
  id: string;
  incident_id: string;
  method: string;
  parameters: string;
  currency: string;
  customers: number;
  orders: number;
  goodwill_customers: number;
  unknown_customers: number;
  loss_minor: number;
  compensation_minor: number;
  /** computed | reviewed */
  state: string;
  created_by: string | null;
  created_at: number;
  reviewed_by: string | null;
  reviewed_at: number | null;
  proposed_at: number | null;
}

export interface CompensationResultsTable {
  run_id: string;
  customer_no: string;
  customer_id: string | null;
  orders: number;
  loss_minor: number;
  compensation_minor: number;
  basis: string;
}

export interface CompensationClaimsTable {
  id: string;
  ref: string;
  incident_id: string;
  customer_id: string;
  source: string;
  status: string;
  amount_minor: number;
  currency: string;
  claimed_minor: number | null;
  loss_minor: number | null;
  basis: string;
  goodwill_kind: string | null;
  goodwill_minor: number | null;
  version: number;
  approved_version: number | null;
  run_id: string | null;
  decline_reason: string | null;
  accepted_at: number | null;
  accepted_channel: string | null;
  accepted_ip: string | null;
  payout_batch_id: string | null;
  paid_at: number | null;
  paid_reference: string | null;
  created_by: string | null;
  created_at: number;
  updated_at: number;
}

export interface CompensationClaimVersionsTable {
  claim_id: string;
  version: number;
  amount_minor: number;
  currency: string;
  basis: string;
  goodwill_kind: string | null;
  reason: string;
  created_by: string | null;
  created_at: number;
}

export interface CompensationClaimEventsTable {
  id: string;
  claim_id: string;
  incident_id: string;
  customer_id: string;
  kind: string;
  from_status: string | null;
  to_status: string;
  version: number;
  amount_minor: number | null;
  currency: string | null;
  reason: string | null;
  speaker: string;
  channel: string;
  ip: string | null;
  user_id: string | null;
  created_at: number;
}

export interface CompensationApprovalsTable {
  id: string;
  claim_id: string;
  version: number;
  tier: string;
  approver_id: string;
  approved_at: number;
}

export interface CompensationMediationsTable {
  id: string;
  claim_id: string;
  body: string;
  case_ref: string | null;
  referred_at: number;
  outcome: string | null;
  outcome_minor: number | null;
  decided_at: number | null;
  created_by: string | null;
  created_at: number;
  updated_at: number;
}

export interface CompensationPolicyTable {
  id: string;
  policy: string;
  updated_by: string | null;
  updated_at: number;
}

/** Uploaded extracts an assessment runs on (migration 0036_compensation_inputs). */
export interface CompensationInputsTable {
  id: string;
  incident_id: string;
  /** orders | prices | items */
  kind: string;
  name: string;
  bytes: number;
  sha256: string;
  /** Sealed base64 of the bytes, bound to the id. */
  content: string;
  created_by: string | null;
  created_at: number;
}

/** Payout batches (migration 0038_payout_batches): the id is the client's (idempotent creation). */
export interface CompensationPayoutBatchesTable {
  id: string;
  incident_id: string;
  currency: string;
  /** draft | exported | paid | partly_paid */
  state: string;
  item_count: number;
  total_minor: number;
  created_by: string | null;
  created_at: number;
  exported_at: number | null;
  export_count: number;
  paid_at: number | null;
  bank_reference: string | null;
  updated_at: number;
}

/** A claim in a payout batch; at most one item per claim that is not failed. */
export interface CompensationPayoutItemsTable {
  batch_id: string;
  seq: number;
  claim_id: string;
  claim_version: number;
  amount_minor: number;
  currency: string;
  /** pending | paid | failed */
  state: string;
  bank_reference: string | null;
  failure_reason: string | null;
  paid_at: number | null;
  updated_at: number;
}
