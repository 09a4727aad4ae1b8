/**
 * The risk register and training records (issue 16, docs/risk.md, docs/training.md).
 * Risks: scored likelihood × impact (score stored for filters and sorting), residual ratings after
 * treatment, incidents linked by id (risk_incidents), vulnerabilities by their text ids (JSON; no foreign
 * key: that module is separate), every change kept in risk_history. Training: records per person and
 * course (unique per person, course and completion day, so a re-import does not duplicate), phishing
 * results (unique per campaign and person), and the required courses (one may gate on-call).
 */
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('risks')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('seq', 'integer', (c) => c.notNull().unique())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull())
    .addColumn('category', 'text', (c) => c.notNull())
    .addColumn('likelihood', 'integer', (c) => c.notNull())
    .addColumn('impact', 'integer', (c) => c.notNull())
    .addColumn('score', 'integer', (c) => c.notNull())
    .addColumn('residual_likelihood', 'integer')
    .addColumn('residual_impact', 'integer')
    .addColumn('owner_id', 'text', (c) => c.references('users.id'))
    /** open | treating | accepted | closed */
    .addColumn('status', 'text', (c) => c.notNull())
    /** YYYY-MM-DD */
    .addColumn('review_on', 'text')
    /** JSON array of vulnerability ids (text). */
    .addColumn('vulnerability_ids', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('created_by', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('risks_status').on('risks').columns(['status', 'score']).execute();
  await db.schema
    .createTable('risk_incidents')
    .addColumn('risk_id', 'text', (c) => c.notNull().references('risks.id'))
    .addColumn('incident_id', 'text', (c) => c.notNull().references('incidents.id'))
    .addPrimaryKeyConstraint('risk_incidents_pk', ['risk_id', 'incident_id'])
    .execute();
  await db.schema
    .createTable('risk_history')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('risk_id', 'text', (c) => c.notNull().references('risks.id'))
    .addColumn('at', 'bigint', (c) => c.notNull())
    .addColumn('actor_id', 'text')
    .addColumn('actor_label', 'text', (c) => c.notNull())
    /** JSON: field -> [before, after]. */
    .addColumn('changes', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('risk_history_risk').on('risk_history').columns(['risk_id', 'at']).execute();

  await db.schema
    .createTable('training_records')
    .addColumn('id', 'text', (c) => c.primaryKey())
    /** user:<id> | email:<address, lower case> | emp:<employee id> */
    .addColumn('person_key', 'text', (c) => c.notNull())
    .addColumn('user_id', 'text')
    .addColumn('email', 'text')
    .addColumn('employee_id', 'text')
    .addColumn('person_name', 'text')
    .addColumn('department', 'text', (c) => c.notNull())
    .addColumn('course_code', 'text', (c) => c.notNull())
    .addColumn('course_name', 'text', (c) => c.notNull())
    .addColumn('completed_on', 'text', (c) => c.notNull())
    .addColumn('score', 'double precision')
    .addColumn('expires_on', 'text')
    /** api | import */
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addUniqueConstraint('training_records_once', ['person_key', 'course_code', 'completed_on'])
    .execute();
  await db.schema
    .createIndex('training_records_user')
    .on('training_records')
    .columns(['user_id', 'course_code'])
    .execute();
  await db.schema.createIndex('training_records_department').on('training_records').column('department').execute();
  await db.schema
    .createTable('training_phishing')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('campaign', 'text', (c) => c.notNull())
    .addColumn('person_key', 'text', (c) => c.notNull())
    .addColumn('person_name', 'text')
    .addColumn('department', 'text', (c) => c.notNull())
    .addColumn('sent', 'integer', (c) => c.notNull())
    .addColumn('clicked', 'integer', (c) => c.notNull())
    .addColumn('reported', 'integer', (c) => c.notNull())
    .addColumn('imported_at', 'bigint', (c) => c.notNull())
    .addUniqueConstraint('training_phishing_once', ['campaign', 'person_key'])
    .execute();
  await db.schema
    .createTable('training_required')
    .addColumn('course_code', 'text', (c) => c.primaryKey())
    .addColumn('course_name', 'text', (c) => c.notNull())
    .addColumn('period_months', 'integer', (c) => c.notNull())
    /** 1: this course gates on-call scheduling (at most one row). */
    .addColumn('oncall', 'integer', (c) => c.notNull())
    .addColumn('position', 'integer', (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const t of [
    'training_required',
    'training_phishing',
    'training_records',
    'risk_history',
    'risk_incidents',
    'risks',
  ])
    await db.schema.dropTable(t).ifExists().execute();
}
