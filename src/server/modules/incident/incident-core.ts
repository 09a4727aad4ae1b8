/**
 * What the incident use cases share: loading an incident a principal may see, checking the services and
 * people an edit names, a fresh incident row, naming the commander, and committing a change then
 * publishing the incident as it is afterwards.
 */
import type { Incident } from '../../../shared/incident-schemas.js';
import type { User } from '../../../shared/user-schemas.js';
import type { Bus } from '../../platform/bus.js';
import type { Store } from '../../platform/db/connect.js';
import type { Db } from '../../platform/db/types.js';
import { invalid, notFound } from '../../platform/errors.js';
import { newId, type Clock } from '../../platform/ids.js';
import type { AuditService } from '../audit/index.js';
import type { Principal } from '../auth/index.js';
import type { UserService } from '../user/index.js';
import type { IncidentEventSink } from './incident-events.js';
import { audienceOf, toIncident } from './incident.mapper.js';
import { assertVisible } from './incident.policy.js';
import {
  findByKey,
  findServicesByKeys,
  nextCounter,
  putParticipant,
  removeParticipant,
  type IncidentRow,
} from './incident.repository.js';
import { toEntry } from './timeline.mapper.js';
import { listTimeline } from './timeline.repository.js';

/** What the incident service is built from. */
export interface IncidentDeps {
  store: Store;
  audit: AuditService;
  bus: Bus;
  clock: Clock;
  users: UserService;
  /** The outbox the incident's domain events go to (none: nothing reacts to incidents). */
  events?: IncidentEventSink;
  /**
   * Told of every change of an incident (declared, edited, moved, re-graded) inside its transaction:
   * the regulatory obligation clocks re-evaluate there, so the next read shows them (compose-obligations.ts).
   */
  onChanged?: (tx: Db, incidentId: string, now: IncidentState) => Promise<void>;
  /**
   * Sends the reads `onChanged` makes of a new incident early, behind the transaction's other reads
   * (pipelined): for a transaction that may declare one (alert intake), so declaring waits for no read.
   */
  primeChange?: (tx: Db) => void;
}

/** What an incident is after a change, as `onChanged` is told it (so a reaction that needs no more reads nothing). */
export type IncidentState = Pick<IncidentRow, 'status' | 'grade' | 'drill'>;

/** The fields of a new incident its declarer gives (the rest start empty). */
type IncidentFields = Pick<
  IncidentRow,
  | 'title'
  | 'summary'
  | 'category'
  | 'grade'
  | 'severity'
  | 'restricted'
  | 'tags'
  | 'customers_affected'
  | 'funds_at_risk_minor'
  | 'funds_currency'
  | 'records_exposed'
  | 'trading_interrupted'
  | 'detected_at'
  | 'created_by'
  | 'drill'
> &
  Partial<Pick<IncidentRow, 'title_i18n' | 'summary_i18n'>>;

/** A fresh incident row in status "detected", numbered from the year's counter. */
export async function newIncidentRow(tx: Db, now: number, f: IncidentFields): Promise<IncidentRow> {
  const year = new Date(now).getUTCFullYear();
  const n = await nextCounter(tx, `incident:${year}`);
  return {
    id: newId(),
    key: `INC-${year}-${String(n).padStart(4, '0')}`,
    title_i18n: null,
    summary_i18n: null,
    ...f,
    status: 'detected',
    commander_id: null,
    acknowledged_at: null,
    contained_at: null,
    eradicated_at: null,
    recovered_at: null,
    closed_at: null,
    false_positive_at: null,
    reopened_at: null,
    created_at: now,
    updated_at: now,
    version: 1,
    timeline_seq: 0,
    // Kept by the database's triggers from the rows of other tables (migration 0057).
    first_alert_seen_at: null,
    first_public_statement_at: null,
    first_notice_sent_at: null,
    service_ids: null,
  };
}

/** Work done on a visible incident inside `change`'s transaction. */
export type ChangeWork = (tx: Db, row: IncidentRow, before: Incident, now: number) => Promise<void>;

export function incidentCore(deps: IncidentDeps) {
  const { store, bus, clock, users } = deps;

  /** Loads an incident the principal may see, or 404. */
  async function loadVisible(db: Db, p: Principal, key: string): Promise<{ row: IncidentRow; incident: Incident }> {
    const row = await findByKey(db, key);
    if (!row) throw notFound(`incident ${key}`, { code: 'incident.not_found', params: { key } });
    const incident = await toIncident(db, row);
    assertVisible(p, audienceOf(incident), key);
    return { row, incident };
  }

  /** The ids of the catalog services `keys` name; 400 naming the unknown ones. */
  async function serviceIds(db: Db, keys: string[]): Promise<string[]> {
    const unique = [...new Set(keys)];
    const found = await findServicesByKeys(db, unique);
    const missing = unique.filter((k) => !found.some((s) => s.key === k));
    if (missing.length)
      throw invalid(
        `unknown service(s): ${missing.join(', ')}`,
        missing.map((k) => ({
          path: 'services',
          message: `unknown service ${k}`,
          code: 'unknown_service' as const,
          params: { key: k },
        })),
        { code: 'service.unknown', params: { services: missing.join(', ') } },
      );
    return found.map((s) => s.id);
  }

  /** The user `userId` names, when the account exists and is not disabled; 400 on `path` otherwise. */
  async function assertActiveUser(db: Db, userId: string, path: string): Promise<User> {
    const u = await users.activeById(userId, db);
    if (!u)
      throw invalid(
        `user ${userId} does not exist or is disabled`,
        [{ path, message: 'unknown or disabled user', code: 'unknown_user' }],
        { code: 'user.unknown_or_disabled', params: { id: userId } },
      );
    return u;
  }

  /**
   * Makes `userId` the commander: one incident_commander participant at a time (the one replaced leaves
   * the incident; a role the new one held is replaced by command). Returns the role the new one held.
   */
  async function setCommander(
    db: Db,
    row: IncidentRow,
    userId: string | null,
    now: number,
  ): Promise<string | undefined> {
    if (row.commander_id && row.commander_id !== userId)
      await removeParticipant(db, row.id, row.commander_id, 'incident_commander');
    const held = userId ? await putParticipant(db, row.id, userId, 'incident_commander', now) : undefined;
    row.commander_id = userId;
    return held;
  }

  /** Commits `work`, then publishes the incident as it is afterwards. */
  async function change(p: Principal, key: string, work: ChangeWork): Promise<Incident> {
    const { before, after, entries } = await store.transaction(async (tx) => {
      const { row, incident: before } = await loadVisible(tx, p, key);
      const seqBefore = row.timeline_seq;
      const now = clock.now();
      await work(tx, row, before, now);
      const fresh = (await findByKey(tx, key))!;
      // The system entries this change wrote (status change, participant joined, ...) go live too.
      const written = await listTimeline(tx, row.id, seqBefore, 100);
      // After the listing: what the reaction writes on the timeline it publishes itself after the commit.
      await deps.onChanged?.(tx, row.id, fresh);
      return { before, after: await toIncident(tx, fresh), entries: written.map((r) => toEntry(r, key)) };
    });
    const audience = audienceOf(after);
    const seenBefore = audienceOf(before);
    // Those who saw it and no longer may: told it is gone (the key only), so no console keeps a stale copy.
    if (!seenBefore.restricted && audience.restricted)
      bus.publish({ event: 'incident.withdrawn', incidentKey: key, audience: seenBefore });
    else if (audience.restricted) {
      const gone = seenBefore.memberIds.filter((id) => !audience.memberIds.includes(id));
      if (gone.length)
        bus.publish({ event: 'incident.withdrawn', incidentKey: key, audience: { restricted: true, memberIds: gone } });
    }
    bus.publish({ event: 'incident.updated', incidentKey: key, incident: after, audience });
    for (const entry of entries) bus.publish({ event: 'timeline.appended', incidentKey: key, entry, audience });
    return after;
  }

  return { loadVisible, serviceIds, assertActiveUser, setCommander, change };
}

export type IncidentCore = ReturnType<typeof incidentCore>;
