/** SQL for alerts, their stored events and the correlation keys that group them into incidents. */
import { sql } from 'kysely';
import { ENDED_STATUSES } from '../../../shared/enums.js';
import type {
  AlertEventsTable,
  AlertGroupsTable,
  AlertMatchesTable,
  AlertsTable,
  Db,
} from '../../platform/db/types.js';
import { visibleTo } from '../incident/index.js';
import { chunks as chunksOf } from '../../platform/db/chunks.js';
import { sendRead, sendWrite } from '../../platform/db/pipeline.js';

export type AlertRow = AlertsTable;
export type AlertEventRow = AlertEventsTable;
/** An alert with the names the API shows beside it. */
export type AlertView = AlertRow & {
  incident_key: string | null;
  incident_title: string | null;
  incident_title_i18n: string | null;
  ack_name: string | null;
  fp_name: string | null;
};

/** Rows per INSERT and values per IN list: far below SQLite's bound-parameter limit. */
const CHUNK = 200;
const chunks = <T>(xs: T[], n = CHUNK): T[][] => chunksOf(xs, n);

const selectAlerts = (db: Db) =>
  db
    .selectFrom('alerts as a')
    .leftJoin('incidents as i', 'i.id', 'a.incident_id')
    .leftJoin('users as ua', 'ua.id', 'a.acknowledged_by')
    .leftJoin('users as uf', 'uf.id', 'a.fp_by')
    .selectAll('a')
    .select([
      'i.key as incident_key',
      'i.title as incident_title',
      'i.title_i18n as incident_title_i18n',
      'ua.name as ack_name',
      'uf.name as fp_name',
    ]);

/**
 * Alerts a new match with one of `fingerprints` may be counted into: seen since `since`, still live, not
 * in an ended incident (its alerts no longer take repeats: a repeat after closing starts afresh).
 */
export async function findDedupCandidates(db: Db, fingerprints: string[], since: number): Promise<AlertView[]> {
  // Every part sent at once (pipelined in a transaction that pipelines: pipeline.ts).
  const parts = await Promise.all(
    chunks([...new Set(fingerprints)]).map((part) =>
      sendRead(
        db,
        selectAlerts(db)
          .where('a.fingerprint', 'in', part)
          .where('a.last_seen', '>=', since)
          .where('a.status', 'in', ['open', 'acknowledged', 'suppressed'])
          .where((eb) => eb.or([eb('a.incident_id', 'is', null), eb('i.status', 'not in', ENDED_STATUSES)])),
      ),
    ),
  );
  return parts.flat();
}

/** Ids of the events already kept with each alert. */
export async function storedEventIds(db: Db, alertIds: string[]): Promise<Map<string, Set<string>>> {
  const out = new Map<string, Set<string>>();
  for (const part of chunks(alertIds)) {
    const rows = await db
      .selectFrom('alert_events')
      .select(['alert_id', 'event_id'])
      .where('alert_id', 'in', part)
      .execute();
    for (const r of rows) {
      const s = out.get(r.alert_id) ?? new Set<string>();
      s.add(r.event_id);
      out.set(r.alert_id, s);
    }
  }
  return out;
}

export async function insertAlerts(db: Db, rows: AlertRow[]): Promise<void> {
  for (const part of chunks(rows, 50)) await sendWrite(db, db.insertInto('alerts').values(part));
}

export async function insertAlertEvents(db: Db, rows: AlertEventRow[]): Promise<void> {
  for (const part of chunks(rows, 200)) await sendWrite(db, db.insertInto('alert_events').values(part));
}

export async function updateAlert(db: Db, id: string, patch: Partial<AlertRow>): Promise<void> {
  await db.updateTable('alerts').set(patch).where('id', '=', id).execute();
}

/** What a repeat changes on an alert. */
export type AlertRepeat = Pick<
  AlertRow,
  'id' | 'count' | 'event_count' | 'events_stored' | 'first_seen' | 'last_seen' | 'entities' | 'services' | 'updated_at'
>;

/** Counts repeats into their alerts: one UPDATE ... FROM (VALUES ...) per 100 alerts (SQLite 3.33+ and PostgreSQL alike). */
export async function updateRepeats(db: Db, rows: AlertRepeat[]): Promise<void> {
  for (const part of chunks(rows, 100)) {
    const values = sql.join(
      part.map(
        (r) =>
          sql`(${r.id}, cast(${r.count} as bigint), cast(${r.event_count} as bigint), cast(${r.events_stored} as integer), cast(${r.first_seen} as bigint), cast(${r.last_seen} as bigint), ${r.entities}, ${r.services}, cast(${r.updated_at} as bigint))`,
      ),
    );
    await sql`with v(id, count, event_count, events_stored, first_seen, last_seen, entities, services, updated_at) as (values ${values})
      update alerts set count = v.count, event_count = v.event_count, events_stored = v.events_stored, first_seen = v.first_seen,
        last_seen = v.last_seen, entities = v.entities, services = v.services, updated_at = v.updated_at
      from v where alerts.id = v.id`.execute(db);
  }
}

/** The incidents correlation keys point at (with the incident's status). */
export async function findGroups(db: Db, keys: string[]): Promise<(AlertGroupsTable & { status: string })[]> {
  const parts = await Promise.all(
    chunks([...new Set(keys)]).map((part) =>
      sendRead(
        db,
        db
          .selectFrom('alert_groups as g')
          .innerJoin('incidents as i', 'i.id', 'g.incident_id')
          .select(['g.key', 'g.incident_id', 'g.last_seen', 'i.status'])
          .where('g.key', 'in', part),
      ),
    ),
  );
  return parts.flat();
}

/** Incidents by their keys (id and status), for the alerts of IOC rules that name one. */
export async function findIncidentsByKey(
  db: Db,
  keys: string[],
): Promise<{ id: string; key: string; status: string }[]> {
  if (!keys.length) return [];
  return db.selectFrom('incidents').select(['id', 'key', 'status']).where('key', 'in', keys).execute();
}

/** Points each key at its incident as of `last_seen` (one row per key; callers pass each key once). */
export async function upsertGroups(db: Db, rows: AlertGroupsTable[]): Promise<void> {
  for (const part of chunks(rows)) {
    await sendWrite(
      db,
      db
        .insertInto('alert_groups')
        .values(part)
        .onConflict((oc) =>
          oc.column('key').doUpdateSet((eb) => ({
            incident_id: eb.ref('excluded.incident_id'),
            last_seen: eb.ref('excluded.last_seen'),
          })),
        ),
    );
  }
}

export const findAlert = (db: Db, id: string): Promise<AlertView | undefined> =>
  selectAlerts(db).where('a.id', '=', id).executeTakeFirst();

export interface AlertFilter {
  status?: string[];
  level?: string;
  ruleId?: string;
  incidentId?: string;
  q?: string;
  /** Alerts of restricted incidents are listed only when this user is a member; undefined = all (admin). */
  viewerId?: string;
  /** Keyset cursor: rows strictly after this one (newest last-seen first). */
  after?: { lastSeen: number; id: string };
}

/** Most recently seen first. */
export function listAlerts(db: Db, f: AlertFilter, limit: number): Promise<AlertView[]> {
  let q = selectAlerts(db);
  if (f.status?.length) q = q.where('a.status', 'in', f.status);
  if (f.level) q = q.where('a.level', '=', f.level);
  if (f.ruleId) q = q.where('a.rule_id', '=', f.ruleId);
  if (f.incidentId) q = q.where('a.incident_id', '=', f.incidentId);
  if (f.q) {
    const pattern = `%${f.q.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    q = q.where(
      sql<boolean>`(lower(a.rule_title) like ${pattern} escape '\\' or lower(coalesce(a.rule_title_zh, '')) like ${pattern} escape '\\' or lower(a.rule_id) like ${pattern} escape '\\' or lower(a.entities) like ${pattern} escape '\\')`,
    );
  }
  if (f.viewerId) q = q.where(visibleTo(f.viewerId, 'a.incident_id'));
  if (f.after) {
    const { lastSeen, id } = f.after;
    q = q.where((eb) =>
      eb.or([eb('a.last_seen', '<', lastSeen), eb.and([eb('a.last_seen', '=', lastSeen), eb('a.id', '<', id)])]),
    );
  }
  return q.orderBy('a.last_seen', 'desc').orderBy('a.id', 'desc').limit(limit).execute();
}

export const listAlertEvents = (db: Db, alertId: string) =>
  db.selectFrom('alert_events').selectAll().where('alert_id', '=', alertId).orderBy('seq').execute();

/** Which of these match digests were counted already, and into which alert. */
export async function seenMatches(db: Db, keys: string[]): Promise<Map<string, string>> {
  const parts = await Promise.all(
    chunks([...new Set(keys)]).map((part) =>
      sendRead(db, db.selectFrom('alert_matches').select(['key', 'alert_id']).where('key', 'in', part)),
    ),
  );
  return new Map(parts.flat().map((r) => [r.key, r.alert_id]));
}

/** Records match digests as counted (a digest already there is left as it is). */
export async function recordMatches(db: Db, rows: AlertMatchesTable[]): Promise<void> {
  for (const part of chunks(rows))
    await sendWrite(
      db,
      db
        .insertInto('alert_matches')
        .values(part)
        .onConflict((oc) => oc.column('key').doNothing()),
    );
}

/** Forgets match digests recorded before `before`. */
export async function pruneMatches(db: Db, before: number): Promise<void> {
  await db.deleteFrom('alert_matches').where('seen_at', '<', before).execute();
}

/** Alerts by id (with the names the API shows). */
export async function findAlerts(db: Db, ids: string[]): Promise<AlertView[]> {
  const out: AlertView[] = [];
  for (const part of chunks([...new Set(ids)]))
    out.push(...(await selectAlerts(db).where('a.id', 'in', part).execute()));
  return out;
}
