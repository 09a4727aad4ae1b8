/**
 * Response (issue 9): drill incidents (a drill runs the same plans, but every connector that reaches
 * outside runs its dry run) and plan activations — one row per plan and incident, so activating the same
 * plan twice for one incident does nothing the second time, while two plans may run for one incident.
 */
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('incidents')
    .addColumn('drill', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();

  // Tasks a plan created: which activation and step, the phase, the title in both languages, the checklist.
  for (const column of ['activation_id', 'plan_step', 'phase', 'title_i18n', 'checklist'])
    await db.schema.alterTable('tasks').addColumn(column, 'text').execute();

  await db.schema
    .createTable('plan_activations')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('incident_id', 'text', (c) => c.notNull().references('incidents.id'))
    .addColumn('plan_id', 'text', (c) => c.notNull())
    .addColumn('plan_version', 'integer', (c) => c.notNull())
    /** JSON: the Plan document as it was activated (a later version does not change a running activation). */
    .addColumn('document', 'text', (c) => c.notNull())
    /** Who activated it; null: Tocsin itself, from the plan's triggers. */
    .addColumn('activated_by', 'text')
    /** JSON: why (the trigger that matched, or the person's note) and who filled each role. */
    .addColumn('details', 'text', (c) => c.notNull())
    .addColumn('activated_at', 'bigint', (c) => c.notNull())
    .addUniqueConstraint('plan_activations_incident_plan', ['incident_id', 'plan_id'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('plan_activations').ifExists().execute();
  for (const column of ['activation_id', 'plan_step', 'phase', 'title_i18n', 'checklist'])
    await db.schema.alterTable('tasks').dropColumn(column).execute();
  await db.schema.alterTable('incidents').dropColumn('drill').execute();
}
