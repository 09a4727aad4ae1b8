/**
 * Issue 12, the inquiry inbox by email and escalation: the Message-IDs of inquiry mail (received and
 * sent; a message seen again is a duplicate, a reply names one of ours or the customer's), who an
 * overdue inquiry was escalated to and when, and each escalation that paged an owner (an overdue inquiry,
 * an owner's overdue first contact, a promised callback come due) — one per kind and subject.
 */
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('inquiry_mail')
    /** The Message-ID without angle brackets (lower-cased domain part kept as sent). */
    .addColumn('message_id', 'text', (c) => c.primaryKey())
    .addColumn('inquiry_id', 'text', (c) => c.notNull().references('customer_inquiries.id'))
    /** in: from the customer | out: our answer */
    .addColumn('direction', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('inquiry_mail_inquiry').on('inquiry_mail').columns(['inquiry_id']).execute();

  await db.schema.alterTable('customer_inquiries').addColumn('escalated_at', 'bigint').execute();
  await db.schema
    .alterTable('customer_inquiries')
    .addColumn('escalated_to', 'text', (c) => c.references('users.id'))
    .execute();

  await db.schema
    .createTable('customer_escalations')
    .addColumn('id', 'text', (c) => c.primaryKey())
    /** inquiry_sla | owner_sla | callback */
    .addColumn('kind', 'text', (c) => c.notNull())
    /** The inquiry, the owner assignment or the callback (owner activity) escalated. */
    .addColumn('subject_id', 'text', (c) => c.notNull())
    .addColumn('incident_id', 'text', (c) => c.references('incidents.id'))
    .addColumn('inquiry_id', 'text', (c) => c.references('customer_inquiries.id'))
    .addColumn('assignment_id', 'text', (c) => c.references('customer_owners.id'))
    .addColumn('owner_id', 'text', (c) => c.notNull().references('users.id'))
    /** The page that went out (null: no incident to page about). */
    .addColumn('page_id', 'text')
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addUniqueConstraint('customer_escalations_subject', ['kind', 'subject_id'])
    .execute();
  await db.schema
    .createIndex('customer_escalations_assignment')
    .on('customer_escalations')
    .columns(['assignment_id', 'created_at'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('customer_escalations').ifExists().execute();
  await db.schema.dropTable('inquiry_mail').ifExists().execute();
  await db.schema.alterTable('customer_inquiries').dropColumn('escalated_to').execute();
  await db.schema.alterTable('customer_inquiries').dropColumn('escalated_at').execute();
}
