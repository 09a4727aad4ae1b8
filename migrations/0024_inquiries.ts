/**
 * Customer inquiries (issue 12): questions from the public help portal, the call centre and staff, with
 * their thread and one satisfaction survey each. The contact (name, phone, email) is personal data:
 * sealed (secret box, bound to the inquiry's id), found by keyed hashes (HMAC of the normalized value),
 * shown masked.
 */
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('customer_inquiries')
    .addColumn('id', 'text', (c) => c.primaryKey())
    /** `Q-7K3M-9D2P`: random, unambiguous characters; what the customer keeps. */
    .addColumn('reference', 'text', (c) => c.notNull().unique())
    /** null: a general question (no incident). */
    .addColumn('incident_id', 'text', (c) => c.references('incidents.id'))
    /** portal | email | call_centre | staff */
    .addColumn('channel', 'text', (c) => c.notNull())
    /** The customer when known (the customer module's lookup by contact). */
    .addColumn('customer_id', 'text')
    /** Sealed JSON bound to the id: { name, phone?, email? }. */
    .addColumn('contact_sealed', 'text', (c) => c.notNull())
    .addColumn('phone_hash', 'text')
    .addColumn('email_hash', 'text')
    /** `张* · 138****5678 · a***@example.com` */
    .addColumn('contact_masked', 'text', (c) => c.notNull())
    .addColumn('language', 'text', (c) => c.notNull())
    .addColumn('question', 'text', (c) => c.notNull())
    /** JSON array of topic tags (login, funds, order, compensation, leak, ...). */
    .addColumn('topics', 'text', (c) => c.notNull())
    /** negative | neutral | positive */
    .addColumn('sentiment', 'text', (c) => c.notNull())
    /** new | assigned | answered | closed */
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('assignee_id', 'text', (c) => c.references('users.id'))
    .addColumn('answer_text', 'text')
    .addColumn('answered_by', 'text', (c) => c.references('users.id'))
    .addColumn('answered_at', 'bigint')
    .addColumn('sla_due_at', 'bigint', (c) => c.notNull())
    /** Hash of contact + incident + normalized question: the same question again within the window counts. */
    .addColumn('dedupe_key', 'text', (c) => c.notNull())
    .addColumn('asked_count', 'integer', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.references('users.id'))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addColumn('closed_at', 'bigint')
    .execute();
  for (const [name, cols] of [
    ['customer_inquiries_incident', ['incident_id', 'created_at']],
    ['customer_inquiries_status', ['status', 'sla_due_at']],
    ['customer_inquiries_dedupe', ['dedupe_key', 'created_at']],
    ['customer_inquiries_created', ['created_at', 'id']],
  ] as const)
    await db.schema
      .createIndex(name)
      .on('customer_inquiries')
      .columns([...cols])
      .execute();

  await db.schema
    .createTable('inquiry_messages')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('inquiry_id', 'text', (c) => c.notNull().references('customer_inquiries.id'))
    /** customer | note | answer */
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('author_id', 'text', (c) => c.references('users.id'))
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('inquiry_messages_inquiry').on('inquiry_messages').columns(['inquiry_id']).execute();

  await db.schema
    .createTable('inquiry_feedback')
    .addColumn('inquiry_id', 'text', (c) => c.primaryKey().references('customer_inquiries.id'))
    .addColumn('rating', 'integer', (c) => c.notNull())
    .addColumn('comment', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const t of ['inquiry_feedback', 'inquiry_messages', 'customer_inquiries'])
    await db.schema.dropTable(t).ifExists().execute();
}
