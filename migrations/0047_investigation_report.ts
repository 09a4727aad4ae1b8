/**
 * The investigation report (issue 15): one per incident. The analyst-written sections (Markdown) and the
 * public summary (plain text, zh-CN and English) are kept here; the sections filled from the data
 * (timeline, attack path, impact, evidence, IOCs) are read when the report is shown or exported.
 * `revision` goes up on every edit; the workflow is draft -> in_review -> approved (or back to draft with
 * changes requested), and publishing the approved summary remembers the revision it published.
 */
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('investigation_reports')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('incident_id', 'text', (c) => c.notNull().unique().references('incidents.id'))
    .addColumn('revision', 'integer', (c) => c.notNull())
    /** draft | in_review | approved */
    .addColumn('state', 'text', (c) => c.notNull())
    /** JSON: the analyst-written sections, Markdown (summary, scope, method, rootCause, impact, recommendations). */
    .addColumn('sections', 'text', (c) => c.notNull())
    .addColumn('public_summary_zh', 'text', (c) => c.notNull())
    .addColumn('public_summary_en', 'text', (c) => c.notNull())
    /** JSON array of the ids of everyone who edited it (none of them may approve it). */
    .addColumn('authors', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_by', 'text')
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addColumn('submitted_by', 'text')
    .addColumn('submitted_at', 'bigint')
    .addColumn('approved_by', 'text')
    .addColumn('approved_at', 'bigint')
    .addColumn('approved_revision', 'integer')
    /** The last "changes requested": who, when, the comment. */
    .addColumn('review_by', 'text')
    .addColumn('review_at', 'bigint')
    .addColumn('review_comment', 'text')
    .addColumn('published_by', 'text')
    .addColumn('published_at', 'bigint')
    .addColumn('published_revision', 'integer')
    .addColumn('published_path', 'text')
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('investigation_reports').ifExists().execute();
}
