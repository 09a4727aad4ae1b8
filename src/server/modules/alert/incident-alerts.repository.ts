/** The alerts of an incident, for what reacts to incidents (a plan's triggers and its action parameters). */
import type { Db } from '../../platform/db/types.js';

/** At most this many alerts of one incident are read (the newest); their events only for the newest alert. */
const MAX_ALERTS = 500;

export const alertsOfIncident = (db: Db, incidentId: string) =>
  db
    .selectFrom('alerts')
    .select(['id', 'rule_id', 'rule_title', 'level', 'tags', 'entities', 'services', 'last_seen'])
    .where('incident_id', '=', incidentId)
    .orderBy('last_seen', 'desc')
    .orderBy('id', 'desc')
    .limit(MAX_ALERTS)
    .execute();

export const firstEventFields = (db: Db, alertId: string) =>
  db
    .selectFrom('alert_events')
    .select(['fields', 'truncated'])
    .where('alert_id', '=', alertId)
    .orderBy('seq', 'asc')
    .limit(1)
    .executeTakeFirst();

/** Events kept of these alerts (their fields as stored), at most `limit`, newest alerts' first. */
export const eventFieldsOf = (db: Db, alertIds: string[], limit: number) =>
  alertIds.length === 0
    ? Promise.resolve([])
    : db
        .selectFrom('alert_events')
        .select(['fields', 'truncated'])
        .where('alert_id', 'in', alertIds)
        .orderBy('alert_id', 'desc')
        .orderBy('seq', 'asc')
        .limit(limit)
        .execute();

/** Kept events of an incident's alerts (fields as stored), at most `limit`, newest alerts first (IOC extraction). */
export const eventsOfIncident = (db: Db, incidentId: string, limit: number) =>
  db
    .selectFrom('alert_events as e')
    .innerJoin('alerts as a', 'a.id', 'e.alert_id')
    .select(['e.alert_id', 'e.time', 'e.fields', 'e.truncated'])
    .where('a.incident_id', '=', incidentId)
    .orderBy('a.last_seen', 'desc')
    .orderBy('e.alert_id', 'desc')
    .orderBy('e.seq', 'asc')
    .limit(limit)
    .execute();
