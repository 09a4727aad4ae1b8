/**
 * What the alerts of an incident say, gathered for the modules that react to incidents: the rules, tags,
 * services and highest level (a plan's triggers) and the entities and the newest alert's event fields (the
 * templates of a plan's action parameters).
 */
import { ALERT_LEVELS, type AlertLevel } from '../../../shared/enums.js';
import type { Entities } from '../../../shared/alert-schemas.js';
import type { Db } from '../../platform/db/types.js';
import { ACCOUNT_FIELDS, fieldValue } from '../../../shared/event-fields.js';
import { alertsOfIncident, eventFieldsOf, firstEventFields } from './incident-alerts.repository.js';

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

export async function incidentAlertFacts(db: Db, incidentId: string): Promise<IncidentAlertFacts> {
  const rows = await alertsOfIncident(db, incidentId);
  const entities: Entities = { accounts: [], hosts: [], ips: [] };
  let level: AlertLevel | undefined;
  for (const r of rows) {
    const e = JSON.parse(r.entities) as Partial<Entities>;
    entities.accounts.push(...(e.accounts ?? []));
    entities.hosts.push(...(e.hosts ?? []));
    entities.ips.push(...(e.ips ?? []));
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
