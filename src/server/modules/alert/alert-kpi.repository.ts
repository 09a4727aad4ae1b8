/** The earliest evidence of incidents (issue 16, docs/kpi.md: MTTD): their first alert's first event. */
import type { Store } from '../../platform/db/connect.js';
import type { Db } from '../../platform/db/types.js';
import { type IncidentScope, inIncidentScope } from '../incident/index.js';

async function firstEvidence(db: Db, scope: IncidentScope) {
  return db
    .selectFrom('alerts as a')
    .select(['a.incident_id', (eb) => eb.fn.min('a.first_seen').as('first')])
    .where(inIncidentScope(scope, 'a.incident_id', 'detected'))
    .groupBy('a.incident_id')
    .execute();
}

export function createAlertKpi(deps: { store: Store }) {
  return {
    /** Incident id → the earliest first event of its alerts (ms); incidents without an alert are absent. */
    async firstEvidence(scope: IncidentScope): Promise<Map<string, number>> {
      const rows = await firstEvidence(deps.store.db, scope);
      return new Map(rows.filter((r) => r.incident_id !== null).map((r) => [r.incident_id as string, Number(r.first)]));
    },
  };
}
