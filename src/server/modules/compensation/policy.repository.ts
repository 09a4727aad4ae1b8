/** SQL of the firm's compensation policy (migration 0031_compensation): one row, `firm`. */
import type { CompensationPolicyTable, Db } from '../../platform/db/types.js';

export const policyRow = (db: Db) =>
  db.selectFrom('compensation_policy').selectAll().where('id', '=', 'firm').executeTakeFirst();

export async function putPolicy(db: Db, row: CompensationPolicyTable): Promise<void> {
  const { id, ...rest } = row;
  const found = await policyRow(db);
  if (found) await db.updateTable('compensation_policy').set(rest).where('id', '=', id).execute();
  else await db.insertInto('compensation_policy').values(row).execute();
}
