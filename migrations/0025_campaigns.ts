/**
 * Targeted notification campaigns (issue 12): a campaign sends one approved `customer_notice`
 * statement to an audience of customers; launching fans it out into `campaign_messages` (the
 * transactional outbox of the sender: one row per customer and channel, created once by its unique
 * idempotency key), which the sender loop claims with a lease and hands to the gateway.
 */
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('campaigns')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('incident_id', 'text', (c) => c.notNull().references('incidents.id'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('statement_id', 'text', (c) => c.notNull().references('statements.id'))
    /** JSON: the audience ({ kind: customers | segment | set, ... }). */
    .addColumn('audience', 'text', (c) => c.notNull())
    /** JSON array of channels in order of preference, e.g. ["sms","email"]. */
    .addColumn('channels', 'text', (c) => c.notNull())
    .addColumn('mandatory', 'integer', (c) => c.notNull())
    .addColumn('urgent', 'integer', (c) => c.notNull())
    /** JSON: { start: "22:00", end: "08:00", timeZone } or null (no quiet hours). */
    .addColumn('quiet_hours', 'text')
    /** JSON: messages per second per channel, e.g. { sms: 50, email: 20 }. */
    .addColumn('throttle', 'text', (c) => c.notNull())
    /** JSON array of tiers sent first, in order (e.g. ["vip"]). */
    .addColumn('priority_tiers', 'text', (c) => c.notNull())
    /** draft | fanning_out | running | paused | done | cancelled */
    .addColumn('state', 'text', (c) => c.notNull())
    /** The fan-out's keyset cursor: the last customer id whose messages are written (resume point). */
    .addColumn('fanout_cursor', 'text')
    .addColumn('fanout_done', 'integer', (c) => c.notNull())
    .addColumn('message_count', 'integer', (c) => c.notNull())
    .addColumn('created_by', 'text')
    .addColumn('launched_by', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addColumn('launched_at', 'bigint')
    .addColumn('finished_at', 'bigint')
    .execute();
  await db.schema.createIndex('campaigns_incident').on('campaigns').columns(['incident_id']).execute();

  await db.schema
    .createTable('campaign_messages')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('campaign_id', 'text', (c) => c.notNull().references('campaigns.id'))
    .addColumn('customer_id', 'text', (c) => c.notNull())
    /** sms | email | push; `none` for a skipped message without any usable channel. */
    .addColumn('channel', 'text', (c) => c.notNull())
    .addColumn('language', 'text', (c) => c.notNull())
    /** JSON: { subject, text } rendered for this customer. No contact: it is read from the customer when sent. */
    .addColumn('body', 'text', (c) => c.notNull())
    /** `<campaignId>:<customerId>:<channel>`: the gateway's Idempotency-Key; each message exists once. */
    .addColumn('idempotency_key', 'text', (c) => c.notNull().unique())
    /** Lower is sooner (priority tiers first). */
    .addColumn('priority', 'integer', (c) => c.notNull())
    /** queued | sending | sent | delivered | failed | bounced | skipped */
    .addColumn('state', 'text', (c) => c.notNull())
    /** Why skipped or failed: opted_out, no_contact, ... */
    .addColumn('reason', 'text')
    .addColumn('attempts', 'integer', (c) => c.notNull())
    .addColumn('next_attempt_at', 'bigint', (c) => c.notNull())
    .addColumn('lease_until', 'bigint')
    .addColumn('locked_by', 'text')
    .addColumn('gateway_id', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('sent_at', 'bigint')
    .addColumn('delivered_at', 'bigint')
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('campaign_messages_due')
    .on('campaign_messages')
    .columns(['state', 'priority', 'next_attempt_at'])
    .execute();
  await db.schema
    .createIndex('campaign_messages_campaign')
    .on('campaign_messages')
    .columns(['campaign_id', 'state'])
    .execute();
  await db.schema.createIndex('campaign_messages_gateway').on('campaign_messages').columns(['gateway_id']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const t of ['campaign_messages', 'campaigns']) await db.schema.dropTable(t).ifExists().execute();
}
