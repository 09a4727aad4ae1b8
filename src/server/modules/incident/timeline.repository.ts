/** SQL for timeline entries and tasks. */
import type { Db, TasksTable, TimelineEntriesTable } from '../../platform/db/types.js';
import { newId } from '../../platform/ids.js';
import { nextTimelineSeq } from './incident.repository.js';
import { sendWrite } from '../../platform/db/pipeline.js';

export type TimelineRow = TimelineEntriesTable;
export type TaskRow = TasksTable;

/** Appends one entry; entries are never updated or deleted. */
export async function insertTimelineEntry(
  db: Db,
  e: {
    incidentId: string;
    at: number;
    actorId: string | null;
    kind: string;
    text: string;
    correctsId?: string | null;
    data?: Record<string, unknown> | null;
    /** The entry's number when the caller knows it (the first entry of an incident it inserted with `timeline_seq` 1). */
    seq?: number;
  },
): Promise<TimelineRow> {
  const row: TimelineRow = {
    id: newId(),
    incident_id: e.incidentId,
    seq: e.seq ?? (await nextTimelineSeq(db, e.incidentId)),
    at: e.at,
    actor_id: e.actorId,
    kind: e.kind,
    text: e.text,
    corrects_id: e.correctsId ?? null,
    data: e.data ? JSON.stringify(e.data) : null,
  };
  await sendWrite(db, db.insertInto('timeline_entries').values(row));
  return row;
}

export const findTimelineEntry = (db: Db, incidentId: string, id: string) =>
  db
    .selectFrom('timeline_entries')
    .selectAll()
    .where('incident_id', '=', incidentId)
    .where('id', '=', id)
    .executeTakeFirst();

/** Oldest first, after sequence `afterSeq`. */
export const listTimeline = (db: Db, incidentId: string, afterSeq: number, limit: number) =>
  db
    .selectFrom('timeline_entries as t')
    .leftJoin('users as u', 'u.id', 't.actor_id')
    .selectAll('t')
    .select('u.name as actor_name')
    .where('t.incident_id', '=', incidentId)
    .where('t.seq', '>', afterSeq)
    .orderBy('t.seq')
    .limit(limit)
    .execute();

export async function insertTask(db: Db, row: TaskRow): Promise<void> {
  await db.insertInto('tasks').values(row).execute();
}

export async function updateTask(db: Db, id: string, patch: Partial<TaskRow>): Promise<void> {
  await db.updateTable('tasks').set(patch).where('id', '=', id).execute();
}

export const findTask = (db: Db, incidentId: string, id: string) =>
  db.selectFrom('tasks').selectAll().where('incident_id', '=', incidentId).where('id', '=', id).executeTakeFirst();

/** Tasks of an incident in creation order (UUIDv7 ids are time-ordered). */
export const listTasks = (db: Db, incidentId: string, afterId: string | undefined, limit: number) => {
  let q = db
    .selectFrom('tasks as t')
    .leftJoin('users as u', 'u.id', 't.owner_user_id')
    .selectAll('t')
    .select('u.name as owner_name')
    .where('t.incident_id', '=', incidentId);
  if (afterId) q = q.where('t.id', '>', afterId);
  return q.orderBy('t.id').limit(limit).execute();
};

/** The tasks plans created on an incident (activation, phase, state), for the plans' progress. */
export const planTasksOf = (db: Db, incidentId: string) =>
  db
    .selectFrom('tasks')
    .select(['activation_id', 'phase', 'status', 'due_at'])
    .where('incident_id', '=', incidentId)
    .where('activation_id', 'is not', null)
    .execute();
