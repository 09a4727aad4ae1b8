/** SQL of inquiry mail (migration 0027): Message-IDs received and sent, and incidents named by key. */
import type { Db, InquiryMailTable } from '../../platform/db/types.js';

/** Records a Message-ID unless it is known: whether it was new. */
export async function insertMail(db: Db, row: InquiryMailTable): Promise<boolean> {
  const r = await db
    .insertInto('inquiry_mail')
    .values(row)
    .onConflict((oc) => oc.column('message_id').doNothing())
    .returning('message_id')
    .executeTakeFirst();
  return r !== undefined;
}

export const mailById = (db: Db, messageId: string) =>
  db.selectFrom('inquiry_mail').selectAll().where('message_id', '=', messageId).executeTakeFirst();

/** The inquiry one of these Message-IDs belongs to (the last named first), if any. */
export async function inquiryOfMail(db: Db, messageIds: string[]): Promise<string | null> {
  if (messageIds.length === 0) return null;
  const rows = await db
    .selectFrom('inquiry_mail')
    .select(['message_id', 'inquiry_id'])
    .where('message_id', 'in', messageIds)
    .execute();
  const by = new Map(rows.map((r) => [r.message_id, r.inquiry_id]));
  for (const id of [...messageIds].reverse()) if (by.has(id)) return by.get(id)!;
  return null;
}

/** The Message-IDs of an inquiry, oldest first (the References of an answer). */
export const mailOfInquiry = (db: Db, inquiryId: string) =>
  db
    .selectFrom('inquiry_mail')
    .select(['message_id', 'direction'])
    .where('inquiry_id', '=', inquiryId)
    .orderBy('created_at')
    .orderBy('message_id')
    .execute();

/** The id of the incident with this key (an email's subject may name one). */
export async function incidentIdOfKey(db: Db, key: string): Promise<string | null> {
  const r = await db.selectFrom('incidents').select('id').where('key', '=', key).executeTakeFirst();
  return r?.id ?? null;
}
