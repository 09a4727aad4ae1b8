/** SQL of Tocsin's signing keys (migration 0044_evidence_packages). */
import type { Db, SigningKeysTable } from '../../platform/db/types.js';

export type SigningKeyRow = SigningKeysTable;

export const signingKeyOf = (db: Db, purpose: string) =>
  db.selectFrom('signing_keys').selectAll().where('purpose', '=', purpose).executeTakeFirst();

/** Inserts the key unless another process did first (then nothing changes: read the winner's). */
export async function insertSigningKey(db: Db, row: SigningKeyRow): Promise<void> {
  await db
    .insertInto('signing_keys')
    .values(row)
    .onConflict((oc) => oc.column('purpose').doNothing())
    .execute();
}
