/**
 * Compensation payout batches (issue 14, "Approval, payout, ledger"): a batch of approved claims paid
 * through the bank (its id is the client's, so creating it twice gives the same batch), exported as the
 * bank's batch file, marked paid with the bank's reference or settled item by item from the bank's
 * return file. Money: integer minor units (fen) in bigint columns with a currency.
 *
 * The store itself keeps a claim from being paid twice: an item is pending, paid or failed, and a claim
 * has at most one item that is not failed (a partial unique index), so a paid claim is never in a second
 * batch, and one a batch is still paying cannot join another; a failed item frees its claim.
 */
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('compensation_payout_batches')
    /** Chosen by the client: the idempotency key of the creation. */
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('incident_id', 'text', (c) => c.notNull().references('incidents.id'))
    .addColumn('currency', 'text', (c) => c.notNull())
    /** draft | exported | paid | partly_paid */
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('item_count', 'integer', (c) => c.notNull())
    .addColumn('total_minor', 'bigint', (c) => c.notNull())
    .addColumn('created_by', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    /** The first export of the bank file; `export_count` how many times it was exported. */
    .addColumn('exported_at', 'bigint')
    .addColumn('export_count', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('paid_at', 'bigint')
    /** The bank's reference of the whole batch (marked paid). */
    .addColumn('bank_reference', 'text')
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addCheckConstraint('compensation_payout_batches_state', sql`state in ('draft', 'exported', 'paid', 'partly_paid')`)
    .addCheckConstraint('compensation_payout_batches_total', sql`total_minor > 0 and item_count > 0`)
    .execute();
  await db.schema
    .createIndex('compensation_payout_batches_incident')
    .on('compensation_payout_batches')
    .columns(['incident_id', 'id'])
    .execute();

  await db.schema
    .createTable('compensation_payout_items')
    .addColumn('batch_id', 'text', (c) => c.notNull().references('compensation_payout_batches.id'))
    /** 1.. in the batch: the line of the bank file. */
    .addColumn('seq', 'integer', (c) => c.notNull())
    .addColumn('claim_id', 'text', (c) => c.notNull().references('compensation_claims.id'))
    /** The claim's approved version the amount is of. */
    .addColumn('claim_version', 'integer', (c) => c.notNull())
    .addColumn('amount_minor', 'bigint', (c) => c.notNull())
    .addColumn('currency', 'text', (c) => c.notNull())
    /** pending | paid | failed */
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('bank_reference', 'text')
    .addColumn('failure_reason', 'text')
    .addColumn('paid_at', 'bigint')
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('compensation_payout_items_pk', ['batch_id', 'seq'])
    .addCheckConstraint('compensation_payout_items_state', sql`state in ('pending', 'paid', 'failed')`)
    .addCheckConstraint('compensation_payout_items_amount', sql`amount_minor > 0`)
    .addCheckConstraint(
      'compensation_payout_items_paid',
      sql`state <> 'paid' or (paid_at is not null and bank_reference is not null)`,
    )
    .execute();
  // A claim is in at most one batch that has not failed for it: never paid twice, never in two live batches.
  await db.schema
    .createIndex('compensation_payout_items_live_claim')
    .on('compensation_payout_items')
    .column('claim_id')
    .unique()
    .where(sql.ref('state'), '!=', 'failed')
    .execute();
  await db.schema
    .createIndex('compensation_payout_items_claim')
    .on('compensation_payout_items')
    .columns(['claim_id', 'state'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('compensation_payout_items').ifExists().execute();
  await db.schema.dropTable('compensation_payout_batches').ifExists().execute();
}
