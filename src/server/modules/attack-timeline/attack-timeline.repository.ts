/** SQL of the attack timeline: an incident's alerts, their stored events, its action runs, timeline entries and evidence items. */
import type { Db } from '../../platform/db/types.js';

export const alertsOfIncident = (db: Db, incidentId: string) =>
  db
    .selectFrom('alerts')
    .select(['id', 'rule_title', 'rule_title_zh', 'level', 'first_seen', 'last_seen', 'entities', 'count'])
    .where('incident_id', '=', incidentId)
    .orderBy('first_seen')
    .limit(1000)
    .execute();

/** The stored events of the alerts, oldest first, at most `limit`. */
export const eventsOfAlerts = (db: Db, alertIds: string[], limit: number) =>
  alertIds.length === 0
    ? Promise.resolve([])
    : db
        .selectFrom('alert_events')
        .select(['alert_id', 'seq', 'event_id', 'time', 'source', 'fields'])
        .where('alert_id', 'in', alertIds)
        .orderBy('time')
        .orderBy('alert_id')
        .orderBy('seq')
        .limit(limit)
        .execute();

export const actionRunsOfIncident = (db: Db, incidentId: string) =>
  db
    .selectFrom('action_runs')
    .select(['id', 'connector', 'action', 'parameters', 'state', 'created_at'])
    .where('incident_id', '=', incidentId)
    .orderBy('created_at')
    .limit(1000)
    .execute();

export const timelineOfIncident = (db: Db, incidentId: string) =>
  db
    .selectFrom('timeline_entries')
    .select(['id', 'at', 'kind', 'text'])
    .where('incident_id', '=', incidentId)
    .orderBy('seq')
    .limit(5000)
    .execute();

/** The incident's evidence items not deleted, oldest first. */
export const evidenceOfIncident = (db: Db, incidentId: string) =>
  db
    .selectFrom('evidence_items')
    .select(['id', 'kind', 'file_name', 'sha256', 'bytes', 'description', 'created_at'])
    .where('incident_id', '=', incidentId)
    .where('deleted_at', 'is', null)
    .orderBy('created_at')
    .orderBy('id')
    .limit(5000)
    .execute();
