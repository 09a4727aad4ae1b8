/**
 * The performance figures (issue 16, docs/kpi.md) read each incident's earliest evidence, first public
 * statement and first customer message: indexes that hold what those grouped reads need, so each is a
 * scan of one index instead of a lookup of every row (bench:reports `metrics`).
 */
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.createIndex('alerts_incident_first').on('alerts').columns(['incident_id', 'first_seen']).execute();
  await db.schema
    .createIndex('statements_incident_published')
    .on('statements')
    .columns(['incident_id', 'kind', 'published_at'])
    .execute();
  await db.schema
    .createIndex('campaign_messages_campaign_sent')
    .on('campaign_messages')
    .columns(['campaign_id', 'sent_at'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const name of ['alerts_incident_first', 'statements_incident_published', 'campaign_messages_campaign_sent'])
    await db.schema.dropIndex(name).execute();
}
