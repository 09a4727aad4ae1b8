/** Incident use cases: declare, read, list, edit, move through the lifecycle, staff it. */
import {
  ACTIVE_STATUSES,
  canTransition,
  ENDED_STATUSES,
  GRADE_SEVERITY,
  type Category,
  type Grade,
  type Status,
} from '../../../shared/enums.js';
import type { LocalizedText } from '../../../shared/api-schemas.js';
import type {
  DetectionFacts,
  Incident,
  IncidentCreate,
  IncidentUpdate,
  TimelineEntry,
} from '../../../shared/incident-schemas.js';
import type { Audience, Bus } from '../../platform/bus.js';
import type { Store } from '../../platform/db/connect.js';
import type { Db } from '../../platform/db/types.js';
import { cursorCodec } from '../../platform/cursor.js';
import { conflict, invalid, notFound } from '../../platform/errors.js';
import { newId, type Clock } from '../../platform/ids.js';
import type { Actor, AuditService } from '../audit/index.js';
import { actorOf, assertCan, type Principal } from '../auth/index.js';
import { findUserRow as findUser } from '../user/index.js';
import { audienceOf, auditView, localizedOf, toIncident, toIncidents } from './incident.mapper.js';
import { assertMayNameCommander, assertMayRestrict, assertVisible } from './incident.policy.js';
import {
  anyIncident,
  findById,
  findByIds,
  findByKey,
  findServicesByKeys,
  insertIncident,
  listIncidents,
  nextCounter,
  participantsOf,
  putParticipant,
  removeParticipant,
  setIncidentServices,
  updateIncident,
  type IncidentFilter,
  type IncidentRow,
} from './incident.repository.js';
import { participantUseCases } from './participant.service.js';
import { toEntry } from './timeline.mapper.js';
import { insertTimelineEntry, listTimeline } from './timeline.repository.js';

const MILESTONE: Partial<Record<Status, keyof IncidentRow>> = {
  acknowledged: 'acknowledged_at',
  contained: 'contained_at',
  eradicated: 'eradicated_at',
  recovered: 'recovered_at',
  closed: 'closed_at',
  false_positive: 'false_positive_at',
};

export interface ListQuery {
  status?: Status | 'active' | 'ended';
  grade?: string;
  category?: string;
  service?: string;
  q?: string;
  sort?: 'detected' | 'severity';
  limit: number;
  cursor?: string;
}

const cursor = cursorCodec(['int', 'id', 'int']);
const encodeCursor = (r: IncidentRow) => cursor.encode([r.detected_at, r.id, r.severity]);
function decodeCursor(c: string): IncidentFilter['after'] {
  const [detectedAt, id, severity] = cursor.decode(c);
  return { severity, detectedAt, id };
}

/** An incident declared by detection for an alert (see declareFromAlert). */
export interface DetectedIncident {
  /** Title and summary in both languages (`title` and `summary` keep the English ones). */
  title: LocalizedText;
  summary: LocalizedText;
  /** What the summary states, for the console to word in the viewer's language and zone. */
  facts: DetectionFacts;
  category: Category;
  grade: Grade;
  severity: number;
  tags: string[];
  detectedAt: number;
  /** Catalog keys of the services the alert's events named (unknown keys are ignored). */
  services: string[];
  alert: { id: string; ruleId: string; ruleTitle: string; ruleTitles: LocalizedText; level: string };
}

/** What another module needs to know of an incident to show and route its records. */
export interface IncidentRef {
  id: string;
  key: string;
  title: string;
  titleI18n: LocalizedText | null;
  status: Status;
  restricted: boolean;
  audience: Audience;
}

/** A fresh incident row in status "detected", numbered from the year's counter. */
async function newIncidentRow(
  tx: Db,
  now: number,
  f: Pick<
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
  > &
    Partial<Pick<IncidentRow, 'title_i18n' | 'summary_i18n'>>,
): Promise<IncidentRow> {
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
  };
}

export function createIncidentService(deps: { store: Store; audit: AuditService; bus: Bus; clock: Clock }) {
  const { store, audit, bus, clock } = deps;

  /** Loads an incident the principal may see, or 404. */
  async function loadVisible(db: Db, p: Principal, key: string): Promise<{ row: IncidentRow; incident: Incident }> {
    const row = await findByKey(db, key);
    if (!row) throw notFound(`incident ${key}`, { code: 'incident.not_found', params: { key } });
    const incident = await toIncident(db, row);
    assertVisible(p, audienceOf(incident), key);
    return { row, incident };
  }

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

  async function assertActiveUser(db: Db, userId: string, path: string): Promise<void> {
    const u = await findUser(db, userId);
    if (!u || u.disabled === 1)
      throw invalid(
        `user ${userId} does not exist or is disabled`,
        [{ path, message: 'unknown or disabled user', code: 'unknown_user' }],
        { code: 'user.unknown_or_disabled', params: { id: userId } },
      );
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
  async function change(
    p: Principal,
    key: string,
    work: (tx: Db, row: IncidentRow, before: Incident, now: number) => Promise<void>,
  ): Promise<Incident> {
    const { before, after, entries } = await store.transaction(async (tx) => {
      const { row, incident: before } = await loadVisible(tx, p, key);
      const seqBefore = row.timeline_seq;
      const now = clock.now();
      await work(tx, row, before, now);
      const fresh = (await findByKey(tx, key))!;
      // The system entries this change wrote (status change, participant joined, ...) go live too.
      const written = await listTimeline(tx, row.id, seqBefore, 100);
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

  return {
    loadVisible,
    ...participantUseCases({ audit, change, setCommander, assertActiveUser }),

    async create(p: Principal, input: IncidentCreate): Promise<Incident> {
      assertCan(p, 'incident.create');
      assertMayNameCommander(p, { key: null, commanderId: null }, input.commanderId ?? null);
      const now = clock.now();
      const detectedAt = input.detectedAt ? Date.parse(input.detectedAt) : now;
      if (detectedAt > now + 60_000)
        throw invalid(
          'detectedAt is in the future',
          [{ path: 'detectedAt', message: 'in the future', code: 'in_future' }],
          { code: 'incident.detected_in_future' },
        );
      const incident = await store.transaction(async (tx) => {
        const ids = await serviceIds(tx, input.services);
        if (input.commanderId) await assertActiveUser(tx, input.commanderId, 'commanderId');
        const impact = input.impact;
        const row = await newIncidentRow(tx, now, {
          title: input.title,
          summary: input.summary,
          category: input.category,
          grade: input.grade,
          severity: input.severity ?? GRADE_SEVERITY[input.grade],
          restricted: input.restricted ? 1 : 0,
          tags: JSON.stringify([...new Set(input.tags)]),
          customers_affected: impact?.customersAffected ?? null,
          funds_at_risk_minor: impact?.fundsAtRisk?.amountMinor ?? null,
          funds_currency: impact?.fundsAtRisk?.currency ?? null,
          records_exposed: impact?.recordsExposed ?? null,
          trading_interrupted: impact?.tradingInterrupted ? 1 : 0,
          detected_at: detectedAt,
          created_by: p.user.id,
        });
        await insertIncident(tx, row);
        await setIncidentServices(tx, row.id, ids);
        if (input.commanderId) {
          await setCommander(tx, row, input.commanderId, now);
          await updateIncident(tx, row.id, { commander_id: row.commander_id });
        }
        // A restricted incident declared by a non-admin keeps its declarer in the loop.
        if (row.restricted && p.user.role !== 'admin' && row.commander_id !== p.user.id)
          await putParticipant(tx, row.id, p.user.id, 'observer', now);
        await insertTimelineEntry(tx, {
          incidentId: row.id,
          at: now,
          actorId: p.user.id,
          kind: 'system',
          text: `Incident declared: ${row.title}`,
          data: { event: 'declared', grade: row.grade, category: row.category },
        });
        const incident = await toIncident(tx, row);
        await audit.append(tx, actorOf(p), {
          action: 'incident.create',
          targetType: 'incident',
          targetId: row.key,
          after: auditView(incident),
          incidents: [row.id],
        });
        return incident;
      });
      bus.publish({ event: 'incident.created', incidentKey: incident.key, incident, audience: audienceOf(incident) });
      return incident;
    },

    async get(p: Principal, key: string): Promise<Incident> {
      assertCan(p, 'incident.read');
      return (await loadVisible(store.db, p, key)).incident;
    },

    async list(p: Principal, q: ListQuery): Promise<{ items: Incident[]; next: string | null }> {
      assertCan(p, 'incident.read');
      const filter: IncidentFilter = {
        status:
          q.status === 'active'
            ? [...ACTIVE_STATUSES]
            : q.status === 'ended'
              ? ENDED_STATUSES
              : q.status
                ? [q.status]
                : undefined,
        grade: q.grade,
        category: q.category,
        serviceKey: q.service,
        q: q.q?.trim() || undefined,
        viewerId: p.user.role === 'admin' ? undefined : p.user.id,
        bySeverity: q.sort === 'severity',
        after: q.cursor ? decodeCursor(q.cursor) : undefined,
      };
      const rows = await listIncidents(store.db, filter, q.limit + 1);
      const page = rows.slice(0, q.limit);
      return {
        items: await toIncidents(store.db, page),
        next: rows.length > q.limit ? encodeCursor(page[page.length - 1]!) : null,
      };
    },

    update(p: Principal, key: string, input: IncidentUpdate): Promise<Incident> {
      assertCan(p, 'incident.update');
      return change(p, key, async (tx, row, before, now) => {
        if (input.version !== undefined && input.version !== row.version) {
          throw conflict(
            `${key} was changed by someone else (you saw version ${input.version}, it is now ${row.version}); reload and apply your edit again`,
            { code: 'incident.version_conflict', params: { key, seen: input.version, current: row.version } },
          );
        }
        const set: Partial<IncidentRow> = {};
        // A person's words replace detection's in both languages; sending back either of detection's is no edit.
        const edited = (v: string | undefined, stored: string, i18n: string | null) =>
          v !== undefined && v !== stored && !Object.values(localizedOf(i18n) ?? {}).includes(v);
        if (edited(input.title, row.title, row.title_i18n))
          Object.assign(set, { title: input.title, title_i18n: null });
        if (edited(input.summary, row.summary, row.summary_i18n))
          Object.assign(set, { summary: input.summary, summary_i18n: null });
        if (input.category !== undefined) set.category = input.category;
        if (input.grade !== undefined) {
          set.grade = input.grade;
          if (input.severity === undefined) set.severity = GRADE_SEVERITY[input.grade];
        }
        if (input.severity !== undefined) set.severity = input.severity;
        if (input.tags !== undefined) set.tags = JSON.stringify([...new Set(input.tags)]);
        const im = input.impact;
        if (im?.customersAffected !== undefined) set.customers_affected = im.customersAffected;
        if (im?.recordsExposed !== undefined) set.records_exposed = im.recordsExposed;
        if (im?.tradingInterrupted !== undefined) set.trading_interrupted = im.tradingInterrupted ? 1 : 0;
        if (im?.fundsAtRisk !== undefined) {
          set.funds_at_risk_minor = im.fundsAtRisk?.amountMinor ?? null;
          set.funds_currency = im.fundsAtRisk?.currency ?? null;
        }
        if (input.services !== undefined) await setIncidentServices(tx, row.id, await serviceIds(tx, input.services));
        let newCommander: string | null | undefined;
        if (input.commanderId !== undefined && input.commanderId !== row.commander_id) {
          assertMayNameCommander(p, { key, commanderId: row.commander_id }, input.commanderId);
          if (input.commanderId) await assertActiveUser(tx, input.commanderId, 'commanderId');
          await setCommander(tx, row, input.commanderId, now);
          set.commander_id = row.commander_id;
          newCommander = row.commander_id;
        }
        // Checked against the commander as this edit leaves it: a responder may take command and restrict at once.
        if (input.restricted !== undefined && (input.restricted ? 1 : 0) !== row.restricted) {
          assertMayRestrict(p, { key, commanderId: row.commander_id });
          set.restricted = input.restricted ? 1 : 0;
        }
        await updateIncident(tx, row.id, { ...set, updated_at: now, version: row.version + 1 });
        const after = await toIncident(tx, (await findByKey(tx, key))!);
        if (before.grade !== after.grade) {
          await insertTimelineEntry(tx, {
            incidentId: row.id,
            at: now,
            actorId: p.user.id,
            kind: 'system',
            text: `Grade changed ${before.grade} → ${after.grade}`,
            data: { event: 'grade_changed', from: before.grade, to: after.grade },
          });
        }
        if (newCommander) {
          await insertTimelineEntry(tx, {
            incidentId: row.id,
            at: now,
            actorId: p.user.id,
            kind: 'system',
            text: `${after.commander?.name ?? newCommander} joined as incident_commander`,
            data: { event: 'participant_added', userId: newCommander, role: 'incident_commander' },
          });
        }
        await audit.append(tx, actorOf(p), {
          action: 'incident.update',
          targetType: 'incident',
          targetId: key,
          before: auditView(before),
          after: auditView(after),
          incidents: [row.id],
        });
      });
    },

    transition(p: Principal, key: string, to: Status, note?: string): Promise<Incident> {
      assertCan(p, 'incident.transition');
      return change(p, key, async (tx, row, before, now) => {
        const from = row.status as Status;
        if (!canTransition(from, to))
          throw conflict(`an incident cannot go from ${from} to ${to}`, {
            code: 'incident.transition_not_allowed',
            params: { from, to },
          });
        const reopen = from === 'closed' || from === 'false_positive';
        const set: Partial<IncidentRow> = { status: to, updated_at: now, version: row.version + 1 };
        const milestone = MILESTONE[to];
        if (reopen) Object.assign(set, { reopened_at: now, closed_at: null, false_positive_at: null });
        // A milestone keeps the first time it was reached; a reopened incident keeps its history.
        else if (milestone && row[milestone] == null) Object.assign(set, { [milestone]: now });
        await updateIncident(tx, row.id, set);
        await insertTimelineEntry(tx, {
          incidentId: row.id,
          at: now,
          actorId: p.user.id,
          kind: 'status_change',
          text: reopen
            ? `Reopened (${from} → ${to})${note ? `: ${note}` : ''}`
            : `Status ${from} → ${to}${note ? `: ${note}` : ''}`,
          data: { event: reopen ? 'reopened' : 'status_changed', from, to, note: note ?? null },
        });
        await audit.append(tx, actorOf(p), {
          action: 'incident.transition',
          targetType: 'incident',
          targetId: key,
          before: { status: before.status },
          after: { status: to, note: note ?? null },
          incidents: [row.id],
        });
      });
    },

    /**
     * Declares an incident for an alert raised by detection, inside the caller's transaction, as `actor`
     * (the system): its timeline starts with an entry naming the alert. Call `publish()` after commit.
     */
    async declareFromAlert(
      tx: Db,
      actor: Actor,
      input: DetectedIncident,
    ): Promise<{ incident: Incident; publish: () => void }> {
      const now = clock.now();
      const row = await newIncidentRow(tx, now, {
        title: input.title.en,
        summary: input.summary.en,
        title_i18n: JSON.stringify(input.title),
        summary_i18n: JSON.stringify({ ...input.summary, facts: input.facts }),
        category: input.category,
        grade: input.grade,
        severity: input.severity,
        restricted: 0,
        tags: JSON.stringify([...new Set(input.tags)]),
        customers_affected: null,
        funds_at_risk_minor: null,
        funds_currency: null,
        records_exposed: null,
        trading_interrupted: 0,
        detected_at: Math.min(input.detectedAt, now),
        created_by: null,
      });
      await insertIncident(tx, row);
      if (input.services.length)
        await setIncidentServices(
          tx,
          row.id,
          (await findServicesByKeys(tx, [...new Set(input.services)])).map((s) => s.id),
        );
      const { alert } = input;
      const inserted = await insertTimelineEntry(tx, {
        incidentId: row.id,
        at: now,
        actorId: null,
        kind: 'system',
        text: `Incident declared by detection from alert "${alert.ruleTitle}" (${alert.level}, alert ${alert.id})`,
        data: {
          event: 'declared',
          grade: row.grade,
          category: row.category,
          source: 'detection',
          alertId: alert.id,
          ruleId: alert.ruleId,
          ruleTitle: alert.ruleTitle,
          ruleTitles: alert.ruleTitles,
          level: alert.level,
        },
      });
      const incident = await toIncident(tx, row);
      await audit.append(tx, actor, {
        action: 'incident.create',
        targetType: 'incident',
        targetId: row.key,
        after: { ...auditView(incident), source: 'detection', alertId: alert.id },
        incidents: [row.id],
      });
      const entry = toEntry(inserted, row.key);
      return {
        incident,
        publish: () => {
          const audience = audienceOf(incident);
          bus.publish({ event: 'incident.created', incidentKey: incident.key, incident, audience });
          bus.publish({ event: 'timeline.appended', incidentKey: incident.key, entry, audience });
        },
      };
    },

    /**
     * Appends a system entry about alerts (attached by detection, linked or unlinked by a person) to an
     * incident's timeline inside the caller's transaction. Call `publish()` after commit.
     */
    async noteAlerts(
      tx: Db,
      incidentId: string,
      e: { actor: { id: string; name: string } | null; text: string; data: Record<string, unknown> },
    ): Promise<{ entry: TimelineEntry; publish: () => void }> {
      const row = await findById(tx, incidentId);
      if (!row) throw notFound(`incident ${incidentId}`);
      const inserted = await insertTimelineEntry(tx, {
        incidentId,
        at: clock.now(),
        actorId: e.actor?.id ?? null,
        kind: 'system',
        text: e.text,
        data: e.data,
      });
      const entry = toEntry({ ...inserted, actor_name: e.actor?.name ?? null }, row.key);
      const audience = audienceOf(await toIncident(tx, row));
      return {
        entry,
        publish: () => bus.publish({ event: 'timeline.appended', incidentKey: row.key, entry, audience }),
      };
    },

    /** Key, title, status and audience of incidents by id (for records of other modules that point at incidents). */
    async refs(db: Db, ids: string[]): Promise<Map<string, IncidentRef>> {
      const unique = [...new Set(ids)];
      const out = new Map<string, IncidentRef>();
      if (unique.length === 0) return out;
      const [rows, members] = await Promise.all([findByIds(db, unique), participantsOf(db, unique)]);
      for (const r of rows) {
        const memberIds = members.filter((m) => m.incident_id === r.id).map((m) => m.user_id);
        if (r.commander_id) memberIds.push(r.commander_id);
        out.set(r.id, {
          id: r.id,
          key: r.key,
          title: r.title,
          titleI18n: localizedOf(r.title_i18n),
          status: r.status as Status,
          restricted: r.restricted === 1,
          audience: { restricted: r.restricted === 1, memberIds: [...new Set(memberIds)] },
        });
      }
      return out;
    },

    /** Whether the store holds any incident (the demo fills an empty store only); says nothing of any one incident. */
    any: (): Promise<boolean> => anyIncident(store.db),
  };
}

export type IncidentService = ReturnType<typeof createIncidentService>;
