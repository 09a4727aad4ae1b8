/**
 * Regulator deadlines behind the performance figures (issue 16, docs/kpi.md): the obligation clocks that
 * apply, due in a period, submitted by their deadline or not.
 */
import { sql } from 'kysely';
import type { Store } from '../../platform/db/connect.js';
import type { Db } from '../../platform/db/types.js';
import { type IncidentScope, inIncidentScope } from '../incident/index.js';

async function dueFigures(db: Db, scope: IncidentScope, now: number) {
  const r = await db
    .selectFrom('obligation_clocks as c')
    .select([
      sql<
        number | string
      >`sum(case when c.submitted_at is not null and c.submitted_at <= c.due_at then 1 else 0 end)`.as('on_time'),
      sql<number | string>`sum(case when c.submitted_at is not null or c.due_at < ${now} then 1 else 0 end)`.as('due'),
      sql<number | string>`sum(case when c.submitted_at is null and c.due_at < ${now} then 1 else 0 end)`.as('overdue'),
    ])
    .where('c.applies', '=', 'yes')
    .where('c.status', '<>', 'stopped')
    .where('c.due_at', '>=', scope.fromMs)
    .where('c.due_at', '<', scope.toMs)
    .where(inIncidentScope(scope, 'c.incident_id', 'own'))
    .executeTakeFirst();
  return { onTime: Number(r?.on_time ?? 0), due: Number(r?.due ?? 0), overdue: Number(r?.overdue ?? 0) };
}

export function createObligationKpi(deps: { store: Store }) {
  return {
    /**
     * Clocks that apply with a deadline in the period: `due` those submitted or past their deadline at
     * `now` (one still running is not yet judged), `onTime` submitted by the deadline, `overdue` past it
     * and not submitted.
     */
    regulatorDeadlines: (scope: IncidentScope, now: number) => dueFigures(deps.store.db, scope, now),
  };
}
