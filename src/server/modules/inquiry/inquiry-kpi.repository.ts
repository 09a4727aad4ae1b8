/** Customer inquiries and CSAT behind the performance figures (issue 16, docs/kpi.md). */
import type { Store } from '../../platform/db/connect.js';
import type { Db } from '../../platform/db/types.js';
import { type IncidentScope, inIncidentScope } from '../incident/index.js';

async function inquiryCount(db: Db, scope: IncidentScope) {
  const r = await db
    .selectFrom('customer_inquiries as q')
    .select((eb) => eb.fn.countAll<number | string>().as('n'))
    .where('q.created_at', '>=', scope.fromMs)
    .where('q.created_at', '<', scope.toMs)
    .where(inIncidentScope(scope, 'q.incident_id', 'own'))
    .executeTakeFirst();
  return Number(r?.n ?? 0);
}

async function ratings(db: Db, scope: IncidentScope) {
  return db
    .selectFrom('inquiry_feedback as f')
    .innerJoin('customer_inquiries as q', 'q.id', 'f.inquiry_id')
    .select(['f.created_at', 'f.rating'])
    .where('f.created_at', '>=', scope.fromMs)
    .where('f.created_at', '<', scope.toMs)
    .where(inIncidentScope(scope, 'q.incident_id', 'own'))
    .execute();
}

export function createInquiryKpi(deps: { store: Store }) {
  return {
    /** Inquiries received in the period (of the scope's incidents; of none, when the scope names no attribute). */
    count: (scope: IncidentScope) => inquiryCount(deps.store.db, scope),
    /** The CSAT ratings (1–5) given in the period on those inquiries, with when. */
    async ratings(scope: IncidentScope): Promise<{ at: number; rating: number }[]> {
      const rows = await ratings(deps.store.db, scope);
      return rows.map((r) => ({ at: Number(r.created_at), rating: Number(r.rating) }));
    },
  };
}
