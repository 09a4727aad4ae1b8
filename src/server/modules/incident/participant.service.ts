/** Staffing an incident: one role per person (adding someone already on it changes their role); the commander is one of them. */
import type { ParticipantRole } from '../../../shared/enums.js';
import type { Incident } from '../../../shared/incident-schemas.js';
import { conflict, notFound } from '../../platform/errors.js';
import { actorOf, assertCan, type Principal } from '../auth/index.js';
import type { IncidentCore, IncidentDeps } from './incident-core.js';
import { putParticipant, removeParticipant, roleOf, updateIncident, type IncidentRow } from './incident.repository.js';
import { insertTimelineEntry } from './timeline.repository.js';

/** Add and remove participants. */
export function participantUseCases(deps: IncidentDeps, core: IncidentCore) {
  const { audit, users } = deps;
  const { change, setCommander, assertActiveUser } = core;
  return {
    /**
     * Gives a person a role on the incident. Someone already on it has their role changed (a person is
     * listed once); naming the commander replaces the previous one, who leaves the incident.
     */
    addParticipant(p: Principal, key: string, userId: string, role: ParticipantRole): Promise<Incident> {
      assertCan(p, 'incident.participants');
      return change(p, key, async (tx, row, _before, now) => {
        const user = await assertActiveUser(tx, userId, 'userId');
        const current = (await roleOf(tx, row.id, userId)) as ParticipantRole | undefined;
        if (current === role)
          throw conflict(`${user.name} already has the role ${role} on ${key}`, {
            code: 'incident.participant_exists',
            params: { role },
          });
        let held: string | undefined;
        if (role === 'incident_commander') {
          held = await setCommander(tx, row, userId, now);
        } else {
          if (row.commander_id === userId)
            throw conflict(
              `${user.name} is the commander of ${key}: name another commander before giving them another role`,
              { code: 'incident.commander_other_role' },
            );
          held = await putParticipant(tx, row.id, userId, role, now);
        }
        await updateIncident(tx, row.id, { commander_id: row.commander_id, updated_at: now, version: row.version + 1 });
        await insertTimelineEntry(
          tx,
          held
            ? {
                incidentId: row.id,
                at: now,
                actorId: p.user.id,
                kind: 'system',
                text: `${user.name} now acts as ${role} (was ${held})`,
                data: { event: 'participant_role_changed', userId, from: held, to: role },
              }
            : {
                incidentId: row.id,
                at: now,
                actorId: p.user.id,
                kind: 'system',
                text: `${user.name} joined as ${role}`,
                data: { event: 'participant_added', userId, role },
              },
        );
        await audit.append(tx, actorOf(p), {
          action: 'incident.participant_add',
          targetType: 'incident',
          targetId: key,
          before: held ? { userId, role: held } : undefined,
          after: { userId, role },
          incidents: [row.id],
        });
      });
    },

    removeParticipant(p: Principal, key: string, userId: string, role: ParticipantRole): Promise<Incident> {
      assertCan(p, 'incident.participants');
      return change(p, key, async (tx, row, _before, now) => {
        if (!(await removeParticipant(tx, row.id, userId, role)))
          throw notFound(`participant ${userId} with role ${role}`, {
            code: 'incident.participant_not_found',
            params: { role },
          });
        const set: Partial<IncidentRow> = { updated_at: now, version: row.version + 1 };
        if (role === 'incident_commander' && row.commander_id === userId) set.commander_id = null;
        await updateIncident(tx, row.id, set);
        const name = (await users.namesOf([userId], tx)).get(userId);
        await insertTimelineEntry(tx, {
          incidentId: row.id,
          at: now,
          actorId: p.user.id,
          kind: 'system',
          text: `${name ?? userId} left role ${role}`,
          data: { event: 'participant_removed', userId, role },
        });
        await audit.append(tx, actorOf(p), {
          action: 'incident.participant_remove',
          targetType: 'incident',
          targetId: key,
          before: { userId, role },
          incidents: [row.id],
        });
      });
    },
  };
}
