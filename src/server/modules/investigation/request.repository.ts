/** The register of requests from outside (investigation_requests, migration 0043). */
import type { Db, InvestigationRequestsTable } from '../../platform/db/types.js';

export type RequestRow = InvestigationRequestsTable;

export interface RequestFilter {
  status?: string;
  incidentId?: string;
  requesterKind?: string;
  /** Open with a deadline before this instant. */
  overdueAt?: number;
  /** Open or not past: rows whose deadline is not before this instant, or without one. */
  notOverdueAt?: number;
}

export const requestById = (db: Db, id: string) =>
  db.selectFrom('investigation_requests').selectAll().where('id', '=', id).executeTakeFirst();

export function listRequests(db: Db, f: RequestFilter, limit: number) {
  let q = db.selectFrom('investigation_requests').selectAll();
  if (f.status) q = q.where('status', '=', f.status);
  if (f.incidentId) q = q.where('incident_id', '=', f.incidentId);
  if (f.requesterKind) q = q.where('requester_kind', '=', f.requesterKind);
  if (f.overdueAt !== undefined)
    q = q.where('status', '=', 'open').where('deadline_at', 'is not', null).where('deadline_at', '<', f.overdueAt);
  if (f.notOverdueAt !== undefined) {
    const at = f.notOverdueAt;
    q = q.where((eb) =>
      eb.or([eb('status', '!=', 'open'), eb('deadline_at', 'is', null), eb('deadline_at', '>=', at)]),
    );
  }
  return q.orderBy('received_at', 'desc').orderBy('id', 'desc').limit(limit).execute();
}

/** Open requests whose deadline is before `until` (the reminder sweep). */
export const openDueBefore = (db: Db, until: number, limit: number) =>
  db
    .selectFrom('investigation_requests')
    .selectAll()
    .where('status', '=', 'open')
    .where('deadline_at', 'is not', null)
    .where('deadline_at', '<', until)
    .orderBy('deadline_at', 'asc')
    .limit(limit)
    .execute();

export async function insertRequest(db: Db, row: RequestRow): Promise<void> {
  await db.insertInto('investigation_requests').values(row).execute();
}

export async function updateRequest(db: Db, id: string, set: Partial<RequestRow>): Promise<void> {
  await db.updateTable('investigation_requests').set(set).where('id', '=', id).execute();
}
