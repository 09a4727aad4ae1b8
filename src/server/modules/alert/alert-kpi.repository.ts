/** The earliest evidence of incidents (issue 16, docs/kpi.md: MTTD): their first alert's first event. */
import { sql } from 'kysely';

export function createAlertKpi() {
  return {
    /** Per incident: the earliest first event of its alerts (ms), null without an alert (index alerts_incident). */
    firstEvidence: (incidentId: string) =>
      sql<
        number | string | null
      >`(select min(a.first_seen) from alerts a where a.incident_id = ${sql.ref(incidentId)})`,
  };
}
