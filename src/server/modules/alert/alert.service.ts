/** Alert use cases: raise (intake), read with need-to-know, acknowledge, mark false positive, link to an incident. */
import { alertsOfIncident } from './incident-alerts.repository.js';
import type { AlertLevel, AlertStatus } from '../../../shared/enums.js';
import type { Alert, AlertDetail, EntityRef } from '../../../shared/alert-schemas.js';
import type { Db } from '../../platform/db/types.js';
import { cursorCodec } from '../../platform/cursor.js';
import { conflict, invalid, notFound } from '../../platform/errors.js';
import { actorOf, assertCan, type Principal } from '../auth/index.js';
import { canSee, type IncidentRef } from '../incident/index.js';
import { alertAudience, toAlert, toAlertEvent } from './alert.mapper.js';
import {
  findAlert,
  listAlertEvents,
  listAlerts,
  updateAlert,
  type AlertFilter,
  type AlertView,
} from './alert.repository.js';
import { titlePair } from './detection-text.js';
import { entityMatcher, normalizeEntityRef } from './entities.js';
import { createIntake, type IntakeDeps, type IntakeOptions } from './intake.service.js';
import { writeSuppression } from './suppression.service.js';
import { accountsNamedInAlerts, incidentAlertFacts, incidentEvents, type FactsChoice } from './incident-alerts.js';

export interface AlertListQuery {
  status?: AlertStatus | 'active';
  level?: AlertLevel;
  rule?: string;
  incident?: string;
  q?: string;
  limit: number;
  cursor?: string;
}

const cursor = cursorCodec(['int', 'id']);
const encodeCursor = (r: AlertView) => cursor.encode([r.last_seen, r.id]);
function decodeCursor(c: string): AlertFilter['after'] {
  const [lastSeen, id] = cursor.decode(c);
  return { lastSeen, id };
}

export function createAlertService(deps: IntakeDeps, options: IntakeOptions = {}) {
  const { store, audit, bus, clock, incidents } = deps;

  /** An alert the principal may see (not one of a restricted incident they are not part of), or 404. */
  async function loadVisible(db: Db, p: Principal, id: string): Promise<{ view: AlertView; ref: IncidentRef | null }> {
    const view = await findAlert(db, id);
    if (!view) throw notFound(`alert ${id}`, { code: 'alert.not_found', params: { id } });
    const ref = view.incident_id
      ? ((await incidents.refs(db, [view.incident_id])).get(view.incident_id) ?? null)
      : null;
    if (ref && !canSee(p, ref.audience)) throw notFound(`alert ${id}`, { code: 'alert.not_found', params: { id } });
    return { view, ref };
  }

  /** Commits `work` on a visible alert, then publishes the alert as it is afterwards (and any timeline entries). */
  async function change(
    p: Principal,
    id: string,
    work: (tx: Db, view: AlertView, now: number) => Promise<(() => void)[]>,
  ): Promise<Alert> {
    const { alert, ref, publishers } = await store.transaction(async (tx) => {
      const { view } = await loadVisible(tx, p, id);
      const publishers = await work(tx, view, clock.now());
      const { view: after, ref } = await loadVisible(tx, p, id);
      return { alert: toAlert(after), ref, publishers };
    });
    for (const publish of publishers) publish();
    bus.publish({
      event: 'alert.updated',
      incidentKey: alert.incident?.key ?? null,
      alert,
      audience: alertAudience(ref?.audience ?? null),
    });
    return alert;
  }

  const person = (p: Principal) => ({ id: p.user.id, name: p.user.name });

  return {
    /** Raises alerts for a batch of rule matches (the detection pipeline calls this). */
    raise: createIntake(deps, options),
    /** What the alerts of an incident say (for what reacts to incidents), in the caller's transaction when given one. */
    factsOfIncident: (incidentId: string, db: Db = store.db, choice?: FactsChoice) =>
      incidentAlertFacts(db, incidentId, choice),
    /** The rules and tags of an incident's alerts (the newest 500), for its ATT&CK techniques. */
    async ruleTagsOfIncident(db: Db, incidentId: string) {
      return (await alertsOfIncident(db, incidentId)).map((a) => ({
        alertId: a.id,
        ruleId: a.rule_id,
        ruleTitle: a.rule_title,
        tags: JSON.parse(a.tags) as string[],
      }));
    },
    /** The accounts an incident's alerts name (as the events wrote them), each with the alerts that name it. */
    accountsNamedIn: (db: Db, incidentId: string) => accountsNamedInAlerts(db, incidentId),
    /** The kept events of an incident's alerts, whole ones parsed (IOC extraction), at most `limit`. */
    eventsOfIncident: (db: Db, incidentId: string, limit: number) => incidentEvents(db, incidentId, limit),

    async list(p: Principal, q: AlertListQuery): Promise<{ items: Alert[]; next: string | null }> {
      assertCan(p, 'alert.read');
      let incidentId: string | undefined;
      if (q.incident) incidentId = (await incidents.loadVisible(store.db, p, q.incident)).id;
      const filter: AlertFilter = {
        status: q.status === 'active' ? ['open', 'acknowledged'] : q.status ? [q.status] : undefined,
        level: q.level,
        ruleId: q.rule,
        incidentId,
        q: q.q?.trim() || undefined,
        viewerId: p.user.role === 'admin' ? undefined : p.user.id,
        after: q.cursor ? decodeCursor(q.cursor) : undefined,
      };
      const rows = await listAlerts(store.db, filter, q.limit + 1);
      const page = rows.slice(0, q.limit);
      return { items: page.map(toAlert), next: rows.length > q.limit ? encodeCursor(page[page.length - 1]!) : null };
    },

    /** The alerts of one incident (404 for a restricted incident the principal is not part of). */
    async listForIncident(
      p: Principal,
      key: string,
      cursor: string | undefined,
      limit: number,
    ): Promise<{ items: Alert[]; next: string | null }> {
      assertCan(p, 'alert.read');
      const incident = await incidents.loadVisible(store.db, p, key);
      const rows = await listAlerts(
        store.db,
        { incidentId: incident.id, after: cursor ? decodeCursor(cursor) : undefined },
        limit + 1,
      );
      const page = rows.slice(0, limit);
      return { items: page.map(toAlert), next: rows.length > limit ? encodeCursor(page[page.length - 1]!) : null };
    },

    async get(p: Principal, id: string): Promise<AlertDetail> {
      assertCan(p, 'alert.read');
      const { view } = await loadVisible(store.db, p, id);
      const events = await listAlertEvents(store.db, id);
      return { ...toAlert(view), events: events.map(toAlertEvent) };
    },

    acknowledge(p: Principal, id: string): Promise<Alert> {
      assertCan(p, 'alert.manage');
      return change(p, id, async (tx, view, now) => {
        if (view.status !== 'open')
          throw conflict(`alert ${id} is ${view.status}; only an open alert can be acknowledged`, {
            code: 'alert.not_open',
            params: { status: view.status },
          });
        await updateAlert(tx, id, {
          status: 'acknowledged',
          acknowledged_by: p.user.id,
          acknowledged_at: now,
          updated_at: now,
        });
        await audit.append(tx, actorOf(p), {
          action: 'alert.acknowledge',
          targetType: 'alert',
          targetId: id,
          before: { status: view.status },
          after: { status: 'acknowledged' },
          incidents: [view.incident_id],
        });
        return [];
      });
    },

    /** Marks an alert false positive with a reason; optionally suppresses the rule's future alerts (for one of its entities, or for any). */
    markFalsePositive(
      p: Principal,
      id: string,
      input: { reason: string; suppress?: { entity: EntityRef | null; expiresAt?: string } },
    ): Promise<Alert> {
      assertCan(p, 'alert.manage');
      return change(p, id, async (tx, view, now) => {
        if (view.status !== 'open' && view.status !== 'acknowledged')
          throw conflict(
            `alert ${id} is ${view.status}; only an open or acknowledged alert can be marked false positive`,
            { code: 'alert.not_active', params: { status: view.status } },
          );
        let suppressionId: string | null = null;
        if (input.suppress) {
          const entity = input.suppress.entity
            ? normalizeEntityRef(input.suppress.entity, 'suppress.entity.value')
            : null;
          if (entity && !entityMatcher(entity)(JSON.parse(view.entities))) {
            throw invalid(
              `${entity.kind} ${entity.value} is not one of this alert's entities`,
              [{ path: 'suppress.entity', message: "not one of the alert's entities", code: 'not_alert_entity' }],
              { code: 'alert.entity_not_in_alert', params: { kind: entity.kind, value: entity.value } },
            );
          }
          const expiresAt = input.suppress.expiresAt === undefined ? null : Date.parse(input.suppress.expiresAt);
          if (expiresAt !== null && expiresAt <= now)
            throw invalid(
              'suppress.expiresAt is not in the future',
              [{ path: 'suppress.expiresAt', message: 'must be in the future', code: 'not_in_future' }],
              { code: 'time.not_in_future', params: { field: 'suppress.expiresAt' } },
            );
          const s = await writeSuppression(tx, audit, p, now, {
            ruleId: view.rule_id,
            entity,
            reason: `False positive: ${input.reason}`,
            expiresAt,
            fromAlertId: id,
            incidentId: view.incident_id,
          });
          suppressionId = s.id;
        }
        await updateAlert(tx, id, {
          status: 'false_positive',
          fp_by: p.user.id,
          fp_at: now,
          fp_reason: input.reason,
          updated_at: now,
        });
        await audit.append(tx, actorOf(p), {
          action: 'alert.false_positive',
          targetType: 'alert',
          targetId: id,
          before: { status: view.status },
          after: { status: 'false_positive', reason: input.reason, suppressionId },
          incidents: [view.incident_id],
        });
        if (!view.incident_id) return [];
        const note = await incidents.noteAlerts(tx, view.incident_id, {
          actor: person(p),
          text: `Alert "${view.rule_title}" (alert ${id}) marked false positive: ${input.reason}${suppressionId ? ' (future alerts suppressed)' : ''}`,
          data: {
            event: 'alert_false_positive',
            alertId: id,
            ruleId: view.rule_id,
            ruleTitle: view.rule_title,
            ruleTitles: titlePair(view.rule_title, view.rule_title_zh),
            reason: input.reason,
            suppressionId,
          },
        });
        return [note.publish];
      });
    },

    /**
     * Links an alert to an incident the principal can see (or unlinks it with null); both timelines say
     * so. A restricted incident is not named on the other one's timeline: the source of an alert moved
     * into a restricted incident says only that (no key, rule or alert), and an alert moved out of one
     * arrives "from a restricted incident".
     */
    link(p: Principal, id: string, incidentKey: string | null): Promise<Alert> {
      assertCan(p, 'alert.manage');
      return change(p, id, async (tx, view, now) => {
        const target = incidentKey ? await incidents.loadVisible(tx, p, incidentKey) : null;
        if ((target?.id ?? null) === view.incident_id) return [];
        const source = view.incident_id
          ? ((await incidents.refs(tx, [view.incident_id])).get(view.incident_id) ?? null)
          : null;
        const from = view.incident_key;
        await updateAlert(tx, id, { incident_id: target?.id ?? null, updated_at: now });
        await audit.append(tx, actorOf(p), {
          action: 'alert.link',
          targetType: 'alert',
          targetId: id,
          before: { incident: from },
          after: { incident: target?.key ?? null },
          incidents: [view.incident_id, target?.id],
        });
        const publishers: (() => void)[] = [];
        const what = {
          alertId: id,
          ruleId: view.rule_id,
          ruleTitle: view.rule_title,
          ruleTitles: titlePair(view.rule_title, view.rule_title_zh),
          level: view.level,
        };
        if (view.incident_id) {
          const note = target?.restricted
            ? await incidents.noteAlerts(tx, view.incident_id, {
                actor: person(p),
                text: 'An alert moved to a restricted incident',
                data: { event: 'alert_moved_restricted' },
              })
            : await incidents.noteAlerts(tx, view.incident_id, {
                actor: person(p),
                text: `Alert "${view.rule_title}" (alert ${id}) moved ${target ? `to ${target.key}` : 'out of this incident'}`,
                data: { event: 'alert_unlinked', ...what, to: target?.key ?? null },
              });
          publishers.push(note.publish);
        }
        if (target) {
          const note = source?.restricted
            ? await incidents.noteAlerts(tx, target.id, {
                actor: person(p),
                text: `Alert "${view.rule_title}" (${view.level}, alert ${id}) linked from a restricted incident`,
                data: { event: 'alert_linked', ...what, from: null, fromRestricted: true },
                joined: true,
              })
            : await incidents.noteAlerts(tx, target.id, {
                actor: person(p),
                text: `Alert "${view.rule_title}" (${view.level}, alert ${id}) linked${from ? ` from ${from}` : ''}`,
                data: { event: 'alert_linked', ...what, from },
                joined: true,
              });
          publishers.push(note.publish);
        }
        return publishers;
      });
    },
  };
}

export type AlertService = ReturnType<typeof createAlertService>;
