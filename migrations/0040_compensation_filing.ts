/**
 * Claims the customer files on the public portal (issue 14): which incidents take claims there and under
 * which public title, the one-time codes of a filing (the customer names themself by customer or account
 * number and the phone on file; the code goes to that phone), and the files attached to claims.
 *
 * `compensation_portal_codes` is made anew for two purposes — `answer` (a claim's offer, as before) and
 * `file` (a new claim of a customer in an incident) — so `claim_id` may be empty; its rows live minutes
 * (codes 10, sessions 30), so the rows of the old table are not carried over: a customer half-way through
 * at the upgrade asks for a new code.
 *
 * Attachments' bytes are in the blob store (content-addressed by SHA-256); a row names them.
 */
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('compensation_portal_openings')
    .addColumn('incident_id', 'text', (c) => c.primaryKey().references('incidents.id'))
    .addColumn('title_zh', 'text', (c) => c.notNull())
    .addColumn('title_en', 'text', (c) => c.notNull())
    /** null: open until closed by hand. */
    .addColumn('closes_at', 'bigint')
    /** Closed by hand (the row stays: the title of claims already filed). */
    .addColumn('closed_at', 'bigint')
    .addColumn('opened_by', 'text')
    .addColumn('opened_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();

  await db.schema.dropTable('compensation_portal_codes').ifExists().execute();
  await db.schema
    .createTable('compensation_portal_codes')
    .addColumn('id', 'text', (c) => c.primaryKey())
    /** answer | file */
    .addColumn('purpose', 'text', (c) => c.notNull())
    /** answer: the claim whose offer the customer answers. */
    .addColumn('claim_id', 'text', (c) => c.references('compensation_claims.id'))
    /** file: the incident and the customer the new claim will be of. */
    .addColumn('incident_id', 'text')
    .addColumn('customer_id', 'text')
    /** file: SHA-256 of the ticket the code page carries (the customer's words are not in a URL). */
    .addColumn('ticket_hash', 'text')
    /** HMAC-SHA256 (a key derived from the secret key) of the subject and the code; never the code. */
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
    .createIndex('compensation_portal_codes_filer')
    .on('compensation_portal_codes')
    .columns(['incident_id', 'customer_id', 'created_at'])
    .execute();
  await db.schema
    .createIndex('compensation_portal_codes_ticket')
    .on('compensation_portal_codes')
    .column('ticket_hash')
    .execute();
  await db.schema
    .createIndex('compensation_portal_codes_session')
    .on('compensation_portal_codes')
    .column('session_hash')
    .unique()
    .execute();
  await db.schema
    .createIndex('compensation_portal_codes_expiry')
    .on('compensation_portal_codes')
    .column('expires_at')
    .execute();

  await db.schema
    .createTable('compensation_attachments')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('claim_id', 'text', (c) => c.notNull().references('compensation_claims.id'))
    .addColumn('incident_id', 'text', (c) => c.notNull())
    /** The blob's SHA-256 (hex): the bytes are in the blob store under it. */
    .addColumn('sha256', 'text', (c) => c.notNull())
    .addColumn('bytes', 'bigint', (c) => c.notNull())
    /** Sniffed from the bytes. */
    .addColumn('media_type', 'text', (c) => c.notNull())
    /** As the uploader's machine named it, cleaned; for display and download only. */
    .addColumn('file_name', 'text', (c) => c.notNull())
    /** null: the customer on the portal. */
    .addColumn('uploaded_by', 'text')
    /** portal | console */
    .addColumn('channel', 'text', (c) => c.notNull())
    .addColumn('ip', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('compensation_attachments_claim')
    .on('compensation_attachments')
    .columns(['claim_id', 'created_at'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('compensation_attachments').ifExists().execute();
  await db.schema.dropTable('compensation_portal_openings').ifExists().execute();
  await db.schema.dropTable('compensation_portal_codes').ifExists().execute();
  await db.schema
    .createTable('compensation_portal_codes')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('claim_id', 'text', (c) => c.notNull().references('compensation_claims.id'))
    .addColumn('code_hash', 'text', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .addColumn('verified_at', 'bigint')
    .addColumn('session_hash', 'text')
    .addColumn('session_expires_at', 'bigint')
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
}
