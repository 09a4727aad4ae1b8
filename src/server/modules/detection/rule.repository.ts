/** SQL for managed rules: uploaded rules, enabled/disabled state, hit counters. */
import { sql } from 'kysely';
import type { Db, RuleHitsTable, RuleStatesTable, RuleUploadsTable } from '../../platform/db/types.js';
import { chunks as chunksOf } from '../../platform/db/chunks.js';

export type RuleUploadRow = RuleUploadsTable;
export type RuleStateRow = RuleStatesTable;
export type RuleHitsRow = RuleHitsTable;

/** Rows per statement: far below SQLite's bound-parameter limit. */
const CHUNK = 200;
const chunks = <T>(xs: T[], n = CHUNK): T[][] => chunksOf(xs, n);

/** Oldest first, as the catalogue lists them. */
export const listUploads = (db: Db): Promise<RuleUploadRow[]> =>
  db.selectFrom('rule_uploads').selectAll().orderBy('uploaded_at').orderBy('rule_id').execute();

export const findUploads = async (db: Db, ruleIds: string[]): Promise<RuleUploadRow[]> => {
  const out: RuleUploadRow[] = [];
  for (const part of chunks(ruleIds))
    out.push(...(await db.selectFrom('rule_uploads').selectAll().where('rule_id', 'in', part).execute()));
  return out;
};

export async function insertUploads(db: Db, rows: RuleUploadRow[]): Promise<void> {
  for (const part of chunks(rows, 50)) await db.insertInto('rule_uploads').values(part).execute();
}

/** Removes an uploaded rule with its state and counters; false when there was no such upload. */
export async function deleteUpload(db: Db, ruleId: string): Promise<boolean> {
  const r = await db.deleteFrom('rule_uploads').where('rule_id', '=', ruleId).executeTakeFirst();
  await db.deleteFrom('rule_states').where('rule_id', '=', ruleId).execute();
  await db.deleteFrom('rule_hits').where('rule_id', '=', ruleId).execute();
  return Number(r.numDeletedRows) > 0;
}

export const listStates = (db: Db): Promise<RuleStateRow[]> => db.selectFrom('rule_states').selectAll().execute();

export async function upsertState(db: Db, row: RuleStateRow): Promise<void> {
  await db
    .insertInto('rule_states')
    .values(row)
    .onConflict((oc) =>
      oc
        .column('rule_id')
        .doUpdateSet({ enabled: row.enabled, changed_by: row.changed_by, changed_at: row.changed_at }),
    )
    .execute();
}

export const listHits = (db: Db): Promise<RuleHitsRow[]> => db.selectFrom('rule_hits').selectAll().execute();

export const findHits = (db: Db, ruleId: string): Promise<RuleHitsRow | undefined> =>
  db.selectFrom('rule_hits').selectAll().where('rule_id', '=', ruleId).executeTakeFirst();

/** Adds counted matches to each rule's counter (one upsert per rule; call inside one transaction). */
export async function addHits(db: Db, rows: RuleHitsRow[]): Promise<void> {
  for (const part of chunks(rows)) {
    await db
      .insertInto('rule_hits')
      .values(part)
      .onConflict((oc) =>
        oc.column('rule_id').doUpdateSet({
          hits: sql`rule_hits.hits + excluded.hits`,
          last_hit_at: sql`case when rule_hits.last_hit_at is null or excluded.last_hit_at > rule_hits.last_hit_at then excluded.last_hit_at else rule_hits.last_hit_at end`,
        }),
      )
      .execute();
  }
}
