/** SQL of the risk register: risks, their linked incidents and their history. */
import type { Db, RiskHistoryTable, RisksTable } from '../../platform/db/types.js';

export type RiskRow = RisksTable;

export interface RiskFilter {
  status?: string;
  notClosed?: boolean;
  category?: string;
  ownerId?: string;
  scoreRange?: [number, number];
  likelihood?: number;
  impact?: number;
  reviewBefore?: string;
  q?: string;
}

export async function listRisks(db: Db, f: RiskFilter, limit: number): Promise<RiskRow[]> {
  let q = db.selectFrom('risks').selectAll();
  if (f.status) q = q.where('status', '=', f.status);
  if (f.notClosed) q = q.where('status', '!=', 'closed');
  if (f.category) q = q.where('category', '=', f.category);
  if (f.ownerId) q = q.where('owner_id', '=', f.ownerId);
  if (f.scoreRange) q = q.where('score', '>=', f.scoreRange[0]).where('score', '<=', f.scoreRange[1]);
  if (f.likelihood) q = q.where('likelihood', '=', f.likelihood);
  if (f.impact) q = q.where('impact', '=', f.impact);
  if (f.reviewBefore)
    q = q.where('review_on', 'is not', null).where('review_on', '<', f.reviewBefore).where('status', '!=', 'closed');
  if (f.q) {
    const like = `%${f.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    q = q.where((eb) => eb.or([eb('title', 'like', like), eb('description', 'like', like)]));
  }
  return q.orderBy('score', 'desc').orderBy('seq', 'asc').limit(limit).execute();
}

export const findRisk = (db: Db, id: string) =>
  db.selectFrom('risks').selectAll().where('id', '=', id).executeTakeFirst();

export const findRiskBySeq = (db: Db, seq: number) =>
  db.selectFrom('risks').selectAll().where('seq', '=', seq).executeTakeFirst();

export async function nextRiskSeq(db: Db): Promise<number> {
  const row = await db
    .selectFrom('risks')
    .select((eb) => eb.fn.max('seq').as('max'))
    .executeTakeFirst();
  return Number(row?.max ?? 0) + 1;
}

export async function insertRisk(db: Db, row: RiskRow): Promise<void> {
  await db.insertInto('risks').values(row).execute();
}

export async function updateRisk(db: Db, id: string, set: Partial<Omit<RiskRow, 'id' | 'seq'>>): Promise<void> {
  await db.updateTable('risks').set(set).where('id', '=', id).execute();
}

/** Incident ids linked to each of the risks. */
export async function incidentIdsOf(db: Db, riskIds: string[]): Promise<Map<string, string[]>> {
  const out = new Map<string, string[]>();
  if (riskIds.length === 0) return out;
  const rows = await db
    .selectFrom('risk_incidents')
    .select(['risk_id', 'incident_id'])
    .where('risk_id', 'in', riskIds)
    .execute();
  for (const r of rows) out.set(r.risk_id, [...(out.get(r.risk_id) ?? []), r.incident_id]);
  return out;
}

export async function setRiskIncidents(db: Db, riskId: string, incidentIds: string[]): Promise<void> {
  await db.deleteFrom('risk_incidents').where('risk_id', '=', riskId).execute();
  if (incidentIds.length > 0)
    await db
      .insertInto('risk_incidents')
      .values(incidentIds.map((incident_id) => ({ risk_id: riskId, incident_id })))
      .execute();
}

export async function insertRiskHistory(db: Db, row: RiskHistoryTable): Promise<void> {
  await db.insertInto('risk_history').values(row).execute();
}

export const historyOf = (db: Db, riskId: string) =>
  db
    .selectFrom('risk_history')
    .selectAll()
    .where('risk_id', '=', riskId)
    .orderBy('at', 'asc')
    .orderBy('id', 'asc')
    .execute();

/** Counts of risks per likelihood × impact (inherent or residual), closed ones left out unless asked for. */
export async function heatCounts(db: Db, residual: boolean, includeClosed: boolean) {
  const l = residual ? 'residual_likelihood' : 'likelihood';
  const i = residual ? 'residual_impact' : 'impact';
  let q = db
    .selectFrom('risks')
    .select([`${l} as likelihood`, `${i} as impact`])
    .select((eb) => eb.fn.countAll<number>().as('count'))
    .where(l, 'is not', null)
    .where(i, 'is not', null);
  if (!includeClosed) q = q.where('status', '!=', 'closed');
  return q.groupBy([l, i]).execute();
}
