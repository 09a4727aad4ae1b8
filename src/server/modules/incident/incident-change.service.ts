/** Changing an incident: editing its fields (title, grade, impact, services, commander, need-to-know) and moving it through the lifecycle. */
import { canTransition, ENDED_STATUSES, GRADE_SEVERITY, type Status } from '../../../shared/enums.js';
import type { Incident, IncidentUpdate } from '../../../shared/incident-schemas.js';
import { conflict } from '../../platform/errors.js';
import { actorOf, assertCan, type Principal } from '../auth/index.js';
import type { IncidentCore, IncidentDeps } from './incident-core.js';
import type { IncidentChange } from './incident-events.js';
import { auditView, localizedOf, toIncident } from './incident.mapper.js';
import { assertMayNameCommander, assertMayRestrict } from './incident.policy.js';
import { findByKey, setIncidentServices, updateIncident, type IncidentRow } from './incident.repository.js';
import { insertTimelineEntry } from './timeline.repository.js';

const MILESTONE: Partial<Record<Status, keyof IncidentRow>> = {
  acknowledged: 'acknowledged_at',
  contained: 'contained_at',
  eradicated: 'eradicated_at',
  recovered: 'recovered_at',
  closed: 'closed_at',
  false_positive: 'false_positive_at',
};

export function changeUseCases(deps: IncidentDeps, core: IncidentCore) {
  const { audit } = deps;
  const { change, serviceIds, assertActiveUser, setCommander } = core;
  return {
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
        const changes: IncidentChange[] = [];
        if (before.grade !== after.grade) changes.push('grade');
        if (before.category !== after.category) changes.push('category');
        const serviceKeys = (i: Incident) => i.services.map((s) => s.key).join(',');
        if (serviceKeys(before) !== serviceKeys(after)) changes.push('services');
        if (changes.length) await deps.events?.publish(tx, 'incident.changed', { incidentId: row.id, key, changes });
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

    /**
     * The customers-affected figure from an affected-customer set (scoping): the caller holds
     * scoping.manage; audited, on the timeline and streamed like an edit. No change when it is already so.
     */
    setCustomersAffected(p: Principal, key: string, count: number, from: string): Promise<Incident> {
      assertCan(p, 'scoping.manage');
      return change(p, key, async (tx, row, before, now) => {
        if (row.customers_affected === count) return;
        await updateIncident(tx, row.id, { customers_affected: count, updated_at: now, version: row.version + 1 });
        await insertTimelineEntry(tx, {
          incidentId: row.id,
          at: now,
          actorId: p.user.id,
          kind: 'system',
          text: `Customers affected ${row.customers_affected ?? '-'} → ${count} (affected-customer set ${from})`,
          data: { event: 'customers_affected', from: row.customers_affected, to: count, set: from },
        });
        const after = await toIncident(tx, (await findByKey(tx, key))!);
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
        const reopen = ENDED_STATUSES.includes(from);
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
  };
}
