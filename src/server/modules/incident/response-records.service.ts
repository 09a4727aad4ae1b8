/**
 * What the response modules (plan activation, actions, paging) write on an incident inside their own
 * transactions, as Tocsin itself or as a person: system timeline entries, the tasks a plan creates, and
 * the people a plan's roles bring in. Each returns `publish()` for the live consoles, to call after commit.
 */
import type { LocalizedText } from '../../../shared/api-schemas.js';
import type { ParticipantRole } from '../../../shared/enums.js';
import type { Incident, Task, TimelineEntry } from '../../../shared/incident-schemas.js';
import type { Db } from '../../platform/db/types.js';
import { notFound } from '../../platform/errors.js';
import { newId } from '../../platform/ids.js';
import type { Actor } from '../audit/index.js';
import type { IncidentDeps } from './incident-core.js';
import { audienceOf, toIncident } from './incident.mapper.js';
import { activeIncidentIds, findById, putParticipant, type IncidentRow } from './incident.repository.js';
import { toEntry, toTask } from './timeline.mapper.js';
import { insertTask, insertTimelineEntry, planTasksOf, type TaskRow } from './timeline.repository.js';

/** A task a plan's activation creates. */
export interface PlanTaskInput {
  activationId: string;
  step: string;
  phase: string;
  title: LocalizedText;
  checklist: LocalizedText[];
  dueAt: number;
  ownerUserId: string | null;
  ownerRole: ParticipantRole | null;
}

export function responseRecordUseCases(deps: IncidentDeps) {
  const { audit, bus, clock, users } = deps;

  async function rowOf(tx: Db, incidentId: string): Promise<IncidentRow> {
    const row = await findById(tx, incidentId);
    if (!row) throw notFound(`incident ${incidentId}`);
    return row;
  }

  return {
    /** The incident as it is now, for Tocsin's own reactions (no need-to-know check: never hand it to a person). */
    async current(db: Db, incidentId: string): Promise<Incident> {
      return toIncident(db, await rowOf(db, incidentId));
    },

    /** The incidents not ended (for re-evaluating what depends on firm-wide settings), at most `limit`. */
    activeIds: (db: Db, limit = 10_000): Promise<string[]> => activeIncidentIds(db, limit),

    /** The tasks plans created on the incident: activation, phase, status and due time of each. */
    async planTasks(db: Db, incidentId: string) {
      return (await planTasksOf(db, incidentId)).map((t) => ({
        activationId: t.activation_id!,
        phase: t.phase!,
        status: t.status,
        dueAt: t.due_at,
      }));
    },

    /** A system entry on the timeline (`actorId` null: Tocsin itself). */
    async recordOnTimeline(
      tx: Db,
      incidentId: string,
      e: { actorId?: string | null; text: string; data: Record<string, unknown> },
    ): Promise<{ entry: TimelineEntry; publish: () => void }> {
      const row = await rowOf(tx, incidentId);
      const inserted = await insertTimelineEntry(tx, {
        incidentId,
        at: clock.now(),
        actorId: e.actorId ?? null,
        kind: 'system',
        text: e.text,
        data: e.data,
      });
      const actorName = e.actorId ? ((await users.namesOf([e.actorId], tx)).get(e.actorId) ?? null) : null;
      const entry = toEntry({ ...inserted, actor_name: actorName }, row.key);
      const audience = audienceOf(await toIncident(tx, row));
      return {
        entry,
        publish: () => bus.publish({ event: 'timeline.appended', incidentKey: row.key, entry, audience }),
      };
    },

    /** Creates the tasks of a plan's activation, audited as `actor`. */
    async addPlanTasks(
      tx: Db,
      actor: Actor,
      incidentId: string,
      tasks: PlanTaskInput[],
    ): Promise<{ tasks: Task[]; publish: () => void }> {
      const row = await rowOf(tx, incidentId);
      const now = clock.now();
      const names = await users.namesOf(
        tasks.flatMap((t) => (t.ownerUserId ? [t.ownerUserId] : [])),
        tx,
      );
      const out: Task[] = [];
      for (const t of tasks) {
        const task: TaskRow = {
          id: newId(),
          incident_id: incidentId,
          title: t.title.en,
          owner_user_id: t.ownerUserId,
          owner_role: t.ownerRole,
          due_at: t.dueAt,
          status: 'open',
          created_by: actor.id,
          created_at: now,
          updated_at: now,
          completed_at: null,
          activation_id: t.activationId,
          plan_step: t.step,
          phase: t.phase,
          title_i18n: JSON.stringify(t.title),
          checklist: JSON.stringify(t.checklist),
        };
        await insertTask(tx, task);
        out.push(toTask({ ...task, owner_name: t.ownerUserId ? (names.get(t.ownerUserId) ?? null) : null }, row.key));
      }
      if (out.length)
        await audit.append(tx, actor, {
          action: 'task.create',
          targetType: 'incident',
          targetId: row.key,
          after: { activationId: tasks[0]!.activationId, tasks: tasks.map((t) => t.step) },
          incidents: [incidentId],
        });
      const audience = audienceOf(await toIncident(tx, row));
      return {
        tasks: out,
        publish: () => {
          for (const task of out) bus.publish({ event: 'task.changed', incidentKey: row.key, task, audience });
        },
      };
    },

    /** Brings a person in with a role (a plan's role filled from on-call); nothing when they hold it already. */
    async enlist(tx: Db, actor: Actor, incidentId: string, userId: string, role: ParticipantRole) {
      const row = await rowOf(tx, incidentId);
      const held = await putParticipant(tx, incidentId, userId, role, clock.now());
      if (held === role) return false;
      await audit.append(tx, actor, {
        action: 'incident.participant_add',
        targetType: 'incident',
        targetId: row.key,
        before: held ? { userId, role: held } : undefined,
        after: { userId, role },
        incidents: [incidentId],
      });
      return true;
    },
  };
}
