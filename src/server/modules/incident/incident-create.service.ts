/** Declaring an incident by hand: numbered, with its services, commander and first timeline entry. */
import { GRADE_SEVERITY } from '../../../shared/enums.js';
import type { Incident, IncidentCreate } from '../../../shared/incident-schemas.js';
import { invalid } from '../../platform/errors.js';
import { actorOf, assertCan, type Principal } from '../auth/index.js';
import { newIncidentRow, type IncidentCore, type IncidentDeps } from './incident-core.js';
import { audienceOf, auditView, toIncident } from './incident.mapper.js';
import { assertMayNameCommander } from './incident.policy.js';
import { insertIncident, putParticipant, setIncidentServices, updateIncident } from './incident.repository.js';
import { insertTimelineEntry } from './timeline.repository.js';

export function createUseCases(deps: IncidentDeps, core: IncidentCore) {
  const { store, audit, bus, clock } = deps;
  const { serviceIds, assertActiveUser, setCommander } = core;
  return {
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
          drill: input.drill ? 1 : 0,
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
        await deps.events?.publish(tx, 'incident.declared', { incidentId: row.id, key: row.key });
        await deps.onChanged?.(tx, row.id, row);
        return incident;
      });
      bus.publish({ event: 'incident.created', incidentKey: incident.key, incident, audience: audienceOf(incident) });
      return incident;
    },
  };
}
