/** Action items behind the performance figures (issue 16, docs/kpi.md): closed by their due date or not. */
import { sql } from 'kysely';
import type { Store } from '../../platform/db/connect.js';
import type { Db } from '../../platform/db/types.js';
import { type IncidentScope, inIncidentScope } from '../incident/index.js';

const CLOSED = sql`ai.status in ('done', 'accepted_risk')`;
const OPEN = sql`ai.status in ('open', 'in_progress')`;

async function figures(db: Db, scope: IncidentScope, now: number) {
  const inPeriod = sql`ai.due_at >= ${scope.fromMs} and ai.due_at < ${scope.toMs}`;
  const r = await db
    .selectFrom('action_items as ai')
    .select([
      sql<number | string>`sum(case when ${inPeriod} and ${CLOSED} and ai.closed_at <= ai.due_at then 1 else 0 end)`.as(
        'on_time',
      ),
      sql<
        number | string
      >`sum(case when ${inPeriod} and (${CLOSED} or (${OPEN} and ai.due_at < ${now})) then 1 else 0 end)`.as('due'),
      sql<number | string>`sum(case when ${OPEN} then 1 else 0 end)`.as('open'),
      sql<number | string>`sum(case when ${OPEN} and ai.due_at < ${now} then 1 else 0 end)`.as('overdue'),
    ])
    .where(inIncidentScope(scope, 'ai.incident_id', 'own'))
    .executeTakeFirst();
  return {
    closedOnTime: Number(r?.on_time ?? 0),
    due: Number(r?.due ?? 0),
    open: Number(r?.open ?? 0),
    overdue: Number(r?.overdue ?? 0),
  };
}

export function createActionItemKpi(deps: { store: Store }) {
  return {
    /**
     * Items due in the period: `due` those closed (done or accepted as risk) or past their due date at `now`,
     * `closedOnTime` closed by it; `open` and `overdue` at `now`, whatever their due date. Cancelled items
     * do not count.
     */
    figures: (scope: IncidentScope, now: number) => figures(deps.store.db, scope, now),
  };
}
