/** The earliest evidence of incidents (issue 16, docs/kpi.md: MTTD): their first alert's first event. */
import { sql } from 'kysely';

export function createAlertKpi() {
  return {
    /** Per incident: the earliest first event of its alerts (ms); none without an alert (index alerts_incident). */
    firstEvidence: { value: sql`min(a.first_seen)`, from: sql`alerts a`, incidentId: 'a.incident_id' },
  };
}
