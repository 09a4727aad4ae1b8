/**
 * The customer's side of a compensation claim (issue 14): one-time codes of the portal's acceptance
 * (sent by SMS to the phone on file, stored only as a keyed hash, 10 minutes, at most 5 tries; a verified
 * code opens a short portal session, also kept only as a hash), and the notices to customers on claim
 * events (offer, acceptance receipt, payment done), written with the event and sent by the job runner.
 */
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('compensation_portal_codes')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('claim_id', 'text', (c) => c.notNull().references('compensation_claims.id'))
    /** HMAC-SHA256 (a key derived from the secret key) of the claim id and the code; never the code. */
    .addColumn('code_hash', 'text', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .addColumn('verified_at', 'bigint')
    /** SHA-256 of the portal session's token (the cookie), once the code was verified. */
    .addColumn('session_hash', 'text')
    .addColumn('session_expires_at', 'bigint')
    /** The address that asked for the code. */
    .addColumn('ip', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('compensation_portal_codes_claim')
    .on('compensation_portal_codes')
    .columns(['claim_id', 'created_at'])
    .execute();
  await db.schema
    .createIndex('compensation_portal_codes_session')
    .on('compensation_portal_codes')
    .column('session_hash')
    .unique()
    .execute();

  await db.schema
    .createTable('compensation_notices')
    /** The claim event's id: one notice per event. */
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('claim_id', 'text', (c) => c.notNull().references('compensation_claims.id'))
    .addColumn('customer_id', 'text', (c) => c.notNull())
    /** offer | accept_receipt | paid */
    .addColumn('kind', 'text', (c) => c.notNull())
    /** queued | sent | skipped | failed */
    .addColumn('state', 'text', (c) => c.notNull())
    /** sms | email, once chosen */
    .addColumn('channel', 'text')
    .addColumn('language', 'text')
    /** opted_out | no_contact | no_gateway | the gateway's reason */
    .addColumn('reason', 'text')
    .addColumn('gateway_id', 'text')
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('sent_at', 'bigint')
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('compensation_notices_claim')
    .on('compensation_notices')
    .columns(['claim_id', 'created_at'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('compensation_notices').ifExists().execute();
  await db.schema.dropTable('compensation_portal_codes').ifExists().execute();
}
