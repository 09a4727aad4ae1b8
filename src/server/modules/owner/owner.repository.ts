/**
 * SQL of customer owners (migration 0026_owners): `customer_owners`, per-owner loads, the worklist's
 * keyset pages. The customers they are for come from the customer module (owner-context.ts).
 */
import type { CustomerOwnersTable, Db } from '../../platform/db/types.js';
import { visibleTo } from '../incident/index.js';
import { chunks as chunksOf } from '../../platform/db/chunks.js';

export type AssignmentRow = CustomerOwnersTable;

const CHUNK = 1000;
const chunks = <T>(xs: T[]): T[][] => chunksOf(xs, CHUNK);

/** The incident's assignments of these customers. */
export async function assignmentsFor(db: Db, incidentId: string, customerIds: string[]): Promise<AssignmentRow[]> {
  const out: AssignmentRow[] = [];
  for (const part of chunks(customerIds)) {
    if (part.length === 0) continue;
    out.push(
      ...(await db
        .selectFrom('customer_owners')
        .selectAll()
        .where('incident_id', '=', incidentId)
        .where('customer_id', 'in', part)
        .execute()),
    );
  }
  return out;
}

export async function insertAssignments(db: Db, rows: AssignmentRow[]): Promise<void> {
  for (let i = 0; i < rows.length; i += 500)
    await db
      .insertInto('customer_owners')
      .values(rows.slice(i, i + 500))
      .execute();
}

export async function updateAssignment(db: Db, row: AssignmentRow): Promise<void> {
  const { id, ...rest } = row;
  await db.updateTable('customer_owners').set(rest).where('id', '=', id).execute();
}

/** Open (not resolved) assignments per owner, across incidents. */
export async function openLoads(db: Db): Promise<Map<string, number>> {
  const rows = await db
    .selectFrom('customer_owners')
    .select((eb) => ['owner_id', eb.fn.countAll<number>().as('n')])
    .where('state', '!=', 'resolved')
    .groupBy('owner_id')
    .execute();
  return new Map(rows.map((r) => [r.owner_id, Number(r.n)]));
}

const assignments = (db: Db) => db.selectFrom('customer_owners as co').selectAll('co');

export async function assignmentOf(db: Db, incidentId: string, customerId: string): Promise<AssignmentRow | undefined> {
  return assignments(db)
    .where('co.incident_id', '=', incidentId)
    .where('co.customer_id', '=', customerId)
    .executeTakeFirst();
}

/** The customer's most recent open (not resolved) assignment, across incidents. */
export function openAssignmentOfCustomer(db: Db, customerId: string): Promise<AssignmentRow | undefined> {
  return assignments(db)
    .where('co.customer_id', '=', customerId)
    .where('co.state', '!=', 'resolved')
    .orderBy('co.assigned_at', 'desc')
    .orderBy('co.id', 'desc')
    .limit(1)
    .executeTakeFirst();
}

export function assignmentById(db: Db, id: string): Promise<AssignmentRow | undefined> {
  return assignments(db).where('co.id', '=', id).executeTakeFirst();
}

/** An incident's assignments: not yet reached first, soonest SLA first (at most 5000). */
export function assignmentsOfIncident(db: Db, incidentId: string): Promise<AssignmentRow[]> {
  return assignments(db)
    .where('co.incident_id', '=', incidentId)
    .orderBy((eb) => eb.case().when('co.state', '=', 'open').then(0).else(1).end())
    .orderBy('co.sla_due_at')
    .orderBy('co.id')
    .limit(5000)
    .execute();
}

/** Per owner of an incident: assignments not resolved, and those not reached past their SLA at `now`. */
export async function ownerCounts(db: Db, incidentId: string, now: number) {
  const rows = await db
    .selectFrom('customer_owners')
    .select((eb) => [
      'owner_id',
      eb.fn.sum<number>(eb.case().when('state', '!=', 'resolved').then(1).else(0).end()).as('open'),
      eb.fn
        .sum<number>(
          eb
            .case()
            .when(eb.and([eb('state', '=', 'open'), eb('sla_due_at', '<', now)]))
            .then(1)
            .else(0)
            .end(),
        )
        .as('overdue'),
    ])
    .where('incident_id', '=', incidentId)
    .groupBy('owner_id')
    .orderBy('owner_id')
    .execute();
  return rows.map((r) => ({ ownerId: r.owner_id, open: Number(r.open ?? 0), overdue: Number(r.overdue ?? 0) }));
}

/**
 * One page of an owner's worklist: assignments not yet reached (`open`, soonest SLA first, so the
 * overdue ones lead), then those reached but not resolved (`contacted`). `after`: [phase, due, id] of
 * the last item handed out (phase 0: open, 1: contacted). `viewerId`: need-to-know of that user.
 */
export async function worklistPage(
  db: Db,
  ownerId: string,
  viewerId: string | undefined,
  after: [number, number, string] | undefined,
  limit: number,
): Promise<{ phase: number; row: AssignmentRow }[]> {
  const out: { phase: number; row: AssignmentRow }[] = [];
  for (const [phase, state] of [
    [0, 'open'],
    [1, 'contacted'],
  ] as const) {
    if (after && after[0] > phase) continue;
    let q = assignments(db).where('co.owner_id', '=', ownerId).where('co.state', '=', state);
    if (viewerId) q = q.where(visibleTo(viewerId, 'co.incident_id'));
    if (after && after[0] === phase) {
      const [, due, id] = after;
      q = q.where((eb) =>
        eb.or([eb('co.sla_due_at', '>', due), eb.and([eb('co.sla_due_at', '=', due), eb('co.id', '>', id)])]),
      );
    }
    const rows = await q
      .orderBy('co.sla_due_at')
      .orderBy('co.id')
      .limit(limit - out.length)
      .execute();
    out.push(...rows.map((row) => ({ phase, row })));
    if (out.length >= limit) break;
  }
  return out;
}
