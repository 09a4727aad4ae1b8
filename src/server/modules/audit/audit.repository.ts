/** SQL for the audit chain. */
import type { Db } from '../../platform/db/types.js';
import type { AuditLogTable } from '../../platform/db/types.js';

export type AuditRow = AuditLogTable;

export async function lastEntry(db: Db): Promise<Pick<AuditRow, 'seq' | 'hash'> | undefined> {
  return db.selectFrom('audit_log').select(['seq', 'hash']).orderBy('seq', 'desc').limit(1).executeTakeFirst();
}

/** Several entries in few statements (chunked to stay under SQLite's bound-parameter limit). */
export async function insertEntries(db: Db, rows: AuditRow[]): Promise<void> {
  for (let i = 0; i < rows.length; i += 500) await db.insertInto('audit_log').values(rows.slice(i, i + 500)).execute();
}

export interface AuditFilter {
  action?: string;
  targetType?: string;
  targetId?: string;
  beforeSeq?: number;
}

/** Newest first. */
export async function listEntries(db: Db, f: AuditFilter, limit: number): Promise<AuditRow[]> {
  let q = db.selectFrom('audit_log').selectAll();
  if (f.action) q = q.where('action', '=', f.action);
  if (f.targetType) q = q.where('target_type', '=', f.targetType);
  if (f.targetId) q = q.where('target_id', '=', f.targetId);
  if (f.beforeSeq !== undefined) q = q.where('seq', '<', f.beforeSeq);
  return q.orderBy('seq', 'desc').limit(limit).execute();
}

/** Oldest first, from `afterSeq` (exclusive). */
export async function scanEntries(db: Db, afterSeq: number, limit: number): Promise<AuditRow[]> {
  return db.selectFrom('audit_log').selectAll().where('seq', '>', afterSeq).orderBy('seq', 'asc').limit(limit).execute();
}
