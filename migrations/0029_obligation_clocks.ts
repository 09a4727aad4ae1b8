/**
 * Live regulatory obligation clocks (issue 13, docs/obligations.md): the firm's profile (one row), the
 * regulatory facts compliance records on an incident, one clock per incident, obligation and stage (its
 * deadline, why, status, submission), and the warnings each clock fired (one row a point: fired once).
 */
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('firm_profile')
    /** Always `firm`: one profile per installation. */
    .addColumn('id', 'text', (c) => c.primaryKey())
    /** JSON: jurisdictions, cii_operator, us_broker_dealer, listed_us, dora_entity, clients_total, csrc_target_minutes. */
    .addColumn('profile', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('updated_by', 'text')
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('incident_regulatory_facts')
    .addColumn('incident_id', 'text', (c) => c.primaryKey().references('incidents.id'))
    /** JSON: the facts compliance recorded (aware_at, classified_at, dora_major, ...). */
    .addColumn('facts', 'text', (c) => c.notNull())
    .addColumn('updated_by', 'text')
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('obligation_clocks')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('incident_id', 'text', (c) => c.notNull().references('incidents.id'))
    .addColumn('obligation', 'text', (c) => c.notNull())
    .addColumn('stage', 'text', (c) => c.notNull())
    /** yes | unknown (may apply once an unknown fact is known) */
    .addColumn('applies', 'text', (c) => c.notNull())
    .addColumn('starts_at', 'bigint')
    /** Null when its start is unknown (the missing fact is in `why`). */
    .addColumn('due_at', 'bigint')
    .addColumn('why', 'text', (c) => c.notNull())
    .addColumn('why_zh', 'text', (c) => c.notNull())
    /** running | met | met_late | missed | stopped */
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('submitted_at', 'bigint')
    .addColumn('report_id', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addUniqueConstraint('obligation_clocks_incident_stage', ['incident_id', 'obligation', 'stage'])
    .execute();
  // The warning sweep reads the running clocks with a deadline.
  await db.schema
    .createIndex('obligation_clocks_status_due')
    .on('obligation_clocks')
    .columns(['status', 'due_at'])
    .execute();

  await db.schema
    .createTable('obligation_warnings')
    .addColumn('clock_id', 'text', (c) => c.notNull().references('obligation_clocks.id'))
    /** `50%`, `80%`, `15m` (minutes left), `missed`. */
    .addColumn('point', 'text', (c) => c.notNull())
    /** The deadline the point was computed against (a moved deadline fires its points again). */
    .addColumn('due_at', 'bigint', (c) => c.notNull())
    .addColumn('at', 'bigint', (c) => c.notNull())
    .addColumn('fired_at', 'bigint', (c) => c.notNull())
    .addColumn('page_id', 'text')
    .addPrimaryKeyConstraint('obligation_warnings_pk', ['clock_id', 'point', 'due_at'])
    .execute();
}
