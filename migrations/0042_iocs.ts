/**
 * Indicators of compromise of an incident (issue 15): extracted from its alerts' events, entered by
 * analysts or imported from a STIX bundle; shared as STIX 2.1, MISP event JSON and over TAXII 2.1
 * (TLP:CLEAR and GREEN only). One row per (incident, type, normalized value); revoked rows stay.
 */
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('iocs')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('incident_id', 'text', (c) => c.notNull().references('incidents.id'))
    /** ipv4 | ipv6 | domain | url | sha256 | md5 | sha1 | account | email */
    .addColumn('type', 'text', (c) => c.notNull())
    /** Normalized: lower-case domains, e-mails and hashes; IP addresses canonical. */
    .addColumn('value', 'text', (c) => c.notNull())
    /** 0-100 (STIX's confidence scale). */
    .addColumn('confidence', 'integer', (c) => c.notNull())
    /** clear | green | amber | amber+strict | red */
    .addColumn('tlp', 'text', (c) => c.notNull())
    /** alert | analyst | import */
    .addColumn('source', 'text', (c) => c.notNull())
    /** The alert it was first extracted from (source alert). */
    .addColumn('alert_id', 'text')
    .addColumn('description', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('first_seen', 'bigint', (c) => c.notNull())
    .addColumn('last_seen', 'bigint', (c) => c.notNull())
    /** A user's id; null when extracted or imported by no person. */
    .addColumn('created_by', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addColumn('revoked', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema
    .createIndex('iocs_incident_type_value')
    .on('iocs')
    .columns(['incident_id', 'type', 'value'])
    .unique()
    .execute();
  /** TAXII: shareable indicators in the order they were added or changed. */
  await db.schema.createIndex('iocs_updated').on('iocs').columns(['updated_at', 'id']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('iocs').execute();
}
