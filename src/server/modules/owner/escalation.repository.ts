/**
 * SQL of escalations that page owners (migration 0027_inbound): one row per kind and subject, so an
 * overdue first contact, a callback come due or an overdue inquiry pages once; what is due and not yet
 * escalated; an assignment's escalations for the worklist.
 */
import type { CustomerEscalationsTable, Db } from '../../platform/db/types.js';

export type EscalationRow = CustomerEscalationsTable;

/** Records an escalation unless its kind and subject have one: whether it was new. */
export async function insertEscalation(db: Db, row: EscalationRow): Promise<boolean> {
  const r = await db
    .insertInto('customer_escalations')
    .values(row)
    .onConflict((oc) => oc.columns(['kind', 'subject_id']).doNothing())
    .returning('id')
    .executeTakeFirst();
  return r !== undefined;
}

export async function setEscalationPage(db: Db, id: string, pageId: string): Promise<void> {
  await db.updateTable('customer_escalations').set({ page_id: pageId }).where('id', '=', id).execute();
}

/** Assignments not yet reached and past their SLA at `now`, not yet escalated (oldest due first). */
export const overdueFirstContacts = (db: Db, now: number, limit: number) =>
  db
    .selectFrom('customer_owners as co')
    .select(['co.id', 'co.incident_id', 'co.customer_id', 'co.owner_id', 'co.sla_due_at'])
    .where('co.state', '=', 'open')
    .where('co.first_contact_at', 'is', null)
    .where('co.sla_due_at', '<', now)
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom('customer_escalations as e')
            .select('e.id')
            .where('e.kind', '=', 'owner_sla')
            .whereRef('e.subject_id', '=', 'co.id'),
        ),
      ),
    )
    .orderBy('co.sla_due_at')
    .limit(limit)
    .execute();

/** Open callbacks promised for `now` or earlier, not yet escalated (soonest first). */
export const dueCallbacks = (db: Db, now: number, limit: number) =>
  db
    .selectFrom('owner_activities as a')
    .innerJoin('customer_owners as co', 'co.id', 'a.assignment_id')
    .select(['a.id as activity_id', 'a.due_at', 'co.id', 'co.incident_id', 'co.customer_id', 'co.owner_id'])
    .where('a.kind', '=', 'callback')
    .where('a.status', '=', 'open')
    .where('a.due_at', '<=', now)
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom('customer_escalations as e')
            .select('e.id')
            .where('e.kind', '=', 'callback')
            .whereRef('e.subject_id', '=', 'a.id'),
        ),
      ),
    )
    .orderBy('a.due_at')
    .limit(limit)
    .execute();

/** The escalations of these assignments, newest first. */
export async function escalationsOf(db: Db, assignmentIds: string[]): Promise<Map<string, EscalationRow[]>> {
  const out = new Map<string, EscalationRow[]>();
  for (let i = 0; i < assignmentIds.length; i += 1000) {
    const part = assignmentIds.slice(i, i + 1000);
    if (part.length === 0) continue;
    const rows = await db
      .selectFrom('customer_escalations')
      .selectAll()
      .where('assignment_id', 'in', part)
      .orderBy('created_at', 'desc')
      .orderBy('id', 'desc')
      .execute();
    for (const r of rows) out.set(r.assignment_id!, [...(out.get(r.assignment_id!) ?? []), r]);
  }
  return out;
}
