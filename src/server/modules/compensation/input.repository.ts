/** SQL of uploaded extracts (migration 0036_compensation_inputs). */
import type { CompensationInputsTable, Db } from '../../platform/db/types.js';

export type InputRow = CompensationInputsTable;

export async function insertInput(db: Db, row: InputRow): Promise<void> {
  await db.insertInto('compensation_inputs').values(row).execute();
}

export const inputById = (db: Db, id: string) =>
  db.selectFrom('compensation_inputs').selectAll().where('id', '=', id).executeTakeFirst();
