/**
 * What the alerts of an incident say, gathered for the modules that react to incidents: the rules, tags,
 * services and highest level (a plan's triggers) and the entities and the newest alert's event fields (the
 * templates of a plan's action parameters).
 */
import { ALERT_LEVELS, type AlertLevel } from '../../../shared/enums.js';
import type { Entities } from '../../../shared/alert-schemas.js';
import type { Db } from '../../platform/db/types.js';
import { ACCOUNT_FIELDS, fieldValue } from '../../../shared/event-fields.js';
import { EntitySet } from './entities.js';
import { alertsOfIncident, eventFieldsOf, eventsOfIncident, firstEventFields } from './incident-alerts.repository.js';

/** Events read to find how the accounts were written (entities keep them lower-cased, for matching). */
const MAX_EVENTS_FOR_CASE = 2000;

/**
 * The accounts as the events wrote them: entities are lower-cased so that matching ignores case, but a
 * trading core's account ids may not — an action must name `A10000000`, not `a10000000`.
 */
async function accountsAsWritten(db: Db, alertIds: string[], accounts: string[]): Promise<string[]> {
  if (accounts.length === 0) return accounts;
  const wanted = new Set(accounts);
  const written = new Map<string, string>();
  for (const e of await eventFieldsOf(db, alertIds, MAX_EVENTS_FOR_CASE)) {
    if (e.truncated) continue;
    let fields: Record<string, unknown>;
    try {
      fields = JSON.parse(e.fields) as Record<string, unknown>;
    } catch {
      continue;
    }
    for (const f of ACCOUNT_FIELDS) {
      const v = fieldValue(fields, f);
      for (const s of Array.isArray(v) ? v : [v]) {
        if (typeof s !== 'string') continue;
        const key = s.trim().toLowerCase().replace(/\.$/, '');
        if (wanted.has(key) && !written.has(key)) written.set(key, s.trim());
      }
    }
    if (written.size === wanted.size) break;
  }
  return accounts.map((a) => written.get(a) ?? a);
}

export interface IncidentAlertFacts {
  ruleIds: string[];
  tags: string[];
  services: string[];
  /** The highest level among the alerts; undefined when the incident has none. */
  level?: AlertLevel;
  /** Every entity of every alert, each value once, in the order first seen (newest alert first). */
  entities: Entities;
  /** The newest alert, with the fields of its first event (empty when its events were not kept whole). */
  latest?: { id: string; ruleId: string; title: string; level: AlertLevel; fields: Record<string, unknown> };
}

const uniq = (values: Iterable<string>) => [...new Set(values)];

/** What a caller may choose an incident's alerts by (a plan action's `from_alerts`). */
export interface AlertChoice {
  ruleId: string;
  tags: string[];
  level: AlertLevel;
}

/**
 * Which alerts (and, optionally, which of their events) the facts are read from: `alert` chooses alerts;
 * `event`, when given, takes the entities from the kept events of those alerts it chooses instead of the
 * alerts' entities (a correlation alert carries sample events of every step: the accounts merely tried
 * by a stuffing source as well as the one logged into).
 */
export interface FactsChoice {
  alert?: (alert: AlertChoice) => boolean;
  event?: (fields: Record<string, unknown>) => boolean;
}

/** Events read to take entities from chosen events. */
const MAX_EVENTS_FOR_CHOICE = 5000;

/** The entities of the kept events of `alertIds` that `keep` chooses (accounts lower-cased, as alerts keep them). */
async function entitiesOfEvents(
  db: Db,
  alertIds: string[],
  keep: (fields: Record<string, unknown>) => boolean,
): Promise<Entities> {
  const set = new EntitySet();
  for (const e of await eventFieldsOf(db, alertIds, MAX_EVENTS_FOR_CHOICE)) {
    if (e.truncated) continue;
    let fields: Record<string, unknown>;
    try {
      fields = JSON.parse(e.fields) as Record<string, unknown>;
    } catch {
      continue;
    }
    if (keep(fields)) set.addFields(fields);
  }
  return set.toEntities();
}

/** The facts of an incident's alerts; only those `choice` chooses when given (none chosen: no `latest`, no entities). */
export async function incidentAlertFacts(
  db: Db,
  incidentId: string,
  choice: FactsChoice = {},
): Promise<IncidentAlertFacts> {
  const all = await alertsOfIncident(db, incidentId);
  const keep = choice.alert;
  const rows = keep
    ? all.filter((r) => keep({ ruleId: r.rule_id, tags: JSON.parse(r.tags) as string[], level: r.level as AlertLevel }))
    : all;
  const entities: Entities = { accounts: [], hosts: [], ips: [] };
  let level: AlertLevel | undefined;
  const fromEvents = choice.event
    ? await entitiesOfEvents(
        db,
        rows.map((r) => r.id),
        choice.event,
      )
    : null;
  for (const e of fromEvents ? [fromEvents] : rows.map((r) => JSON.parse(r.entities) as Partial<Entities>)) {
    entities.accounts.push(...(e.accounts ?? []));
    entities.hosts.push(...(e.hosts ?? []));
    entities.ips.push(...(e.ips ?? []));
  }
  for (const r of rows) {
    const l = r.level as AlertLevel;
    if (!level || ALERT_LEVELS.indexOf(l) > ALERT_LEVELS.indexOf(level)) level = l;
  }
  const newest = rows[0];
  let latest: IncidentAlertFacts['latest'];
  if (newest) {
    const ev = await firstEventFields(db, newest.id);
    let fields: Record<string, unknown> = {};
    if (ev && !ev.truncated) {
      try {
        fields = JSON.parse(ev.fields) as Record<string, unknown>;
      } catch {
        fields = {};
      }
    }
    latest = {
      id: newest.id,
      ruleId: newest.rule_id,
      title: newest.rule_title,
      level: newest.level as AlertLevel,
      fields,
    };
  }
  return {
    ruleIds: uniq(rows.map((r) => r.rule_id)),
    tags: uniq(rows.flatMap((r) => JSON.parse(r.tags) as string[])),
    services: uniq(rows.flatMap((r) => JSON.parse(r.services) as string[])),
    level,
    entities: {
      accounts: await accountsAsWritten(
        db,
        rows.map((r) => r.id),
        uniq(entities.accounts),
      ),
      hosts: uniq(entities.hosts),
      ips: uniq(entities.ips),
    },
    latest,
  };
}

/** Every (account, alert) pair of an incident's alerts, the accounts as the events wrote them (scoping's source). */
export async function accountsNamedInAlerts(
  db: Db,
  incidentId: string,
): Promise<{ account: string; alertId: string; title: string }[]> {
  const rows = await alertsOfIncident(db, incidentId);
  const pairs = rows.flatMap((r) =>
    ((JSON.parse(r.entities) as Partial<Entities>).accounts ?? []).map((a) => ({
      key: a,
      alertId: r.id,
      title: r.rule_title,
    })),
  );
  const keys = uniq(pairs.map((p) => p.key));
  const written = await accountsAsWritten(
    db,
    rows.map((r) => r.id),
    keys,
  );
  const asWritten = new Map(keys.map((k, i) => [k, written[i]!]));
  return pairs.map((p) => ({ account: asWritten.get(p.key)!, alertId: p.alertId, title: p.title }));
}

/** An event of an incident's alert, as IOC extraction reads it. */
export interface IncidentEvent {
  alertId: string;
  time: number;
  fields: Record<string, unknown>;
}

/** The whole kept events of an incident's alerts (truncated or unreadable ones left out), at most `limit`. */
export async function incidentEvents(db: Db, incidentId: string, limit: number): Promise<IncidentEvent[]> {
  const out: IncidentEvent[] = [];
  for (const e of await eventsOfIncident(db, incidentId, limit)) {
    if (e.truncated) continue;
    try {
      const fields = JSON.parse(e.fields) as unknown;
      if (fields && typeof fields === 'object' && !Array.isArray(fields))
        out.push({ alertId: e.alert_id, time: Number(e.time), fields: fields as Record<string, unknown> });
    } catch {
      // a stored prefix or damaged text: nothing to read
    }
  }
  return out;
}
