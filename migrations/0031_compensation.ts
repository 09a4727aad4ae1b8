/**
 * Compensation (issue 14, part 2): assessment runs of an incident and their per-customer results, one
 * claim per customer and incident with its versions (every edit), the negotiation and status events
 * (also the customer's record), approvals per version (tiers, two-person rule), mediation and dispute
 * referrals, and the firm's approval tiers and goodwill policy. Money: integer minor units (fen) in
 * bigint columns with a currency. Payout batches (a later part) point at claims through
 * `payout_batch_id`; the portal's acceptance is recorded in `accepted_*` and the events.
 */
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('compensation_runs')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('incident_id', 'text', (c) => c.notNull().references('incidents.id'))
    /** outage-price-diff | fraud-loss | delayed-funds | fee-refund | fixed */
    .addColumn('method', 'text', (c) => c.notNull())
    /** JSON: the method's parameters as given (window, cap, min, goodwill, files' names). */
    .addColumn('parameters', 'text', (c) => c.notNull())
    .addColumn('currency', 'text', (c) => c.notNull())
    .addColumn('customers', 'integer', (c) => c.notNull())
    .addColumn('orders', 'bigint', (c) => c.notNull())
    .addColumn('goodwill_customers', 'integer', (c) => c.notNull())
    /** Results whose customer is not known to the customer module (kept, never proposed). */
    .addColumn('unknown_customers', 'integer', (c) => c.notNull())
    .addColumn('loss_minor', 'bigint', (c) => c.notNull())
    .addColumn('compensation_minor', 'bigint', (c) => c.notNull())
    /** computed | reviewed */
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('reviewed_by', 'text')
    .addColumn('reviewed_at', 'bigint')
    .addColumn('proposed_at', 'bigint')
    .execute();
  await db.schema
    .createIndex('compensation_runs_incident')
    .on('compensation_runs')
    .columns(['incident_id', 'id'])
    .execute();

  await db.schema
    .createTable('compensation_results')
    .addColumn('run_id', 'text', (c) => c.notNull().references('compensation_runs.id'))
    /** The customer as the engine named it (the customer number of the firm's extracts). */
    .addColumn('customer_no', 'text', (c) => c.notNull())
    /** null: no such customer in the customer module. */
    .addColumn('customer_id', 'text')
    .addColumn('orders', 'integer', (c) => c.notNull())
    .addColumn('loss_minor', 'bigint', (c) => c.notNull())
    .addColumn('compensation_minor', 'bigint', (c) => c.notNull())
    /** price_diff | goodwill | fraud_loss | delayed_funds | fee_refund | fixed */
    .addColumn('basis', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('compensation_results_pk', ['run_id', 'customer_no'])
    .execute();

  await db.schema
    .createTable('compensation_claims')
    .addColumn('id', 'text', (c) => c.primaryKey())
    /** The reference the customer quotes (portal acceptance with a one-time code, letters). */
    .addColumn('ref', 'text', (c) => c.notNull().unique())
    .addColumn('incident_id', 'text', (c) => c.notNull().references('incidents.id'))
    .addColumn('customer_id', 'text', (c) => c.notNull().references('customers.id'))
    /** portal | owner | assessment */
    .addColumn('source', 'text', (c) => c.notNull())
    /** proposed | under_assessment | offered | countered | accepted | declined | approved | paid | referred */
    .addColumn('status', 'text', (c) => c.notNull())
    /** The current version's amount: what the firm proposes or offers. */
    .addColumn('amount_minor', 'bigint', (c) => c.notNull())
    .addColumn('currency', 'text', (c) => c.notNull())
    /** What the customer asked for (portal, owner), or the last counter-offer. */
    .addColumn('claimed_minor', 'bigint')
    /** The assessed loss (assessment), when known. */
    .addColumn('loss_minor', 'bigint')
    /** price_diff | goodwill | claimed | ... (CLAIM_BASES) */
    .addColumn('basis', 'text', (c) => c.notNull())
    /** fee_waiver | fixed_amount | service_upgrade: the gesture for a customer without evidence of loss. */
    .addColumn('goodwill_kind', 'text')
    .addColumn('goodwill_minor', 'bigint')
    .addColumn('version', 'integer', (c) => c.notNull())
    /** The version the approvals were completed for (null: not approved). */
    .addColumn('approved_version', 'integer')
    .addColumn('run_id', 'text', (c) => c.references('compensation_runs.id'))
    .addColumn('decline_reason', 'text')
    .addColumn('accepted_at', 'bigint')
    .addColumn('accepted_channel', 'text')
    .addColumn('accepted_ip', 'text')
    /** Set by payout batches (a later part): the batch that paid it, with the bank's reference. */
    .addColumn('payout_batch_id', 'text')
    .addColumn('paid_at', 'bigint')
    .addColumn('paid_reference', 'text')
    .addColumn('created_by', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addUniqueConstraint('compensation_claims_incident_customer', ['incident_id', 'customer_id'])
    .execute();
  await db.schema
    .createIndex('compensation_claims_status')
    .on('compensation_claims')
    .columns(['incident_id', 'status', 'id'])
    .execute();
  await db.schema.createIndex('compensation_claims_run').on('compensation_claims').columns(['run_id', 'id']).execute();
  await db.schema
    .createIndex('compensation_claims_inbox')
    .on('compensation_claims')
    .columns(['status', 'id'])
    .execute();

  await db.schema
    .createTable('compensation_claim_versions')
    .addColumn('claim_id', 'text', (c) => c.notNull().references('compensation_claims.id'))
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('amount_minor', 'bigint', (c) => c.notNull())
    .addColumn('currency', 'text', (c) => c.notNull())
    .addColumn('basis', 'text', (c) => c.notNull())
    .addColumn('goodwill_kind', 'text')
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('compensation_claim_versions_pk', ['claim_id', 'version'])
    .execute();

  await db.schema
    .createTable('compensation_claim_events')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('claim_id', 'text', (c) => c.notNull().references('compensation_claims.id'))
    .addColumn('incident_id', 'text', (c) => c.notNull())
    .addColumn('customer_id', 'text', (c) => c.notNull())
    /** CLAIM_EVENT_KINDS: created, offer, counter, accept, decline, approval, approved, mediation_*, paid */
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('from_status', 'text')
    .addColumn('to_status', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('amount_minor', 'bigint')
    .addColumn('currency', 'text')
    .addColumn('reason', 'text')
    /** staff | customer: who spoke (a customer's words recorded by staff are the customer's). */
    .addColumn('speaker', 'text', (c) => c.notNull())
    /** console | phone | branch | email | portal | mediation */
    .addColumn('channel', 'text', (c) => c.notNull())
    .addColumn('ip', 'text')
    /** The staff member who recorded it (null: the customer on the portal, or Tocsin). */
    .addColumn('user_id', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('compensation_claim_events_claim')
    .on('compensation_claim_events')
    .columns(['claim_id', 'id'])
    .execute();
  await db.schema
    .createIndex('compensation_claim_events_customer')
    .on('compensation_claim_events')
    .columns(['customer_id', 'id'])
    .execute();

  await db.schema
    .createTable('compensation_approvals')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('claim_id', 'text', (c) => c.notNull().references('compensation_claims.id'))
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('tier', 'text', (c) => c.notNull())
    .addColumn('approver_id', 'text', (c) => c.notNull())
    .addColumn('approved_at', 'bigint', (c) => c.notNull())
    .addUniqueConstraint('compensation_approvals_once', ['claim_id', 'version', 'approver_id'])
    .execute();

  await db.schema
    .createTable('compensation_mediations')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('claim_id', 'text', (c) => c.notNull().references('compensation_claims.id'))
    /** sac_mediation | csrc_complaint | arbitration | court | other */
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('case_ref', 'text')
    .addColumn('referred_at', 'bigint', (c) => c.notNull())
    /** null while open; settled | award | dismissed | withdrawn */
    .addColumn('outcome', 'text')
    .addColumn('outcome_minor', 'bigint')
    .addColumn('decided_at', 'bigint')
    .addColumn('created_by', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('compensation_mediations_claim')
    .on('compensation_mediations')
    .columns(['claim_id', 'referred_at'])
    .execute();

  await db.schema
    .createTable('compensation_policy')
    /** One row, 'firm' (absent: DEFAULT_COMPENSATION_POLICY). */
    .addColumn('id', 'text', (c) => c.primaryKey())
    /** JSON: CompensationPolicy. */
    .addColumn('policy', 'text', (c) => c.notNull())
    .addColumn('updated_by', 'text')
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const t of [
    'compensation_policy',
    'compensation_mediations',
    'compensation_approvals',
    'compensation_claim_events',
    'compensation_claim_versions',
    'compensation_claims',
    'compensation_results',
    'compensation_runs',
  ])
    await db.schema.dropTable(t).ifExists().execute();
}
