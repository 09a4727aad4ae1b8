/** SQL of the rumor-vs-fact register: `fact_checks` and `fact_check_versions` (migration 0021_media). */
import type { Db, FactChecksTable, FactCheckVersionsTable } from '../../platform/db/types.js';
import { visibleTo } from '../incident/index.js';

export type FactRow = FactChecksTable;
export type FactVersionRow = FactCheckVersionsTable;

export async function insertFact(db: Db, row: FactRow): Promise<void> {
  await db.insertInto('fact_checks').values(row).execute();
}

export async function updateFact(db: Db, row: FactRow): Promise<void> {
  const { id, ...rest } = row;
  await db.updateTable('fact_checks').set(rest).where('id', '=', id).execute();
}

export const factById = (db: Db, id: string) =>
  db.selectFrom('fact_checks').selectAll().where('id', '=', id).executeTakeFirst();

/**
 * Entries across the register (site-wide and every incident's; with `viewerId`, only those of incidents
 * that viewer may see), newest first.
 */
export function allFacts(db: Db, f: { viewerId?: string; verdict?: string }) {
  let q = db.selectFrom('fact_checks as f').selectAll('f');
  if (f.viewerId) q = q.where(visibleTo(f.viewerId, 'f.incident_id'));
  if (f.verdict) q = q.where('f.verdict', '=', f.verdict);
  return q.orderBy('f.created_at', 'desc').orderBy('f.id', 'desc').limit(500).execute();
}

/** An incident's entries (null: the site-wide ones), newest first. */
export const factsOf = (db: Db, incidentId: string | null) =>
  db
    .selectFrom('fact_checks')
    .selectAll()
    .where('incident_id', incidentId === null ? 'is' : '=', incidentId)
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(500)
    .execute();

/** An incident's entries with this verdict (published or not). */
export const factsWithVerdict = (db: Db, incidentId: string, verdict: string) =>
  db
    .selectFrom('fact_checks')
    .selectAll()
    .where('incident_id', '=', incidentId)
    .where('verdict', '=', verdict)
    .execute();

/** Published entries of these incidents and the site-wide ones, newest published first. */
export const publishedFacts = (db: Db, incidentIds: readonly string[]) =>
  db
    .selectFrom('fact_checks')
    .selectAll()
    .where('published', '=', 1)
    .where((eb) =>
      incidentIds.length === 0
        ? eb('incident_id', 'is', null)
        : eb.or([eb('incident_id', 'is', null), eb('incident_id', 'in', incidentIds)]),
    )
    .orderBy('published_at', 'desc')
    .orderBy('id', 'desc')
    .execute();

/** Entries of an incident counted by verdict. */
export const verdictCounts = (db: Db, incidentId: string) =>
  db
    .selectFrom('fact_checks')
    .select((eb) => ['verdict', eb.fn.countAll<number>().as('n')])
    .where('incident_id', '=', incidentId)
    .groupBy('verdict')
    .execute();

export async function insertFactVersion(db: Db, row: FactVersionRow): Promise<void> {
  await db.insertInto('fact_check_versions').values(row).execute();
}

/** Every version of an entry, newest first. */
export const factVersions = (db: Db, factId: string) =>
  db
    .selectFrom('fact_check_versions')
    .selectAll()
    .where('fact_check_id', '=', factId)
    .orderBy('version', 'desc')
    .execute();
