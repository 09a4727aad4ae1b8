/** SQL of customer inquiries: `customer_inquiries`, `inquiry_messages`, `inquiry_feedback` (migration 0024). */
import { sql } from 'kysely';
import type {
  CustomerInquiriesTable,
  Db,
  InquiryFeedbackTable,
  InquiryMessagesTable,
} from '../../platform/db/types.js';
import { visibleTo } from '../incident/index.js';

export type InquiryRow = CustomerInquiriesTable;
export type MessageRow = InquiryMessagesTable;

export async function insertInquiry(db: Db, row: InquiryRow): Promise<void> {
  await db.insertInto('customer_inquiries').values(row).execute();
}

export async function updateInquiry(db: Db, id: string, set: Partial<Omit<InquiryRow, 'id'>>): Promise<void> {
  await db.updateTable('customer_inquiries').set(set).where('id', '=', id).execute();
}

export const inquiryById = (db: Db, id: string) =>
  db.selectFrom('customer_inquiries').selectAll().where('id', '=', id).executeTakeFirst();

export const inquiryByReference = (db: Db, reference: string) =>
  db.selectFrom('customer_inquiries').selectAll().where('reference', '=', reference).executeTakeFirst();

/** The open inquiry with this dedupe key asked since `since` (the newest), if any. */
export const findDuplicate = (db: Db, dedupeKey: string, since: number) =>
  db
    .selectFrom('customer_inquiries')
    .selectAll()
    .where('dedupe_key', '=', dedupeKey)
    .where('created_at', '>=', since)
    .where('status', '<>', 'closed')
    .orderBy('created_at', 'desc')
    .executeTakeFirst();

/** One more time asked (atomic). */
export async function bumpAsked(db: Db, id: string, now: number): Promise<void> {
  await db
    .updateTable('customer_inquiries')
    .set({ asked_count: sql`asked_count + 1`, updated_at: now })
    .where('id', '=', id)
    .execute();
}

export interface InboxFilter {
  /** Need-to-know of this user (undefined: an administrator). */
  viewerId?: string;
  status?: string;
  /** An incident id, or null: general questions only. */
  incidentId?: string | null;
  /** A user id, or null: unassigned. */
  assigneeId?: string | null;
  /** Open (new or assigned) and due before this time. */
  overdueAt?: number;
  /** Continue after this (created_at, id), newest first. */
  before?: { createdAt: number; id: string };
}

/** The inbox, newest first (keyset: created_at, id). */
export function listInquiries(db: Db, f: InboxFilter, limit: number) {
  let q = db.selectFrom('customer_inquiries as q').selectAll('q');
  if (f.viewerId) q = q.where(visibleTo(f.viewerId, 'q.incident_id'));
  if (f.status) q = q.where('q.status', '=', f.status);
  if (f.incidentId !== undefined)
    q = f.incidentId === null ? q.where('q.incident_id', 'is', null) : q.where('q.incident_id', '=', f.incidentId);
  if (f.assigneeId !== undefined)
    q = f.assigneeId === null ? q.where('q.assignee_id', 'is', null) : q.where('q.assignee_id', '=', f.assigneeId);
  if (f.overdueAt !== undefined)
    q = q.where('q.status', 'in', ['new', 'assigned']).where('q.sla_due_at', '<', f.overdueAt);
  const b = f.before;
  if (b)
    q = q.where((eb) =>
      eb.or([
        eb('q.created_at', '<', b.createdAt),
        eb.and([eb('q.created_at', '=', b.createdAt), eb('q.id', '<', b.id)]),
      ]),
    );
  return q.orderBy('q.created_at', 'desc').orderBy('q.id', 'desc').limit(limit).execute();
}

/** An incident's inquiries since `since` (for the war room's numbers), at most 20 000. */
export const inquiriesOfIncident = (db: Db, incidentId: string) =>
  db
    .selectFrom('customer_inquiries')
    .select(['id', 'status', 'topics', 'sentiment', 'sla_due_at', 'answered_at', 'created_at'])
    .where('incident_id', '=', incidentId)
    .orderBy('created_at', 'desc')
    .limit(20_000)
    .execute();

export async function insertMessage(db: Db, row: MessageRow): Promise<void> {
  await db.insertInto('inquiry_messages').values(row).execute();
}

export const messagesOf = (db: Db, inquiryId: string) =>
  db
    .selectFrom('inquiry_messages')
    .selectAll()
    .where('inquiry_id', '=', inquiryId)
    .orderBy('created_at')
    .orderBy('id')
    .execute();

/** Records the survey answer unless one exists: whether it was recorded. */
export async function insertFeedback(db: Db, row: InquiryFeedbackTable): Promise<boolean> {
  const r = await db
    .insertInto('inquiry_feedback')
    .values(row)
    .onConflict((oc) => oc.column('inquiry_id').doNothing())
    .returning('inquiry_id')
    .executeTakeFirst();
  return r !== undefined;
}

export const feedbackOf = (db: Db, inquiryIds: string[]) =>
  inquiryIds.length === 0
    ? Promise.resolve([] as InquiryFeedbackTable[])
    : db.selectFrom('inquiry_feedback').selectAll().where('inquiry_id', 'in', inquiryIds).execute();

/** CSAT of an incident's inquiries: the average rating and how many answered the survey. */
export async function csatOf(db: Db, incidentId: string): Promise<{ average: number | null; responses: number }> {
  const r = await db
    .selectFrom('inquiry_feedback as f')
    .innerJoin('customer_inquiries as q', 'q.id', 'f.inquiry_id')
    .select((eb) => [eb.fn.avg<number>('f.rating').as('avg'), eb.fn.countAll<number>().as('n')])
    .where('q.incident_id', '=', incidentId)
    .executeTakeFirstOrThrow();
  const n = Number(r.n);
  return { average: n ? Math.round(Number(r.avg) * 100) / 100 : null, responses: n };
}

/** Open inquiries past their SLA at `now` not yet escalated, most overdue first. */
export const overdueUnescalated = (db: Db, now: number, limit: number) =>
  db
    .selectFrom('customer_inquiries')
    .selectAll()
    .where('status', 'in', ['new', 'assigned'])
    .where('sla_due_at', '<', now)
    .where('escalated_at', 'is', null)
    .orderBy('sla_due_at')
    .limit(limit)
    .execute();
