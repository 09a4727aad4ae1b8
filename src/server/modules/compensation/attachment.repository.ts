/** SQL of claims' files (migration 0040_compensation_filing); the bytes are in the blob store. */
import type { CompensationAttachmentsTable, Db } from '../../platform/db/types.js';

export type AttachmentRow = CompensationAttachmentsTable;

export async function insertAttachments(db: Db, rows: AttachmentRow[]): Promise<void> {
  if (rows.length > 0) await db.insertInto('compensation_attachments').values(rows).execute();
}

export const attachmentsOf = (db: Db, claimId: string) =>
  db
    .selectFrom('compensation_attachments')
    .selectAll()
    .where('claim_id', '=', claimId)
    .orderBy('created_at')
    .orderBy('id')
    .execute();

export async function attachmentCount(db: Db, claimId: string): Promise<number> {
  const r = await db
    .selectFrom('compensation_attachments')
    .select((eb) => eb.fn.countAll<string | number>().as('n'))
    .where('claim_id', '=', claimId)
    .executeTakeFirst();
  return Number(r?.n ?? 0);
}

export const attachmentById = (db: Db, claimId: string, id: string) =>
  db
    .selectFrom('compensation_attachments')
    .selectAll()
    .where('claim_id', '=', claimId)
    .where('id', '=', id)
    .executeTakeFirst();

/** The customer's claim in the incident (one at most). */
export const claimOfCustomer = (db: Db, incidentId: string, customerId: string) =>
  db
    .selectFrom('compensation_claims')
    .selectAll()
    .where('incident_id', '=', incidentId)
    .where('customer_id', '=', customerId)
    .executeTakeFirst();
