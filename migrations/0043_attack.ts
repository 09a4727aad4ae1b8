/**
 * Investigation (issue 15): the ATT&CK techniques of an incident and the register of requests from outside
 * (the police, the CSRC and its local office, the CAC, courts, auditors).
 *
 * `incident_techniques` keeps the analysts' word only: techniques from the rules' tags are read from the
 * alerts when asked. An analyst's addition is a row with `source` = analyst; an analyst's removal of a
 * technique the rules named is a row with `source` = rule and `removed_at` set (so the rule's technique
 * stays hidden), and removing an analyst's addition sets its `removed_at`. One row per incident and
 * technique: adding again clears `removed_at`.
 */
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('incident_techniques')
    .addColumn('incident_id', 'text', (c) => c.notNull().references('incidents.id'))
    /** ATT&CK id: T1110 or T1110.004. */
    .addColumn('technique_id', 'text', (c) => c.notNull())
    /** rule | analyst */
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('note', 'text')
    .addColumn('added_by', 'text')
    .addColumn('added_at', 'bigint', (c) => c.notNull())
    .addColumn('removed_by', 'text')
    .addColumn('removed_at', 'bigint')
    .addPrimaryKeyConstraint('incident_techniques_pk', ['incident_id', 'technique_id'])
    .execute();

  await db.schema
    .createTable('investigation_requests')
    .addColumn('id', 'text', (c) => c.primaryKey())
    /** null: a request not (or not only) about one incident. */
    .addColumn('incident_id', 'text', (c) => c.references('incidents.id'))
    /** police | csrc | csrc_local | cac | court | auditor | other */
    .addColumn('requester_kind', 'text', (c) => c.notNull())
    .addColumn('requester_name', 'text', (c) => c.notNull())
    /** The requester's own reference (文书编号). */
    .addColumn('reference', 'text')
    .addColumn('requested', 'text', (c) => c.notNull())
    .addColumn('received_at', 'bigint', (c) => c.notNull())
    .addColumn('deadline_at', 'bigint')
    /** open | answered | withdrawn */
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('answered_at', 'bigint')
    .addColumn('answered_by', 'text')
    /** JSON array of {kind, ref, description}: what was handed over. */
    .addColumn('handed_over', 'text', (c) => c.notNull())
    /** JSON array of the reminder points fired, each `point@deadline` (24h, due): each fires once. */
    .addColumn('reminded', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('investigation_requests_open')
    .on('investigation_requests')
    .columns(['status', 'deadline_at'])
    .execute();
  await db.schema
    .createIndex('investigation_requests_incident')
    .on('investigation_requests')
    .columns(['incident_id', 'received_at'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('investigation_requests').ifExists().execute();
  await db.schema.dropTable('incident_techniques').ifExists().execute();
}
