/**
 * SQL of the entity graph: an incident's alerts and IOCs, the account-activity index (`account_activity`)
 * grouped by account, address, device and action, and the kept events of other alerts that name a value.
 */
import { sql } from 'kysely';
import type { Db } from '../../platform/db/types.js';
import { visibleTo } from '../incident/index.js';

export const alertTimesOfIncident = (db: Db, incidentId: string) =>
  db
    .selectFrom('alerts')
    .select(['id', 'first_seen', 'last_seen'])
    .where('incident_id', '=', incidentId)
    .limit(1000)
    .execute();

/** The incident's IOCs that are not revoked. */
export const liveIocsOfIncident = (db: Db, incidentId: string) =>
  db
    .selectFrom('iocs')
    .select(['type', 'value', 'tlp', 'confidence', 'first_seen', 'last_seen'])
    .where('incident_id', '=', incidentId)
    .where('revoked', '=', 0)
    .orderBy('created_at')
    .limit(1000)
    .execute();

export interface ActivityMatch {
  from: number;
  to: number;
  accounts: string[];
  /** Address keys (`ip_key`, scoping's fixed-width hex). */
  ipKeys: string[];
  devices: string[];
}

/**
 * Activity rows in the window naming any of the accounts, addresses or devices, grouped by account,
 * address, device and action (first and last time, how many), at most `limit` groups.
 */
export function activityGroups(db: Db, m: ActivityMatch, limit: number) {
  if (!m.accounts.length && !m.ipKeys.length && !m.devices.length) return Promise.resolve([]);
  return db
    .selectFrom('account_activity as a')
    .select((eb) => [
      'a.account_no',
      'a.ip',
      'a.device',
      'a.action',
      eb.fn.min('a.at').as('first_at'),
      eb.fn.max('a.at').as('last_at'),
      eb.fn.countAll().as('n'),
    ])
    .where('a.at', '>=', m.from)
    .where('a.at', '<=', m.to)
    .where((eb) =>
      eb.or([
        ...(m.accounts.length ? [eb('a.account_no', 'in', m.accounts)] : []),
        ...(m.ipKeys.length ? [eb('a.ip_key', 'in', m.ipKeys)] : []),
        ...(m.devices.length ? [eb('a.device', 'in', m.devices)] : []),
      ]),
    )
    .groupBy(['a.account_no', 'a.ip', 'a.device', 'a.action'])
    .orderBy('last_at', 'desc')
    .limit(limit)
    .execute();
}

/**
 * Kept events of alerts seen in the window whose fields contain `needle` (lower case, as JSON writes it),
 * of incidents `viewerId` may see (undefined: every incident, for administrators), newest first.
 */
export function eventsNaming(db: Db, needle: string, from: number, viewerId: string | undefined, limit: number) {
  const pattern = `%${needle.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  let q = db
    .selectFrom('alert_events as e')
    .innerJoin('alerts as a', 'a.id', 'e.alert_id')
    .select(['e.alert_id', 'e.time', 'e.fields', 'e.truncated'])
    .where('a.last_seen', '>=', from)
    .where(sql<boolean>`lower(e.fields) like ${pattern} escape '\\'`);
  if (viewerId) q = q.where(visibleTo(viewerId, 'a.incident_id'));
  return q.orderBy('e.time', 'desc').limit(limit).execute();
}
