/** Compensation behind the performance figures (issue 16, docs/kpi.md): paid in a period per currency, claims. */
import type { Store } from '../../platform/db/connect.js';
import type { Db } from '../../platform/db/types.js';
import { type IncidentScope, inIncidentScope } from '../incident/index.js';

async function paid(db: Db, scope: IncidentScope) {
  return db
    .selectFrom('compensation_claims as c')
    .select(['c.currency', (eb) => eb.fn.sum<number | string>('c.amount_minor').as('total')])
    .where('c.status', '=', 'paid')
    .where('c.paid_at', '>=', scope.fromMs)
    .where('c.paid_at', '<', scope.toMs)
    .where(inIncidentScope(scope, 'c.incident_id', 'own'))
    .groupBy('c.currency')
    .execute();
}

async function claims(db: Db, scope: IncidentScope) {
  const r = await db
    .selectFrom('compensation_claims as c')
    .select((eb) => eb.fn.countAll<number | string>().as('n'))
    .where('c.created_at', '>=', scope.fromMs)
    .where('c.created_at', '<', scope.toMs)
    .where(inIncidentScope(scope, 'c.incident_id', 'own'))
    .executeTakeFirst();
  return Number(r?.n ?? 0);
}

export function createCompensationKpi(deps: { store: Store }) {
  return {
    /** Paid out in the period (claims paid), minor units per currency. */
    async paid(scope: IncidentScope): Promise<Record<string, number>> {
      const rows = await paid(deps.store.db, scope);
      return Object.fromEntries(rows.map((r) => [r.currency, Number(r.total)]));
    },
    /** Claims made in the period. */
    claims: (scope: IncidentScope) => claims(deps.store.db, scope),
  };
}
