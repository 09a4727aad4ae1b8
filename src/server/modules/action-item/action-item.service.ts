/**
 * Action items (issue 16, docs/reviews.md): generic — a review, a drill or the risk register creates them
 * (`createIn` inside its own transaction) and the API creates free-standing ones. Listed with filters
 * (status, owner, overdue, source), edited, moved through open → in_progress → done | accepted_risk |
 * cancelled (and back to open); accepting a risk or cancelling needs a reason; every change is a history
 * entry and an audit entry. An item of a restricted incident is seen by that incident's people only.
 */
import {
  ACTION_ITEM_ENDED,
  ACTION_ITEM_TRANSITIONS,
  type ActionItem,
  type ActionItemCreate,
  type ActionItemCreateBody,
  type ActionItemDetail,
  type ActionItemListQuery,
  type ActionItemStatus,
  type ActionItemTransition,
  type ActionItemUpdate,
} from '../../../shared/action-item-schemas.js';
import type { Store } from '../../platform/db/connect.js';
import type { Db } from '../../platform/db/types.js';
import { conflict, forbidden, invalid, notFound } from '../../platform/errors.js';
import { type Clock, iso, newId } from '../../platform/ids.js';
import type { Actor, AuditService } from '../audit/index.js';
import { actorOf, assertCan, can, type Principal } from '../auth/index.js';
import { canSee, type IncidentService } from '../incident/index.js';
import type { UserService } from '../user/index.js';
import {
  type ActionItemRow,
  actionItemById,
  eventsOfItem,
  insertActionItem,
  insertActionItemEvent,
  itemsOfSource,
  listActionItems,
  updateActionItem,
} from './action-item.repository.js';

export interface ActionItemDeps {
  store: Store;
  audit: AuditService;
  clock: Clock;
  incidents: IncidentService;
  users: UserService;
}

/** Where a new item comes from (set by the module that creates it). */
export interface ItemOrigin {
  kind: 'review' | 'drill' | 'risk' | 'none';
  id: string | null;
  incidentId: string | null;
}

const parse = (text: string): Record<string, unknown> => {
  try {
    return JSON.parse(text) as Record<string, unknown>;
  } catch {
    return {};
  }
};

export function createActionItemService(deps: ActionItemDeps) {
  const { store, audit, clock, incidents, users } = deps;

  async function views(db: Db, rows: ActionItemRow[]): Promise<ActionItem[]> {
    const names = await users.namesOf(
      rows.flatMap((r) => [r.owner_id, r.accepted_by]).filter((x): x is string => !!x),
      db,
    );
    const refs = await incidents.refs(
      db,
      rows.map((r) => r.incident_id).filter((x): x is string => !!x),
    );
    const now = clock.now();
    return rows.map((r) => ({
      id: r.id,
      title: r.title,
      description: r.description,
      owner: { id: r.owner_id, name: names.get(r.owner_id) ?? '' },
      dueAt: iso(Number(r.due_at)),
      priority: r.priority as ActionItem['priority'],
      status: r.status as ActionItemStatus,
      reason: r.status_reason,
      acceptedBy: r.accepted_by ? { id: r.accepted_by, name: names.get(r.accepted_by) ?? '' } : null,
      acceptedAt: iso(r.accepted_at === null ? null : Number(r.accepted_at)),
      closedAt: iso(r.closed_at === null ? null : Number(r.closed_at)),
      overdue: !ACTION_ITEM_ENDED.includes(r.status as ActionItemStatus) && Number(r.due_at) < now,
      escalatedAt: iso(r.escalated_at === null ? null : Number(r.escalated_at)),
      source: { kind: r.source_kind as ActionItem['source']['kind'], id: r.source_id },
      treats: r.treats_kind && r.treats_id ? { kind: r.treats_kind as 'risk', id: r.treats_id } : null,
      incidentKey: r.incident_id ? (refs.get(r.incident_id)?.key ?? null) : null,
      createdAt: iso(Number(r.created_at)),
      updatedAt: iso(Number(r.updated_at)),
      version: Number(r.version),
    }));
  }

  /** The item, when the principal may see its incident; 404 otherwise. */
  async function loadVisible(db: Db, p: Principal, id: string): Promise<ActionItemRow> {
    const row = await actionItemById(db, id);
    const missing = notFound(`action item ${id}`, { code: 'action_item.not_found', params: { id } });
    if (!row) throw missing;
    if (row.incident_id) {
      const ref = (await incidents.refs(db, [row.incident_id])).get(row.incident_id);
      if (ref && !canSee(p, ref.audience)) throw missing;
    }
    return row;
  }

  async function assertOwner(db: Db, ownerId: string, path: string) {
    if (!(await users.activeById(ownerId, db)))
      throw invalid(
        `user ${ownerId} does not exist or is disabled`,
        [{ path, message: 'unknown or disabled user', code: 'unknown_user' }],
        { code: 'user.unknown_or_disabled', params: { id: ownerId } },
      );
  }

  async function history(db: Db, row: ActionItemRow, actorId: string | null, kind: string, data: object) {
    await insertActionItemEvent(db, {
      id: newId(),
      item_id: row.id,
      at: clock.now(),
      actor_id: actorId,
      kind,
      data: JSON.stringify(data),
    });
  }

  const auditOf = (row: ActionItemRow, action: Parameters<AuditService['append']>[2]['action']) => ({
    action,
    targetType: 'action_item' as const,
    targetId: row.id,
    incidents: row.incident_id ? [row.incident_id] : [],
  });

  /** Creates an item inside the caller's transaction (a review's, a drill's, the API's). */
  async function createIn(tx: Db, actor: Actor, input: ActionItemCreate, origin: ItemOrigin): Promise<ActionItemRow> {
    await assertOwner(tx, input.ownerId, 'ownerId');
    const now = clock.now();
    const row: ActionItemRow = {
      id: newId(),
      title: input.title,
      description: input.description ?? '',
      owner_id: input.ownerId,
      due_at: Date.parse(input.dueAt),
      priority: input.priority ?? 'p3',
      status: 'open',
      status_reason: null,
      accepted_by: null,
      accepted_at: null,
      closed_at: null,
      source_kind: origin.kind,
      source_id: origin.id,
      treats_kind: input.treats?.kind ?? null,
      treats_id: input.treats?.id ?? null,
      incident_id: origin.incidentId,
      reminded: '[]',
      escalated_at: null,
      created_by: actor.id,
      created_at: now,
      updated_at: now,
      version: 1,
    };
    await insertActionItem(tx, row);
    const after = {
      title: row.title,
      ownerId: row.owner_id,
      dueAt: input.dueAt,
      priority: row.priority,
      source: { kind: origin.kind, id: origin.id },
      treats: input.treats ?? null,
    };
    await history(tx, row, actor.id, 'created', after);
    await audit.append(tx, actor, { ...auditOf(row, 'action_item.create'), after });
    return row;
  }

  async function detail(db: Db, row: ActionItemRow): Promise<ActionItemDetail> {
    const [view] = await views(db, [row]);
    const events = await eventsOfItem(db, row.id);
    const names = await users.namesOf(
      events.map((e) => e.actor_id).filter((x): x is string => !!x),
      db,
    );
    return {
      ...view!,
      history: events.map((e) => ({
        at: iso(Number(e.at)),
        actor: e.actor_id ? { id: e.actor_id, name: names.get(e.actor_id) ?? '' } : null,
        kind: e.kind as ActionItemDetail['history'][number]['kind'],
        data: parse(e.data),
      })),
    };
  }

  async function change(
    p: Principal,
    id: string,
    fn: (tx: Db, row: ActionItemRow, now: number) => Promise<void>,
  ): Promise<ActionItemDetail> {
    await store.transaction(async (tx) => fn(tx, await loadVisible(tx, p, id), clock.now()));
    return detail(store.db, (await actionItemById(store.db, id))!);
  }

  return {
    createIn,
    views,
    /** Items of a source (a review's), every status. */
    ofSource: (db: Db, kind: string, id: string) => itemsOfSource(db, kind, id),

    async list(p: Principal, q: ActionItemListQuery): Promise<{ items: ActionItem[] }> {
      assertCan(p, 'action_item.read');
      const rows = await listActionItems(store.db, {
        viewer: p.user.role === 'admin' ? null : p.user.id,
        status: q.status,
        ownerId: q.owner === 'me' ? p.user.id : q.owner,
        overdueAt: q.overdue ? clock.now() : undefined,
        sourceKind: q.source,
        sourceId: q.sourceId,
        limit: q.limit,
      });
      return { items: await views(store.db, rows) };
    },

    async get(p: Principal, id: string): Promise<ActionItemDetail> {
      assertCan(p, 'action_item.read');
      return detail(store.db, await loadVisible(store.db, p, id));
    },

    /** A free-standing item (or one a drill or risk names); a review's items are created through the review. */
    async create(p: Principal, body: ActionItemCreateBody): Promise<ActionItemDetail> {
      assertCan(p, 'action_item.write');
      if (body.source.kind === 'review')
        throw invalid('a review adds its action items itself: POST /api/v1/incidents/KEY/review/action-items', [
          { path: 'source.kind', message: 'created through the review', code: 'custom' },
        ]);
      const row = await store.transaction((tx) =>
        createIn(tx, actorOf(p), body, { kind: body.source.kind, id: body.source.id ?? null, incidentId: null }),
      );
      return detail(store.db, row);
    },

    update(p: Principal, id: string, input: ActionItemUpdate): Promise<ActionItemDetail> {
      assertCan(p, 'action_item.write');
      return change(p, id, async (tx, row, now) => {
        if (input.version !== undefined && input.version !== Number(row.version))
          throw conflict(`the action item is at version ${row.version}, not ${input.version}: reload it`, {
            code: 'action_item.stale_version',
            params: { version: Number(row.version) },
          });
        if (input.ownerId) await assertOwner(tx, input.ownerId, 'ownerId');
        const set: Partial<ActionItemRow> = {};
        const before: Record<string, unknown> = {};
        const after: Record<string, unknown> = {};
        const put = <K extends keyof ActionItemRow>(
          field: string,
          col: K,
          value: ActionItemRow[K],
          shown?: unknown,
        ) => {
          if (value === row[col]) return;
          before[field] = col === 'due_at' ? iso(Number(row[col])) : row[col];
          after[field] = shown ?? value;
          set[col] = value;
        };
        if (input.title !== undefined) put('title', 'title', input.title);
        if (input.description !== undefined) put('description', 'description', input.description);
        if (input.ownerId !== undefined) put('ownerId', 'owner_id', input.ownerId);
        if (input.dueAt !== undefined) {
          put('dueAt', 'due_at', Date.parse(input.dueAt), input.dueAt);
          // A new due date gets its own reminders and escalation.
          if (set.due_at !== undefined) set.escalated_at = null;
        }
        if (input.priority !== undefined) put('priority', 'priority', input.priority);
        if (input.treats !== undefined) {
          put('treats', 'treats_kind', input.treats?.kind ?? null, input.treats);
          set.treats_id = input.treats?.id ?? null;
        }
        if (!Object.keys(after).length) return;
        await updateActionItem(tx, row.id, { ...set, updated_at: now, version: Number(row.version) + 1 });
        await history(tx, row, p.user.id, 'updated', { before, after });
        await audit.append(tx, actorOf(p), { ...auditOf(row, 'action_item.update'), before, after });
      });
    },

    transition(p: Principal, id: string, t: ActionItemTransition): Promise<ActionItemDetail> {
      assertCan(p, 'action_item.write');
      return change(p, id, async (tx, row, now) => {
        const from = row.status as ActionItemStatus;
        if (!ACTION_ITEM_TRANSITIONS[from].includes(t.to))
          throw conflict(`an action item cannot go from ${from} to ${t.to}`, {
            code: 'action_item.transition_not_allowed',
            params: { from, to: t.to },
          });
        const reason = t.reason?.trim() || null;
        if ((t.to === 'accepted_risk' || t.to === 'cancelled') && !reason)
          throw invalid(`say why the item is ${t.to === 'accepted_risk' ? 'accepted as a risk' : 'cancelled'}`, [
            { path: 'reason', message: 'required', code: 'custom' },
          ]);
        if (t.to === 'accepted_risk' && !can(p, 'action_item.accept_risk'))
          throw forbidden('only an administrator, incident commander, compliance or an executive may accept a risk', {
            code: 'action_item.accept_risk_denied',
          });
        const ended = ACTION_ITEM_ENDED.includes(t.to);
        await updateActionItem(tx, row.id, {
          status: t.to,
          status_reason: ended ? reason : null,
          accepted_by: t.to === 'accepted_risk' ? p.user.id : null,
          accepted_at: t.to === 'accepted_risk' ? now : null,
          closed_at: ended ? now : null,
          updated_at: now,
          version: Number(row.version) + 1,
        });
        const data = { from, to: t.to, reason };
        await history(tx, row, p.user.id, 'status', data);
        await audit.append(tx, actorOf(p), {
          ...auditOf(row, 'action_item.transition'),
          before: { status: from },
          after: { status: t.to, reason },
        });
      });
    },
  };
}

export type ActionItemService = ReturnType<typeof createActionItemService>;
