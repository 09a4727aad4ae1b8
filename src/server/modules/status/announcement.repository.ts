/** SQL for announcements and their updates (written only by the publisher), and their slugs' counters. */
import type { Db, StatusAnnouncementsTable, StatusAnnouncementUpdatesTable } from '../../platform/db/types.js';

/** Next number of a named counter (1, 2, ...), atomically (the `counters` table incident keys use too). */
export async function nextCounter(db: Db, name: string): Promise<number> {
  const r = await db
    .insertInto('counters')
    .values({ name, value: 1 })
    .onConflict((oc) => oc.column('name').doUpdateSet((eb) => ({ value: eb('counters.value', '+', 1) })))
    .returning('value')
    .executeTakeFirstOrThrow();
  return Number(r.value);
}

/** The incident's announcement to add to: its open (unresolved) one, else its newest. */
export const latestOfIncident = (db: Db, incidentId: string): Promise<StatusAnnouncementsTable | undefined> =>
  db
    .selectFrom('status_announcements')
    .selectAll()
    .where('incident_id', '=', incidentId)
    .orderBy((eb) => eb.case().when('status', '=', 'resolved').then(1).else(0).end())
    .orderBy('published_at', 'desc')
    .orderBy('id', 'desc')
    .executeTakeFirst();

export const findAnnouncement = (db: Db, id: string): Promise<StatusAnnouncementsTable | undefined> =>
  db.selectFrom('status_announcements').selectAll().where('id', '=', id).executeTakeFirst();

export const findAnnouncementBySlug = (db: Db, slug: string): Promise<StatusAnnouncementsTable | undefined> =>
  db.selectFrom('status_announcements').selectAll().where('slug', '=', slug).executeTakeFirst();

export const findUpdateOfStatement = (
  db: Db,
  statementId: string,
): Promise<StatusAnnouncementUpdatesTable | undefined> =>
  db.selectFrom('status_announcement_updates').selectAll().where('statement_id', '=', statementId).executeTakeFirst();

export async function insertAnnouncement(db: Db, row: StatusAnnouncementsTable): Promise<void> {
  await db.insertInto('status_announcements').values(row).execute();
}

export async function updateAnnouncement(db: Db, id: string, patch: Partial<StatusAnnouncementsTable>): Promise<void> {
  await db.updateTable('status_announcements').set(patch).where('id', '=', id).execute();
}

export async function insertUpdate(db: Db, row: StatusAnnouncementUpdatesTable): Promise<void> {
  await db.insertInto('status_announcement_updates').values(row).execute();
}

/** Unresolved ones and those changed since `since`, newest first (the snapshot's list). */
export const announcementsForSite = (db: Db, since: number): Promise<StatusAnnouncementsTable[]> =>
  db
    .selectFrom('status_announcements')
    .selectAll()
    .where((eb) => eb.or([eb('status', '!=', 'resolved'), eb('updated_at', '>=', since)]))
    .orderBy('published_at', 'desc')
    .orderBy('id', 'desc')
    .limit(500)
    .execute();

/** Newest first; `after`: the last row of the previous page. */
export const listAnnouncements = (
  db: Db,
  after: { published_at: number; id: string } | undefined,
  limit: number,
): Promise<StatusAnnouncementsTable[]> => {
  let q = db.selectFrom('status_announcements').selectAll();
  if (after)
    q = q.where((eb) =>
      eb.or([
        eb('published_at', '<', after.published_at),
        eb.and([eb('published_at', '=', after.published_at), eb('id', '<', after.id)]),
      ]),
    );
  return q.orderBy('published_at', 'desc').orderBy('id', 'desc').limit(limit).execute();
};

/** The updates of these announcements, newest first. */
export const updatesOf = (db: Db, announcementIds: string[]): Promise<StatusAnnouncementUpdatesTable[]> =>
  announcementIds.length
    ? db
        .selectFrom('status_announcement_updates')
        .selectAll()
        .where('announcement_id', 'in', announcementIds)
        .orderBy('at', 'desc')
        .orderBy('id', 'desc')
        .execute()
    : Promise.resolve([]);
