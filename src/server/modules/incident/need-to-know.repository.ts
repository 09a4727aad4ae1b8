/** Need-to-know in SQL: the one condition every list of incidents, and of records that point at incidents, applies. */
import { sql, type RawBuilder, type SqlBool } from 'kysely';

/**
 * True for a row whose incident (the column `incidentId`, e.g. `'i.id'` or `'a.incident_id'`) `viewer`
 * may see: no incident at all (null), an incident that is not restricted, or a restricted one the viewer
 * commands or takes part in (in any role). With `viewer` null: only when no restricted incident is
 * involved, i.e. what anyone outside may see. Administrators see everything: callers skip the condition.
 */
export function visibleTo(viewer: string | null, incidentId: string): RawBuilder<SqlBool> {
  const outside =
    viewer === null
      ? sql``
      : sql` and coalesce(vi.commander_id, '') <> ${viewer}
        and not exists (select 1 from incident_participants vp where vp.incident_id = vi.id and vp.user_id = ${viewer})`;
  return sql<SqlBool>`not exists (select 1 from incidents vi where vi.id = ${sql.ref(incidentId)} and vi.restricted = 1${outside})`;
}
