/**
 * The owner's side: my worklist across incidents (not yet reached first, soonest SLA first, so the
 * overdue lead; keyset pages), one customer's case with everything recorded, and what the owner records:
 * contact attempts (the first `reached` sets first_contact_at and stops the SLA), promised callbacks (a
 * durable job reminds the owner at that time), notes, concerns and requests (open/done), the state.
 * Only the customer's owner acts, unless the principal manages owners. Audit entries keep kinds,
 * channels, outcomes and times — never the free text, which may hold a customer's personal data.
 */
import type { OwnerAssignment, OwnerCase } from '../../../shared/owner-schemas.js';
import { cursorCodec } from '../../platform/cursor.js';
import type { Db } from '../../platform/db/types.js';
import { invalid, notFound } from '../../platform/errors.js';
import { newId } from '../../platform/ids.js';
import { actorOf, assertCan, type Principal } from '../auth/index.js';
import { canSee } from '../incident/index.js';
import {
  type ActivityRow,
  activitiesOf,
  activityById,
  insertActivity,
  updateActivityStatus,
} from './activity.repository.js';
import type { OwnerContext, OwnerDeps } from './owner-context.js';
import { type AssignmentWithCustomer, toActivity } from './owner.mapper.js';
import { assignmentById, updateAssignment, worklistPage } from './owner.repository.js';
import { CALLBACK_JOB } from './owner-reminders.js';

const worklistCursor = cursorCodec(['int', 'int', 'id'] as const);

export function createWorklistService(deps: OwnerDeps, ctx: OwnerContext) {
  const { store, audit, clock, users, jobs, incidents } = deps;

  async function caseView(db: Db, row: AssignmentWithCustomer, key: string): Promise<OwnerCase> {
    const [view] = await ctx.views(db, [row], new Map([[row.incident_id, key]]));
    const acts = await activitiesOf(db, row.id);
    const names = await users.namesOf(
      acts.flatMap((a) => (a.created_by ? [a.created_by] : [])),
      db,
    );
    return { ...view!, activities: acts.map((a) => toActivity(a, names)) };
  }

  /** Records an activity on a case: inserted, audited (no free text), announced; the case as it is then. */
  async function record(
    p: Principal,
    key: string,
    customerId: string,
    make: (row: AssignmentWithCustomer, now: number) => ActivityRow,
    audited: (a: ActivityRow) => Record<string, unknown>,
    action: 'owner.contact' | 'owner.callback' | 'owner.note',
  ): Promise<OwnerCase> {
    assertCan(p, 'owner.work');
    return store.transaction(async (tx) => {
      const { ref, row } = await ctx.loadCase(tx, p, key, customerId);
      const now = clock.now();
      const a = make(row, now);
      await insertActivity(tx, a);
      const { customer, ...assignment } = row;
      const reached = a.kind === 'contact' && a.outcome === 'reached' && row.first_contact_at === null;
      if (reached) {
        const after = {
          ...assignment,
          first_contact_at: now,
          state: row.state === 'open' ? 'contacted' : row.state,
          updated_at: now,
        };
        await updateAssignment(tx, after);
        Object.assign(row, after);
      }
      if (a.kind === 'callback')
        await jobs.enqueue(tx, { kind: CALLBACK_JOB, payload: { activityId: a.id }, runAt: a.due_at!, key: a.id });
      await audit.append(tx, actorOf(p), {
        action,
        targetType: 'customer_owner',
        targetId: row.id,
        after: {
          customerId,
          customerNo: customer.customerNo,
          ...audited(a),
          ...(reached ? { firstContactAt: now } : {}),
        },
        incidents: [ref.id],
      });
      ctx.announce(tx, ref);
      return caseView(tx, row, ref.key);
    });
  }

  const activity = (
    row: AssignmentWithCustomer,
    p: Principal,
    now: number,
    fields: Partial<ActivityRow>,
  ): ActivityRow => ({
    id: newId(),
    assignment_id: row.id,
    kind: 'note',
    channel: null,
    outcome: null,
    text: '',
    due_at: null,
    status: null,
    created_by: p.user.id,
    created_at: now,
    updated_at: now,
    ...fields,
  });

  return {
    /** My customers not resolved, across the incidents I may see: not yet reached first (overdue lead). */
    async worklist(
      p: Principal,
      q: { limit: number; cursor?: string },
    ): Promise<{ items: OwnerAssignment[]; next: string | null }> {
      assertCan(p, 'owner.work');
      const after = q.cursor ? worklistCursor.decode(q.cursor) : undefined;
      const rows = await worklistPage(
        store.db,
        p.user.id,
        p.user.role === 'admin' ? undefined : p.user.id,
        after as [number, number, string] | undefined,
        q.limit + 1,
      );
      const page = rows.slice(0, q.limit);
      const refs = await incidents.refs(store.db, [...new Set(page.map((r) => r.row.incident_id))]);
      const keys = new Map([...refs].map(([id, r]) => [id, r.key]));
      const items = await ctx.views(
        store.db,
        await ctx.withCustomers(
          store.db,
          page.map((r) => r.row),
        ),
        keys,
      );
      const last = page.at(-1);
      const next =
        rows.length > q.limit && last
          ? worklistCursor.encode([last.phase, Number(last.row.sla_due_at), last.row.id])
          : null;
      return { items, next };
    },

    async getCase(p: Principal, key: string, customerId: string): Promise<OwnerCase> {
      assertCan(p, 'owner.work');
      const { ref, row } = await ctx.loadCase(store.db, p, key, customerId);
      return caseView(store.db, row, ref.key);
    },

    logContact(
      p: Principal,
      key: string,
      customerId: string,
      input: { channel: string; outcome: string; note: string },
    ) {
      return record(
        p,
        key,
        customerId,
        (row, now) =>
          activity(row, p, now, { kind: 'contact', channel: input.channel, outcome: input.outcome, text: input.note }),
        (a) => ({ channel: a.channel, outcome: a.outcome }),
        'owner.contact',
      );
    },

    promiseCallback(p: Principal, key: string, customerId: string, input: { at: string; note: string }) {
      const at = Date.parse(input.at);
      if (at <= clock.now())
        throw invalid('a callback is promised for a time still to come', [
          { path: 'at', message: 'must be in the future', code: 'not_in_future' },
        ]);
      return record(
        p,
        key,
        customerId,
        (row, now) => activity(row, p, now, { kind: 'callback', due_at: at, status: 'open', text: input.note }),
        (a) => ({ callbackAt: new Date(a.due_at!).toISOString() }),
        'owner.callback',
      );
    },

    addNote(
      p: Principal,
      key: string,
      customerId: string,
      input: { kind: 'note' | 'concern' | 'request'; text: string },
    ) {
      return record(
        p,
        key,
        customerId,
        (row, now) =>
          activity(row, p, now, { kind: input.kind, text: input.text, status: input.kind === 'note' ? null : 'open' }),
        (a) => ({ kind: a.kind, chars: a.text.length }),
        'owner.note',
      );
    },

    /** Marks a concern, request or callback open or done. */
    async setItemStatus(p: Principal, id: string, status: 'open' | 'done'): Promise<OwnerCase> {
      assertCan(p, 'owner.work');
      return store.transaction(async (tx) => {
        const a = await activityById(tx, id);
        const row = a ? await assignmentById(tx, a.assignment_id) : undefined;
        const ref = row ? (await incidents.refs(tx, [row.incident_id])).get(row.incident_id) : undefined;
        if (!a || a.status === null || !row || !ref || !canSee(p, ref.audience)) throw notFound(`owner item ${id}`);
        const { row: withCustomer } = await ctx.loadCase(tx, p, ref.key, row.customer_id);
        if (a.status !== status) {
          await updateActivityStatus(tx, id, status, clock.now());
          await audit.append(tx, actorOf(p), {
            action: 'owner.item_update',
            targetType: 'customer_owner',
            targetId: row.id,
            before: { item: id, kind: a.kind, status: a.status },
            after: { item: id, kind: a.kind, status },
            incidents: [ref.id],
          });
          ctx.announce(tx, ref);
        }
        return caseView(tx, withCustomer, ref.key);
      });
    },

    /** Moves a case between open, contacted and resolved (the SLA stops once it is not open). */
    async setState(p: Principal, key: string, customerId: string, state: 'open' | 'contacted' | 'resolved') {
      assertCan(p, 'owner.work');
      return store.transaction(async (tx) => {
        const { ref, row } = await ctx.loadCase(tx, p, key, customerId);
        if (row.state !== state) {
          const { customer, ...before } = row;
          await updateAssignment(tx, { ...before, state, updated_at: clock.now() });
          await audit.append(tx, actorOf(p), {
            action: 'owner.state',
            targetType: 'customer_owner',
            targetId: row.id,
            before: { customerId, customerNo: customer.customerNo, state: before.state },
            after: { customerId, customerNo: customer.customerNo, state },
            incidents: [ref.id],
          });
          row.state = state;
          ctx.announce(tx, ref);
        }
        return caseView(tx, row, ref.key);
      });
    },
  };
}
