/**
 * Drills (定期演练, issue 16): tabletop and technical exercises run on a drill incident, with scripted
 * injects released at their offsets from the start. Scores are computed from the incident's data when a
 * drill is read, never stored.
 */
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('drills')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('title', 'text', (c) => c.notNull())
    /** tabletop | technical */
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('plan_id', 'text')
    .addColumn('scenario_zh', 'text', (c) => c.notNull())
    .addColumn('scenario_en', 'text', (c) => c.notNull())
    .addColumn('scheduled_at', 'bigint', (c) => c.notNull())
    /** scheduled | running | completed | cancelled */
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('facilitator_id', 'text')
    /** JSON array of user ids. */
    .addColumn('participants', 'text', (c) => c.notNull())
    .addColumn('grade', 'text', (c) => c.notNull())
    .addColumn('category', 'text', (c) => c.notNull())
    .addColumn('incident_id', 'text', (c) => c.references('incidents.id'))
    .addColumn('started_at', 'bigint')
    .addColumn('ended_at', 'bigint')
    /** The after-action report's free text (Markdown, rendered sanitized). */
    .addColumn('notes', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('drills_scheduled').on('drills').columns(['scheduled_at']).execute();
  await db.schema.createIndex('drills_plan').on('drills').columns(['plan_id', 'status']).execute();
  await db.schema
    .createTable('drill_injects')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('drill_id', 'text', (c) => c.notNull().references('drills.id'))
    .addColumn('offset_minutes', 'integer', (c) => c.notNull())
    .addColumn('title_zh', 'text', (c) => c.notNull())
    .addColumn('title_en', 'text', (c) => c.notNull())
    .addColumn('text_zh', 'text', (c) => c.notNull())
    .addColumn('text_en', 'text', (c) => c.notNull())
    .addColumn('channel', 'text', (c) => c.notNull())
    .addColumn('expected_zh', 'text')
    .addColumn('expected_en', 'text')
    .addColumn('released_at', 'bigint')
    .addColumn('released_by', 'text')
    /** The timeline entry the release wrote on the drill incident. */
    .addColumn('entry_id', 'text')
    .execute();
  await db.schema
    .createIndex('drill_injects_drill')
    .on('drill_injects')
    .columns(['drill_id', 'offset_minutes'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('drill_injects').ifExists().execute();
  await db.schema.dropTable('drills').ifExists().execute();
}
