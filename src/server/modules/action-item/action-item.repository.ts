/** SQL of action items and their history. */
import type { ActionItemEventsTable, ActionItemsTable, Db } from '../../platform/db/types.js';
import { visibleTo } from '../incident/index.js';

export type ActionItemRow = ActionItemsTable;
export type ActionItemEventRow = ActionItemEventsTable;

const ENDED = ['done', 'accepted_risk', 'cancelled'];

export const actionItemById = (db: Db, id: string) =>
  db.selectFrom('action_items').selectAll().where('id', '=', id).executeTakeFirst();

export async function insertActionItem(db: Db, row: ActionItemRow): Promise<void> {
  await db.insertInto('action_items').values(row).execute();
}

export async function updateActionItem(
  db: Db,
  id: string,
  set: Partial<Omit<ActionItemRow, 'id' | 'created_at'>>,
): Promise<void> {
  await db.updateTable('action_items').set(set).where('id', '=', id).execute();
}

export async function insertActionItemEvent(db: Db, row: ActionItemEventRow): Promise<void> {
  await db.insertInto('action_item_events').values(row).execute();
}

export const eventsOfItem = (db: Db, itemId: string) =>
  db.selectFrom('action_item_events').selectAll().where('item_id', '=', itemId).orderBy('at').orderBy('id').execute();

export interface ItemFilter {
  /** null: an administrator (sees every incident's items). */
  viewer: string | null;
  status?: string;
  ownerId?: string;
  overdueAt?: number;
  sourceKind?: string;
  sourceId?: string;
  limit: number;
}

export function listActionItems(db: Db, f: ItemFilter) {
  let q = db.selectFrom('action_items as a').selectAll('a');
  if (f.viewer !== null) q = q.where(visibleTo(f.viewer, 'a.incident_id'));
  if (f.status === 'active') q = q.where('a.status', 'not in', ENDED);
  else if (f.status) q = q.where('a.status', '=', f.status);
  if (f.ownerId) q = q.where('a.owner_id', '=', f.ownerId);
  if (f.overdueAt !== undefined) q = q.where('a.status', 'not in', ENDED).where('a.due_at', '<', f.overdueAt);
  if (f.sourceKind) q = q.where('a.source_kind', '=', f.sourceKind);
  if (f.sourceId) q = q.where('a.source_id', '=', f.sourceId);
  return q.orderBy('a.due_at').orderBy('a.id').limit(f.limit).execute();
}

/** Items of a source (e.g. a review), every status. */
export const itemsOfSource = (db: Db, kind: string, id: string) =>
  db
    .selectFrom('action_items')
    .selectAll()
    .where('source_kind', '=', kind)
    .where('source_id', '=', id)
    .orderBy('due_at')
    .orderBy('id')
    .execute();

/** Items still being worked on, not escalated yet, due before `before` (the reminder sweep). */
export const activeDueBefore = (db: Db, before: number, limit: number) =>
  db
    .selectFrom('action_items')
    .select(['id'])
    .where('status', 'not in', ENDED)
    .where('escalated_at', 'is', null)
    .where('due_at', '<', before)
    .orderBy('due_at')
    .limit(limit)
    .execute();
