/**
 * A dedicated owner for every affected customer (专人负责, issue 12): the pools owners are drawn from,
 * one owner per customer and incident with the rule that chose them and the SLA, and what the owner
 * did (contact attempts, promised callbacks, notes, concerns and requests).
 */
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('owner_pools')
    .addColumn('id', 'text', (c) => c.primaryKey())
    /** branch | tier */
    .addColumn('kind', 'text', (c) => c.notNull())
    /** The branch's name or the tier as customers carry them. */
    .addColumn('name', 'text', (c) => c.notNull())
    /** JSON array of user ids. */
    .addColumn('user_ids', 'text', (c) => c.notNull())
    .addColumn('updated_by', 'text')
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addUniqueConstraint('owner_pools_kind_name', ['kind', 'name'])
    .execute();

  await db.schema
    .createTable('customer_owners')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('incident_id', 'text', (c) => c.notNull().references('incidents.id'))
    .addColumn('customer_id', 'text', (c) => c.notNull().references('customers.id'))
    .addColumn('owner_id', 'text', (c) => c.notNull().references('users.id'))
    /** account_manager | branch_pool | tier_queue | default | reassigned */
    .addColumn('rule', 'text', (c) => c.notNull())
    /** open | contacted | resolved */
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('sla_due_at', 'bigint', (c) => c.notNull())
    .addColumn('first_contact_at', 'bigint')
    .addColumn('assigned_at', 'bigint', (c) => c.notNull())
    .addColumn('assigned_by', 'text')
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addUniqueConstraint('customer_owners_incident_customer', ['incident_id', 'customer_id'])
    .execute();
  await db.schema
    .createIndex('customer_owners_worklist')
    .on('customer_owners')
    .columns(['owner_id', 'state', 'sla_due_at', 'id'])
    .execute();

  await db.schema
    .createTable('owner_activities')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('assignment_id', 'text', (c) => c.notNull().references('customer_owners.id'))
    /** contact | callback | note | concern | request */
    .addColumn('kind', 'text', (c) => c.notNull())
    /** contact: call | sms | email | visit */
    .addColumn('channel', 'text')
    /** contact: reached | no_answer | voicemail | wrong_number | refused */
    .addColumn('outcome', 'text')
    .addColumn('text', 'text', (c) => c.notNull())
    /** callback: when it was promised for. */
    .addColumn('due_at', 'bigint')
    /** concern, request, callback: open | done; others: null. */
    .addColumn('status', 'text')
    .addColumn('created_by', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('owner_activities_assignment')
    .on('owner_activities')
    .columns(['assignment_id', 'created_at'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const t of ['owner_activities', 'customer_owners', 'owner_pools'])
    await db.schema.dropTable(t).ifExists().execute();
}
