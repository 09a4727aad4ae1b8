/** The analysts' word on an incident's ATT&CK techniques (incident_techniques, migration 0043). */
import type { Db, IncidentTechniquesTable } from '../../platform/db/types.js';

export type TechniqueRow = IncidentTechniquesTable;

export const techniquesOf = (db: Db, incidentId: string) =>
  db.selectFrom('incident_techniques').selectAll().where('incident_id', '=', incidentId).execute();

export const techniqueOf = (db: Db, incidentId: string, techniqueId: string) =>
  db
    .selectFrom('incident_techniques')
    .selectAll()
    .where('incident_id', '=', incidentId)
    .where('technique_id', '=', techniqueId)
    .executeTakeFirst();

/** Inserts or replaces the row of (incident, technique). */
export async function putTechnique(db: Db, row: TechniqueRow): Promise<void> {
  await db
    .insertInto('incident_techniques')
    .values(row)
    .onConflict((oc) =>
      oc.columns(['incident_id', 'technique_id']).doUpdateSet({
        source: row.source,
        note: row.note,
        added_by: row.added_by,
        added_at: row.added_at,
        removed_by: row.removed_by,
        removed_at: row.removed_at,
      }),
    )
    .execute();
}
