/**
 * What other modules ask of incidents inside their own transactions: an incident declared by detection
 * for an alert, a system entry about alerts on an incident's timeline, and incidents' references.
 */
import type { Category, Grade, Status } from '../../../shared/enums.js';
import type { LocalizedText } from '../../../shared/api-schemas.js';
import type { DetectionFacts, Incident, TimelineEntry } from '../../../shared/incident-schemas.js';
import type { Audience } from '../../platform/bus.js';
import { transactionMemo } from '../../platform/db/connect.js';
import type { Db } from '../../platform/db/types.js';
import { notFound } from '../../platform/errors.js';
import type { Actor } from '../audit/index.js';
import { newIncidentRow, type IncidentDeps } from './incident-core.js';
import { audienceOf, auditView, incidentsOf, localizedOf } from './incident.mapper.js';
import {
  findById,
  findByIds,
  findServicesByKeys,
  insertIncident,
  type IncidentRow,
  participantsOf,
  setIncidentServices,
} from './incident.repository.js';
import { toEntry } from './timeline.mapper.js';
import { insertTimelineEntry } from './timeline.repository.js';

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

/** References of the incidents declared in a transaction (transactionMemo): `refs` need not read them back. */
const DECLARED = Symbol('incidents declared here');

export function detectionUseCases(deps: IncidentDeps) {
  const { audit, bus, clock } = deps;
  /** Key, title, status and audience of incidents by id (for records of other modules that point at incidents). */
  async function refs(db: Db, ids: string[]): Promise<Map<string, IncidentRef>> {
    const out = new Map<string, IncidentRef>();
    // Declared by detection in this transaction (alert intake, which changes them no further): known.
    const declared = transactionMemo(db)?.get(DECLARED) as Map<string, IncidentRef> | undefined;
    const unique = [...new Set(ids)].filter((id) => {
      const known = declared?.get(id);
      if (known) out.set(id, known);
      return !known;
    });
    if (unique.length === 0) return out;
    const [rows, members] = await Promise.all([findByIds(db, unique), participantsOf(db, unique)]);
    for (const r of rows) {
      const memberIds = members.filter((m) => m.incident_id === r.id).map((m) => m.user_id);
      out.set(r.id, refOf(r, memberIds));
    }
    return out;
  }

  return {
    /**
     * Reads what declaring an incident in `tx` will need, now, with the transaction's other reads: for a
     * transaction that may declare one (`declareFromAlert`) and should not wait for more reads when it does.
     */
    primeDeclare(tx: Db): void {
      deps.primeChange?.(tx);
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
        drill: 0,
      });
      // Its first timeline entry is number 1: no round trip to count it.
      row.timeline_seq = 1;
      await insertIncident(tx, row);
      const services = input.services.length ? await findServicesByKeys(tx, [...new Set(input.services)]) : [];
      if (services.length)
        await setIncidentServices(
          tx,
          row.id,
          services.map((s) => s.id),
        );
      const { alert } = input;
      const inserted = await insertTimelineEntry(tx, {
        seq: 1,
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
      // What toIncident would read back is what was just written: its services, no participants yet, that entry.
      const [incident] = incidentsOf([row], {
        services: services.map((s) => ({ incident_id: row.id, key: s.key, name_zh: s.name_zh, name_en: s.name_en })),
        participants: [],
        lastEntries: [{ incident_id: row.id, at: now }],
      }) as [Incident];
      const memo = transactionMemo(tx);
      if (memo) {
        const declared = (memo.get(DECLARED) as Map<string, IncidentRef> | undefined) ?? new Map<string, IncidentRef>();
        declared.set(row.id, refOf(row));
        memo.set(DECLARED, declared);
      }
      await audit.append(tx, actor, {
        action: 'incident.create',
        targetType: 'incident',
        targetId: row.key,
        after: { ...auditView(incident), source: 'detection', alertId: alert.id },
        incidents: [row.id],
      });
      await deps.events?.publish(tx, 'incident.declared', { incidentId: row.id, key: row.key });
      await deps.onChanged?.(tx, row.id, row);
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
      e: {
        actor: { id: string; name: string } | null;
        text: string;
        data: Record<string, unknown>;
        /** Alerts joined an incident that existed before (its plans' triggers are looked at again). */
        joined?: boolean;
      },
    ): Promise<{ entry: TimelineEntry; publish: () => void; ref: IncidentRef }> {
      const row = (await refs(tx, [incidentId])).get(incidentId);
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
      if (e.joined)
        await deps.events?.publish(tx, 'incident.changed', { incidentId, key: row.key, changes: ['alerts'] });
      const { audience } = row;
      return {
        entry,
        publish: () => bus.publish({ event: 'timeline.appended', incidentKey: row.key, entry, audience }),
        ref: row,
      };
    },

    /**
     * Alerts already on the incident name more (a repeat with new entities or events): its plans look
     * again, through the outbox like alerts that join (no timeline entry: repeats are counted on the alert).
     */
    async alertsGrew(tx: Db, incidentId: string): Promise<void> {
      const row = await findById(tx, incidentId);
      if (!row) return;
      await deps.events?.publish(tx, 'incident.changed', { incidentId, key: row.key, changes: ['alerts'] });
    },

    refs,
  };
}

/** An incident's reference, with the ids of its participants (its commander added here). */
function refOf(r: IncidentRow, participantIds: string[] = []): IncidentRef {
  const memberIds = r.commander_id ? [...participantIds, r.commander_id] : participantIds;
  return {
    id: r.id,
    key: r.key,
    title: r.title,
    titleI18n: localizedOf(r.title_i18n),
    status: r.status as Status,
    restricted: r.restricted === 1,
    audience: { restricted: r.restricted === 1, memberIds: [...new Set(memberIds)] },
  };
}
