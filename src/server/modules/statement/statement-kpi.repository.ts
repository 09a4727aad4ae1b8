/** Statements behind the performance figures (issue 16, docs/kpi.md): each incident's first published of some kinds. */
import type { Store } from '../../platform/db/connect.js';
import type { Db } from '../../platform/db/types.js';
import { type IncidentScope, inIncidentScope } from '../incident/index.js';

async function firstPublished(db: Db, scope: IncidentScope, kinds: readonly string[]) {
  return db
    .selectFrom('statements as s')
    .select(['s.incident_id', (eb) => eb.fn.min('s.published_at').as('first')])
    .where('s.kind', 'in', kinds)
    .where('s.published_at', 'is not', null)
    .where(inIncidentScope(scope, 's.incident_id', 'detected'))
    .groupBy('s.incident_id')
    .execute();
}

export function createStatementKpi(deps: { store: Store }) {
  return {
    /** Incident id → when its first statement of `kinds` was published (ms); none published: absent. */
    async firstPublished(scope: IncidentScope, kinds: readonly string[]): Promise<Map<string, number>> {
      if (kinds.length === 0) return new Map();
      const rows = await firstPublished(deps.store.db, scope, kinds);
      return new Map(rows.map((r) => [r.incident_id, Number(r.first)]));
    },
  };
}
