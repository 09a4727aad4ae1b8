/**
 * Fewer indexes on the campaign outbox (issue 12's `campaign_fanout`: 1 M messages written a page at a
 * time, where PostgreSQL spent most of the time maintaining five indexes per row). Every query of
 * `campaign_messages` is about one campaign: the sender claims a campaign's channel by state, priority
 * and due time, the console counts a campaign's messages by channel and state, a cancel skips a
 * campaign's queued ones. One index on (campaign_id, channel, state, priority, next_attempt_at) serves
 * them all and replaces (state, priority, next_attempt_at) — which was not scoped to a campaign — and
 * (campaign_id, state). The index on gateway_id served no query (receipts find their message by the
 * idempotency key) and is dropped. Left: the primary key, the unique idempotency key and this one.
 */
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('campaign_messages_due').ifExists().execute();
  await db.schema.dropIndex('campaign_messages_campaign').ifExists().execute();
  await db.schema.dropIndex('campaign_messages_gateway').ifExists().execute();
  await db.schema
    .createIndex('campaign_messages_claim')
    .on('campaign_messages')
    .columns(['campaign_id', 'channel', 'state', 'priority', 'next_attempt_at'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('campaign_messages_claim').ifExists().execute();
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
