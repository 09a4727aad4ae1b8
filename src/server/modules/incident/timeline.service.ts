/** The incident timeline (append-only) and its task checklist. */
import type { ParticipantRole, TaskStatus } from '../../../shared/enums.js';
import type { Task, TimelineEntry } from '../../../shared/incident-schemas.js';
import type { Bus } from '../../platform/bus.js';
import type { Store } from '../../platform/db/connect.js';
import type { Db } from '../../platform/db/types.js';
import { invalid, notFound } from '../../platform/errors.js';
import { newId, type Clock } from '../../platform/ids.js';
import type { AuditService } from '../audit/index.js';
import { actorOf, assertCan, type Principal } from '../auth/index.js';
import type { UserService } from '../user/index.js';
import { audienceOf } from './incident.mapper.js';
import { toEntry, toTask } from './timeline.mapper.js';
import type { IncidentService } from './incident.service.js';
import {
  findTask,
  findTimelineEntry,
  insertTask,
  insertTimelineEntry,
  listTasks,
  listTimeline,
  updateTask,
  type TaskRow,
} from './timeline.repository.js';

const parseTime = (s: string | null | undefined) => (s == null ? null : Date.parse(s));

export function createTimelineService(deps: {
  store: Store;
  audit: AuditService;
  bus: Bus;
  clock: Clock;
  incidents: IncidentService;
  users: UserService;
}) {
  const { store, audit, bus, clock, incidents, users } = deps;

  async function ownerCheck(db: Db, userId: string | null | undefined): Promise<string | null> {
    if (!userId) return null;
    const u = await users.activeById(userId, db);
    if (!u)
      throw invalid(
        `user ${userId} does not exist or is disabled`,
        [{ path: 'ownerUserId', message: 'unknown or disabled user', code: 'unknown_user' }],
        { code: 'user.unknown_or_disabled', params: { id: userId } },
      );
    return u.name;
  }

  return {
    async list(p: Principal, key: string, afterSeq: number, limit: number) {
      assertCan(p, 'incident.read');
      const incident = await incidents.loadVisible(store.db, p, key);
      const rows = await listTimeline(store.db, incident.id, afterSeq, limit + 1);
      const page = rows.slice(0, limit);
      return {
        items: page.map((r) => toEntry(r, key)),
        next: rows.length > limit ? String(page[page.length - 1]!.seq) : null,
      };
    },

    /** Appends a human entry; a correction names the entry it corrects, which stays as it was. */
    async append(
      p: Principal,
      key: string,
      input: { text: string; kind: 'note' | 'decision' | 'correction'; correctsId?: string },
    ): Promise<TimelineEntry> {
      assertCan(p, 'timeline.write');
      if (input.kind === 'correction' && !input.correctsId)
        throw invalid(
          'a correction names the entry it corrects',
          [{ path: 'correctsId', message: 'required for a correction', code: 'required' }],
          { code: 'timeline.correction_target_missing' },
        );
      const { entry, audience } = await store.transaction(async (tx) => {
        const incident = await incidents.loadVisible(tx, p, key);
        if (input.correctsId && !(await findTimelineEntry(tx, incident.id, input.correctsId)))
          throw invalid(
            'the corrected entry is not in this timeline',
            [{ path: 'correctsId', message: 'unknown entry', code: 'unknown_entry' }],
            { code: 'timeline.correction_target_unknown' },
          );
        const inserted = await insertTimelineEntry(tx, {
          incidentId: incident.id,
          at: clock.now(),
          actorId: p.user.id,
          kind: input.kind,
          text: input.text,
          correctsId: input.correctsId ?? null,
        });
        await audit.append(tx, actorOf(p), {
          action: 'timeline.append',
          targetType: 'incident',
          targetId: key,
          after: {
            entryId: inserted.id,
            seq: inserted.seq,
            kind: inserted.kind,
            text: inserted.text,
            correctsId: inserted.corrects_id,
          },
          incidents: [incident.id],
        });
        return { entry: toEntry({ ...inserted, actor_name: p.user.name }, key), audience: audienceOf(incident) };
      });
      bus.publish({ event: 'timeline.appended', incidentKey: key, entry, audience });
      return entry;
    },

    async listTasks(p: Principal, key: string, cursor: string | undefined, limit: number) {
      assertCan(p, 'incident.read');
      const incident = await incidents.loadVisible(store.db, p, key);
      const rows = await listTasks(store.db, incident.id, cursor, limit + 1);
      const page = rows.slice(0, limit);
      return { items: page.map((r) => toTask(r, key)), next: rows.length > limit ? page[page.length - 1]!.id : null };
    },

    async createTask(
      p: Principal,
      key: string,
      input: { title: string; ownerUserId?: string; ownerRole?: ParticipantRole; dueAt?: string },
    ): Promise<Task> {
      assertCan(p, 'task.write');
      const { task, audience } = await store.transaction(async (tx) => {
        const incident = await incidents.loadVisible(tx, p, key);
        const ownerName = await ownerCheck(tx, input.ownerUserId);
        const now = clock.now();
        const row: TaskRow = {
          id: newId(),
          incident_id: incident.id,
          title: input.title,
          owner_user_id: input.ownerUserId ?? null,
          owner_role: input.ownerRole ?? null,
          due_at: parseTime(input.dueAt),
          status: 'open',
          created_by: p.user.id,
          created_at: now,
          updated_at: now,
          completed_at: null,
          activation_id: null,
          plan_step: null,
          phase: null,
          title_i18n: null,
          checklist: null,
        };
        await insertTask(tx, row);
        await audit.append(tx, actorOf(p), {
          action: 'task.create',
          targetType: 'task',
          targetId: row.id,
          after: {
            incident: key,
            title: row.title,
            owner: row.owner_user_id,
            ownerRole: row.owner_role,
            dueAt: row.due_at,
          },
          incidents: [incident.id],
        });
        return { task: toTask({ ...row, owner_name: ownerName }, key), audience: audienceOf(incident) };
      });
      bus.publish({ event: 'task.changed', incidentKey: key, task, audience });
      return task;
    },

    async updateTask(
      p: Principal,
      key: string,
      id: string,
      input: {
        title?: string;
        ownerUserId?: string | null;
        ownerRole?: ParticipantRole | null;
        dueAt?: string | null;
        status?: TaskStatus;
      },
    ): Promise<Task> {
      assertCan(p, 'task.write');
      const { task, audience, entry } = await store.transaction(async (tx) => {
        const incident = await incidents.loadVisible(tx, p, key);
        const before = await findTask(tx, incident.id, id);
        if (!before) throw notFound(`task ${id}`, { code: 'task.not_found', params: { id } });
        const now = clock.now();
        const set: Partial<TaskRow> = { updated_at: now };
        if (input.title !== undefined) set.title = input.title;
        if (input.ownerUserId !== undefined) {
          await ownerCheck(tx, input.ownerUserId);
          set.owner_user_id = input.ownerUserId;
        }
        if (input.ownerRole !== undefined) set.owner_role = input.ownerRole;
        if (input.dueAt !== undefined) set.due_at = parseTime(input.dueAt);
        if (input.status !== undefined && input.status !== before.status) {
          set.status = input.status;
          set.completed_at = input.status === 'done' ? now : null;
        }
        await updateTask(tx, id, set);
        const after = { ...before, ...set };
        let entry: TimelineEntry | null = null;
        if (set.status) {
          const inserted = await insertTimelineEntry(tx, {
            incidentId: incident.id,
            at: now,
            actorId: p.user.id,
            kind: 'system',
            text: `Task "${after.title}" ${before.status} → ${after.status}`,
            data: { event: 'task_status', taskId: id, from: before.status, to: after.status },
          });
          entry = toEntry({ ...inserted, actor_name: p.user.name }, key);
        }
        await audit.append(tx, actorOf(p), {
          action: 'task.update',
          targetType: 'task',
          targetId: id,
          before: {
            title: before.title,
            owner: before.owner_user_id,
            ownerRole: before.owner_role,
            dueAt: before.due_at,
            status: before.status,
          },
          after: {
            title: after.title,
            owner: after.owner_user_id,
            ownerRole: after.owner_role,
            dueAt: after.due_at,
            status: after.status,
          },
          incidents: [incident.id],
        });
        const ownerName = after.owner_user_id
          ? ((await users.namesOf([after.owner_user_id], tx)).get(after.owner_user_id) ?? null)
          : null;
        return { task: toTask({ ...after, owner_name: ownerName }, key), audience: audienceOf(incident), entry };
      });
      bus.publish({ event: 'task.changed', incidentKey: key, task, audience });
      if (entry) bus.publish({ event: 'timeline.appended', incidentKey: key, entry, audience });
      return task;
    },
  };
}

export type TimelineService = ReturnType<typeof createTimelineService>;
