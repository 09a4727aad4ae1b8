/** SQL for the audit chain, and for which entries a reader may see (need-to-know of the incidents they are about). */
import { sql, type SqlBool } from 'kysely';
import type { AuditIncidentsTable, AuditLogTable, Db } from '../../platform/db/types.js';
import { sendWrite } from '../../platform/db/pipeline.js';

export type AuditRow = AuditLogTable;
export type AuditTie = AuditIncidentsTable;

/** The chain's newest entry (zero or one row). */
export const tailQuery = (db: Db) => db.selectFrom('audit_log').select(['seq', 'hash']).orderBy('seq', 'desc').limit(1);

export async function lastEntry(db: Db): Promise<Pick<AuditRow, 'seq' | 'hash'> | undefined> {
  return tailQuery(db).executeTakeFirst();
}

/** Several entries (and the incidents they are about) in few statements, chunked under SQLite's bound-parameter limit. */
export async function insertEntries(db: Db, rows: AuditRow[], ties: AuditTie[] = []): Promise<void> {
  for (let i = 0; i < rows.length; i += 500)
    await sendWrite(db, db.insertInto('audit_log').values(rows.slice(i, i + 500)));
  for (let i = 0; i < ties.length; i += 500)
    await sendWrite(db, db.insertInto('audit_incidents').values(ties.slice(i, i + 500)));
}

/** The entries about any of `targetIds` (of one target type), oldest first: chunked under SQLite's parameter limit. */
export async function entriesOfTargets(db: Db, targetType: string, targetIds: string[]): Promise<AuditRow[]> {
  const out: AuditRow[] = [];
  for (let i = 0; i < targetIds.length; i += 500)
    out.push(
      ...(await db
        .selectFrom('audit_log')
        .selectAll()
        .where('target_type', '=', targetType)
        .where('target_id', 'in', targetIds.slice(i, i + 500))
        .execute()),
    );
  return out.sort((a, b) => Number(a.seq) - Number(b.seq));
}

export interface AuditFilter {
  action?: string;
  targetType?: string;
  targetId?: string;
  /** A user id, or null for entries no person wrote (detection, probes, set-up). */
  actorId?: string | null;
  /** Epoch ms, inclusive. */
  from?: number;
  /** Epoch ms, exclusive. */
  to?: number;
  beforeSeq?: number;
}

/** Incident `i` is restricted and `viewer` is neither its commander nor a participant. */
const outside = (viewer: string) =>
  sql<SqlBool>`(i.restricted = 1 and coalesce(i.commander_id, '') <> ${viewer}
    and not exists (select 1 from incident_participants p where p.incident_id = i.id and p.user_id = ${viewer}))`;

/**
 * Entry `a` is about an incident `viewer` may not see: one it was tied to when written (the incident
 * itself, its timeline, tasks and participants, the incidents an alert moved between), the incident an
 * alert it is about is in now, or the incident of the alert a suppression it is about was made from.
 * Need-to-know is that of the incidents as they are now (restricted or not, members).
 */
export const withheldFrom = (viewer: string) =>
  sql<SqlBool>`(exists (select 1 from audit_incidents ai join incidents i on i.id = ai.incident_id where ai.seq = a.seq and ${outside(viewer)})
    or (a.target_type = 'incident' and exists (select 1 from incidents i where i.key = a.target_id and ${outside(viewer)}))
    or (a.target_type = 'task' and exists (select 1 from tasks t join incidents i on i.id = t.incident_id where t.id = a.target_id and ${outside(viewer)}))
    or (a.target_type = 'alert' and exists (select 1 from alerts al join incidents i on i.id = al.incident_id where al.id = a.target_id and ${outside(viewer)}))
    or (a.target_type = 'suppression' and exists (select 1 from suppressions s join alerts al on al.id = s.from_alert_id join incidents i on i.id = al.incident_id
      where s.id = a.target_id and ${outside(viewer)})))`;

/**
 * Newest first; with `viewer`, only entries that viewer may see (none withheld: pages stay full).
 * A time range is first narrowed to the sequence numbers it spans (an index-only look at `(at, seq)`),
 * so the page is read newest-first along the primary key and stops at `limit`, instead of sorting
 * every entry of a wide range.
 */
export async function listEntries(db: Db, f: AuditFilter, limit: number, viewer?: string): Promise<AuditRow[]> {
  let q = db.selectFrom('audit_log as a').selectAll('a');
  if (f.from !== undefined || f.to !== undefined) {
    let b = db.selectFrom('audit_log').select((eb) => [eb.fn.min('seq').as('lo'), eb.fn.max('seq').as('hi')]);
    if (f.from !== undefined) b = b.where('at', '>=', f.from);
    if (f.to !== undefined) b = b.where('at', '<', f.to);
    const span = await b.executeTakeFirst();
    if (span?.lo == null || span.hi == null) return [];
    q = q.where('a.seq', '>=', Number(span.lo)).where('a.seq', '<=', Number(span.hi));
  }
  if (f.action) q = q.where('a.action', '=', f.action);
  if (f.targetType) q = q.where('a.target_type', '=', f.targetType);
  if (f.targetId) q = q.where('a.target_id', '=', f.targetId);
  if (f.actorId !== undefined)
    q = f.actorId === null ? q.where('a.actor_id', 'is', null) : q.where('a.actor_id', '=', f.actorId);
  if (f.from !== undefined) q = q.where('a.at', '>=', f.from);
  if (f.to !== undefined) q = q.where('a.at', '<', f.to);
  if (f.beforeSeq !== undefined) q = q.where('a.seq', '<', f.beforeSeq);
  if (viewer !== undefined) q = q.where(sql<SqlBool>`not ${withheldFrom(viewer)}`);
  return q.orderBy('a.seq', 'desc').limit(limit).execute();
}

/** Oldest first, from `afterSeq` (exclusive); `withheld` = 1 for entries `viewer` may not see (0 without a viewer). */
export async function scanEntries(
  db: Db,
  afterSeq: number,
  limit: number,
  viewer?: string,
): Promise<(AuditRow & { withheld: number })[]> {
  const withheld =
    viewer === undefined ? sql<number>`0` : sql<number>`(case when ${withheldFrom(viewer)} then 1 else 0 end)`;
  const rows = await db
    .selectFrom('audit_log as a')
    .selectAll('a')
    .select(withheld.as('withheld'))
    .where('a.seq', '>', afterSeq)
    .orderBy('a.seq', 'asc')
    .limit(limit)
    .execute();
  return rows.map((r) => ({ ...r, withheld: Number(r.withheld) }));
}
