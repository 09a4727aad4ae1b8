/**
 * What each plan action was asked for: the entity values (accounts, IPs, hosts) a step of an activation
 * already named in an action run. When new alerts join the incident, the action is asked again for the
 * values not here yet (docs/plans.md, "Asked again as alerts join"); the primary key makes a second
 * noting of the same alert ask nothing, even when two deliveries race.
 */
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('plan_action_coverage')
    .addColumn('activation_id', 'text', (c) => c.notNull().references('plan_activations.id'))
    .addColumn('step_id', 'text', (c) => c.notNull())
    /** `account`, `ip`, `host`; `asked` (empty value) marks that the step was asked once. */
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('value', 'text', (c) => c.notNull())
    /** The idempotency key of the action run that named it. */
    .addColumn('run_key', 'text', (c) => c.notNull())
    .addColumn('asked_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('plan_action_coverage_pk', ['activation_id', 'step_id', 'kind', 'value'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('plan_action_coverage').ifExists().execute();
}
