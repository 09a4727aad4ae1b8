/** Statements behind the performance figures (issue 16, docs/kpi.md): each incident's first published of some kinds. */
import { sql } from 'kysely';

export function createStatementKpi() {
  return {
    /** Per incident: when its first statement of `kinds` was published (ms), null when none was (index statements_incident). */
    firstPublished: (kinds: readonly string[]) => (incidentId: string) =>
      kinds.length === 0
        ? sql<null>`null`
        : sql<
            number | string | null
          >`(select min(s.published_at) from statements s where s.incident_id = ${sql.ref(incidentId)} and s.kind in (${sql.join(kinds)}) and s.published_at is not null)`,
  };
}
