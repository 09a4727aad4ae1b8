/**
 * Reminders and escalation of action items (docs/reviews.md): `TOCSIN_ACTION_ITEM_REMIND_DAYS` before the
 * due date the owner is reminded; once it is overdue the item escalates — the owner, the commander of the
 * item's incident (else the administrators) are paged. Pages go through the paging module (a page belongs
 * to an incident, idempotent by key); an item of no incident is reminded and escalated on its history and
 * in the audit log only (the console lists it as overdue). Each point fires once per item and due date
 * (`reminded` on the row); a moved due date fires its points again. Run by the run-once scheduler
 * `action-item-reminders` (serve-worker.ts) on the server's clock; tests call `sweep()`.
 */
import { afterCommit, type Store } from '../../platform/db/connect.js';
import type { Db } from '../../platform/db/types.js';
import { type Clock, iso, newId } from '../../platform/ids.js';
import { formatZoned } from '../../platform/zoned-time.js';
import type { AuditService } from '../audit/index.js';
import type { IncidentService } from '../incident/index.js';
import type { UserService } from '../user/index.js';
import {
  type ActionItemRow,
  actionItemById,
  activeDueBefore,
  insertActionItemEvent,
  updateActionItem,
} from './action-item.repository.js';

/** How reminders page people (the paging module's page). */
export interface ItemPager {
  page(
    tx: Db,
    req: { incidentId: string; reason: string; userIds: string[]; key: string },
  ): Promise<{ pageId: string; publish: () => void }>;
}

const SWEEP_LIMIT = 1000;
const ACTOR = { id: null, label: 'system (action items)' };
const ENDED = ['done', 'accepted_risk', 'cancelled'];

export function createActionItemReminders(deps: {
  store: Store;
  clock: Clock;
  audit: AuditService;
  incidents: IncidentService;
  users: UserService;
  pager: ItemPager;
  /** How long before the due date the owner is reminded. */
  remindBeforeMs: number;
  timeZone?: string;
}) {
  const { store, clock, audit, incidents, users, pager } = deps;
  const at = (ms: number) => formatZoned(ms, deps.timeZone ?? 'Asia/Shanghai');

  /** Who hears of an overdue item: its owner, and the incident's commander, else the administrators. */
  async function escalationTargets(tx: Db, row: ActionItemRow): Promise<string[]> {
    const commander = row.incident_id ? (await incidents.current(tx, row.incident_id)).commander?.id : undefined;
    const above = commander ? [commander] : await users.activeIdsWithRole('admin', tx);
    return [...new Set([row.owner_id, ...above])];
  }

  async function fire(tx: Db, id: string, now: number): Promise<'reminded' | 'escalated' | null> {
    const row = await actionItemById(tx, id);
    if (!row || ENDED.includes(row.status)) return null;
    const due = Number(row.due_at);
    const fired = new Set(JSON.parse(row.reminded) as string[]);
    const reached = [
      ...(now >= due - deps.remindBeforeMs ? ['before'] : []),
      ...(now >= due ? ['overdue'] : []),
    ].filter((p) => !fired.has(`${p}@${due}`));
    if (!reached.length) return null;
    const point = reached[reached.length - 1] as 'before' | 'overdue';
    for (const p of reached) fired.add(`${p}@${due}`);
    const people = point === 'overdue' ? await escalationTargets(tx, row) : [row.owner_id];
    const reason =
      point === 'overdue'
        ? `整改事项已逾期（截止 ${at(due)}）：${row.title} / Action item overdue (due ${at(due)}): ${row.title}`
        : `整改事项即将到期（截止 ${at(due)}）：${row.title} / Action item due ${at(due)}: ${row.title}`;
    let pageId: string | null = null;
    if (row.incident_id) {
      const r = await pager.page(tx, {
        incidentId: row.incident_id,
        reason,
        userIds: people,
        key: `action-item:${row.id}:${point}:${due}`,
      });
      afterCommit(tx, r.publish);
      pageId = r.pageId;
    }
    await updateActionItem(tx, row.id, {
      reminded: JSON.stringify([...fired]),
      ...(point === 'overdue' ? { escalated_at: now } : {}),
    });
    const kind = point === 'overdue' ? 'escalated' : 'reminded';
    const data = { point, dueAt: iso(due), people, pageId };
    await insertActionItemEvent(tx, {
      id: newId(),
      item_id: row.id,
      at: now,
      actor_id: null,
      kind,
      data: JSON.stringify(data),
    });
    await audit.append(tx, ACTOR, {
      action: point === 'overdue' ? 'action_item.escalate' : 'action_item.remind',
      targetType: 'action_item',
      targetId: row.id,
      after: data,
      incidents: row.incident_id ? [row.incident_id] : [],
    });
    return kind;
  }

  return {
    /** Fires the reminders and escalations reached at the clock's now; counts of each, and failures. */
    async sweep(onError?: (err: unknown) => void): Promise<{ reminded: number; escalated: number; failed: number }> {
      const now = clock.now();
      const out = { reminded: 0, escalated: 0, failed: 0 };
      for (const r of await activeDueBefore(store.db, now + deps.remindBeforeMs + 1, SWEEP_LIMIT)) {
        try {
          const done = await store.transaction((tx) => fire(tx, r.id, now));
          if (done) out[done]++;
        } catch (err) {
          out.failed++;
          onError?.(err);
        }
      }
      return out;
    },
  };
}
