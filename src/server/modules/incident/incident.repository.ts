/** SQL for incidents, their services and participants. */
import { sql } from 'kysely';
import type { Db, IncidentsTable } from '../../platform/db/types.js';
import { visibleTo } from './need-to-know.repository.js';
import { sendRead, sendWrite } from '../../platform/db/pipeline.js';

export type IncidentRow = IncidentsTable;

export const findByKey = (db: Db, key: string) =>
  db.selectFrom('incidents').selectAll().where('key', '=', key).executeTakeFirst();

export const findById = (db: Db, id: string) =>
  db.selectFrom('incidents').selectAll().where('id', '=', id).executeTakeFirst();

export const findByIds = (db: Db, ids: string[]) =>
  ids.length === 0 ? Promise.resolve([]) : sendRead(db, db.selectFrom('incidents').selectAll().where('id', 'in', ids));

export async function insertIncident(db: Db, row: IncidentRow): Promise<void> {
  await sendWrite(db, db.insertInto('incidents').values(row));
}

export async function updateIncident(db: Db, id: string, patch: Partial<IncidentRow>): Promise<void> {
  await db.updateTable('incidents').set(patch).where('id', '=', id).execute();
}

/** Next number of a named counter (1, 2, ...), atomically. */
export async function nextCounter(db: Db, name: string): Promise<number> {
  const r = await db
    .insertInto('counters')
    .values({ name, value: 1 })
    .onConflict((oc) => oc.column('name').doUpdateSet((eb) => ({ value: eb('counters.value', '+', 1) })))
    .returning('value')
    .executeTakeFirstOrThrow();
  return Number(r.value);
}

/** Hands out the incident's next timeline sequence number; the UPDATE row-locks the incident. */
export async function nextTimelineSeq(db: Db, incidentId: string): Promise<number> {
  const r = await db
    .updateTable('incidents')
    .set((eb) => ({ timeline_seq: eb('timeline_seq', '+', 1) }))
    .where('id', '=', incidentId)
    .returning('timeline_seq')
    .executeTakeFirstOrThrow();
  return Number(r.timeline_seq);
}

export const findServicesByKeys = (db: Db, keys: string[]) =>
  keys.length === 0 ? Promise.resolve([]) : db.selectFrom('services').selectAll().where('key', 'in', keys).execute();

export async function setIncidentServices(db: Db, incidentId: string, serviceIds: string[]): Promise<void> {
  await db.deleteFrom('incident_services').where('incident_id', '=', incidentId).execute();
  if (serviceIds.length) {
    await db
      .insertInto('incident_services')
      .values(serviceIds.map((service_id) => ({ incident_id: incidentId, service_id })))
      .execute();
  }
}

/** The time of each incident's newest timeline entry (the one numbered `timeline_seq`). */
export const lastTimelineAt = (db: Db, incidentIds: string[]) =>
  incidentIds.length === 0
    ? Promise.resolve([])
    : db
        .selectFrom('timeline_entries as t')
        .innerJoin('incidents as i', (j) => j.onRef('i.id', '=', 't.incident_id').onRef('i.timeline_seq', '=', 't.seq'))
        .select(['t.incident_id', 't.at'])
        .where('t.incident_id', 'in', incidentIds)
        .execute();

export const servicesOf = (db: Db, incidentIds: string[]) =>
  incidentIds.length === 0
    ? Promise.resolve([])
    : db
        .selectFrom('incident_services as is')
        .innerJoin('services as s', 's.id', 'is.service_id')
        .select(['is.incident_id', 's.key', 's.name_zh', 's.name_en'])
        .where('is.incident_id', 'in', incidentIds)
        .orderBy('s.key')
        .execute();

export const participantsOf = (db: Db, incidentIds: string[]) =>
  incidentIds.length === 0
    ? Promise.resolve([])
    : sendRead(
        db,
        db
          .selectFrom('incident_participants as p')
          .innerJoin('users as u', 'u.id', 'p.user_id')
          .select(['p.incident_id', 'p.user_id', 'p.role', 'p.added_at', 'u.name', 'u.email'])
          .where('p.incident_id', 'in', incidentIds)
          .orderBy('p.added_at'),
      );

/** The person's role on the incident (a person holds one role per incident), if they are on it. */
export async function roleOf(db: Db, incidentId: string, userId: string): Promise<string | undefined> {
  const r = await db
    .selectFrom('incident_participants')
    .select('role')
    .where('incident_id', '=', incidentId)
    .where('user_id', '=', userId)
    .executeTakeFirst();
  return r?.role;
}

/**
 * Gives the person `role` on the incident: adds them, or changes the role they hold (they keep the time
 * they joined). Returns the role they held before, if any. One row per person (a unique index holds it).
 */
export async function putParticipant(
  db: Db,
  incidentId: string,
  userId: string,
  role: string,
  at: number,
): Promise<string | undefined> {
  const held = await roleOf(db, incidentId, userId);
  if (held === role) return held;
  if (held)
    await db
      .updateTable('incident_participants')
      .set({ role })
      .where('incident_id', '=', incidentId)
      .where('user_id', '=', userId)
      .execute();
  else
    await db
      .insertInto('incident_participants')
      .values({ incident_id: incidentId, user_id: userId, role, added_at: at })
      .execute();
  return held;
}

export async function removeParticipant(db: Db, incidentId: string, userId: string, role: string): Promise<boolean> {
  const r = await db
    .deleteFrom('incident_participants')
    .where('incident_id', '=', incidentId)
    .where('user_id', '=', userId)
    .where('role', '=', role)
    .executeTakeFirst();
  return Number(r.numDeletedRows) > 0;
}

export interface IncidentFilter {
  status?: string[];
  grade?: string;
  category?: string;
  serviceKey?: string;
  q?: string;
  /** Restricted incidents are shown only when this user is a member; undefined = see all (admin). */
  viewerId?: string;
  /** Most severe first (severity asc), then newest detection; otherwise newest detection first. */
  bySeverity?: boolean;
  /** Keyset cursor: rows strictly after this one in the chosen order. */
  after?: { severity: number; detectedAt: number; id: string };
}

/** Newest detection first. */
export async function listIncidents(db: Db, f: IncidentFilter, limit: number): Promise<IncidentRow[]> {
  let q = db.selectFrom('incidents as i').selectAll('i');
  if (f.status?.length) q = q.where('i.status', 'in', f.status);
  if (f.grade) q = q.where('i.grade', '=', f.grade);
  if (f.category) q = q.where('i.category', '=', f.category);
  if (f.serviceKey) {
    const key = f.serviceKey;
    q = q.where((eb) =>
      eb.exists(
        eb
          .selectFrom('incident_services as is')
          .innerJoin('services as s', 's.id', 'is.service_id')
          .select('is.incident_id')
          .whereRef('is.incident_id', '=', 'i.id')
          .where('s.key', '=', key),
      ),
    );
  }
  if (f.q) {
    const pattern = `%${f.q.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    q = q.where(
      sql<boolean>`(lower(i.title) like ${pattern} escape '\\' or lower(i.summary) like ${pattern} escape '\\' or lower(i.key) like ${pattern} escape '\\' or lower(coalesce(i.title_i18n, '')) like ${pattern} escape '\\')`,
    );
  }
  if (f.viewerId) q = q.where(visibleTo(f.viewerId, 'i.id'));
  if (f.after) {
    const { severity, detectedAt, id } = f.after;
    q = q.where((eb) => {
      const newer = eb.or([
        eb('i.detected_at', '<', detectedAt),
        eb.and([eb('i.detected_at', '=', detectedAt), eb('i.id', '<', id)]),
      ]);
      return f.bySeverity
        ? eb.or([eb('i.severity', '>', severity), eb.and([eb('i.severity', '=', severity), newer])])
        : newer;
    });
  }
  if (f.bySeverity) q = q.orderBy('i.severity', 'asc');
  return q.orderBy('i.detected_at', 'desc').orderBy('i.id', 'desc').limit(limit).execute();
}

/** Whether the store holds any incident at all. */
/** Ids of the incidents not ended (closed or false positive), newest first. */
export const activeIncidentIds = async (db: Db, limit: number): Promise<string[]> =>
  (
    await db
      .selectFrom('incidents')
      .select('id')
      .where('status', 'not in', ['closed', 'false_positive'])
      .orderBy('detected_at', 'desc')
      .limit(limit)
      .execute()
  ).map((r) => r.id);

export const anyIncident = async (db: Db): Promise<boolean> =>
  (await db.selectFrom('incidents').select('id').limit(1).executeTakeFirst()) !== undefined;
