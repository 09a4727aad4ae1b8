/** SQL of media inquiries: `media_inquiries` (migration 0021_media). */
import type { Db, MediaInquiriesTable } from '../../platform/db/types.js';
import { visibleTo } from '../incident/index.js';

export type InquiryRow = MediaInquiriesTable;

export async function insertInquiry(db: Db, row: InquiryRow): Promise<void> {
  await db.insertInto('media_inquiries').values(row).execute();
}

export async function updateInquiry(db: Db, row: InquiryRow): Promise<void> {
  const { id, ...rest } = row;
  await db.updateTable('media_inquiries').set(rest).where('id', '=', id).execute();
}

export const inquiryById = (db: Db, id: string) =>
  db.selectFrom('media_inquiries').selectAll().where('id', '=', id).executeTakeFirst();

/** An incident's inquiries, newest first. */
export const inquiriesOf = (db: Db, incidentId: string) =>
  db
    .selectFrom('media_inquiries')
    .selectAll()
    .where('incident_id', '=', incidentId)
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(500)
    .execute();

export interface InquiryFilter {
  /** Need-to-know of this user (undefined: an administrator, who sees all). */
  viewerId?: string;
  status?: string;
  /** Only open inquiries whose deadline is before this time. */
  overdueAt?: number;
}

/** Inquiries across incidents, soonest deadline first (none last), then newest. */
export function listInquiries(db: Db, f: InquiryFilter) {
  let q = db.selectFrom('media_inquiries as m').selectAll('m');
  if (f.viewerId) q = q.where(visibleTo(f.viewerId, 'm.incident_id'));
  if (f.status) q = q.where('m.status', '=', f.status);
  if (f.overdueAt !== undefined)
    q = q.where('m.status', '=', 'open').where('m.deadline', 'is not', null).where('m.deadline', '<', f.overdueAt);
  return q
    .orderBy((eb) => eb.case().when('m.deadline', 'is', null).then(1).else(0).end())
    .orderBy('m.deadline')
    .orderBy('m.created_at', 'desc')
    .limit(500)
    .execute();
}

/** An incident's open inquiries, and how many of them are past their deadline at `now`. */
export async function inquiryCounts(
  db: Db,
  incidentId: string,
  now: number,
): Promise<{ open: number; overdue: number }> {
  const r = await db
    .selectFrom('media_inquiries')
    .select((eb) => [
      eb.fn.countAll<number>().as('open'),
      eb.fn.sum<number>(eb.case().when('deadline', '<', now).then(1).else(0).end()).as('overdue'),
    ])
    .where('incident_id', '=', incidentId)
    .where('status', '=', 'open')
    .executeTakeFirstOrThrow();
  return { open: Number(r.open), overdue: Number(r.overdue ?? 0) };
}
