/** Statements behind the performance figures (issue 16, docs/kpi.md): each incident's first published of some kinds. */
import { type SqlBool, sql } from 'kysely';

export function createStatementKpi() {
  return {
    /** Per incident: when its first statement of `kinds` was published (ms); none when none was (index statements_incident). */
    firstPublished: (kinds: readonly string[]) => ({
      value: sql`min(s.published_at)`,
      from: sql`statements s`,
      incidentId: 's.incident_id',
      where:
        kinds.length === 0
          ? sql<SqlBool>`1 = 0`
          : sql<SqlBool>`s.kind in (${sql.join(kinds)}) and s.published_at is not null`,
    }),
  };
}
