/**
 * Subscriptions to the public status site (issue 11): email subscribers (double opt-in; the address
 * sealed, found by a keyed hash, shown masked) and webhook subscribers (staff-created, the signing
 * secret sealed), and the fixed-window counters of the subscribe throttle (per IP, per address), kept in
 * the store so every web process counts against the same budget.
 */
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('subscribers')
    .addColumn('id', 'text', (c) => c.primaryKey())
    /** email | webhook */
    .addColumn('kind', 'text', (c) => c.notNull())
    /** pending | confirmed | unsubscribed (a webhook is confirmed when created) */
    .addColumn('state', 'text', (c) => c.notNull())
    /** zh-CN | en */
    .addColumn('language', 'text', (c) => c.notNull())
    /** Email: HMAC of the normalized address (lookup); unique, null for webhooks. */
    .addColumn('address_hash', 'text', (c) => c.unique())
    /** Sealed JSON (secret box, bound to the id): { address } or { url, secret }. */
    .addColumn('sealed', 'text', (c) => c.notNull())
    /** For lists: `a***@example.com`, or the webhook URL's origin. */
    .addColumn('masked', 'text', (c) => c.notNull())
    /** Webhook: a name staff give it. */
    .addColumn('name', 'text')
    /** JSON array of service keys; empty: every service. */
    .addColumn('services', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addColumn('confirmed_at', 'bigint')
    .addColumn('unsubscribed_at', 'bigint')
    /** When the last confirmation mail was asked for (a pending address is not mailed again within minutes). */
    .addColumn('confirm_sent_at', 'bigint')
    .execute();
  await db.schema.createIndex('subscribers_state').on('subscribers').columns(['state', 'kind']).execute();

  await db.schema
    .createTable('subscription_throttle')
    /** `ip:<address or /64>` or `addr:<address hash>`. */
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('count', 'integer', (c) => c.notNull())
    .addColumn('window_start', 'bigint', (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('subscription_throttle').ifExists().execute();
  await db.schema.dropTable('subscribers').ifExists().execute();
}
