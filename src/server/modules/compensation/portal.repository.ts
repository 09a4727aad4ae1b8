/** SQL of the portal's one-time codes and sessions (migration 0039_compensation_portal), and claims by reference. */
import type { CompensationPortalCodesTable, Db } from '../../platform/db/types.js';

export type CodeRow = CompensationPortalCodesTable;

export const claimByRef = (db: Db, ref: string) =>
  db.selectFrom('compensation_claims').selectAll().where('ref', '=', ref).executeTakeFirst();

/** Ends every code of the claim not yet verified (a new one was sent). */
export async function supersedeCodes(db: Db, claimId: string, now: number): Promise<void> {
  await db
    .updateTable('compensation_portal_codes')
    .set({ expires_at: now })
    .where('claim_id', '=', claimId)
    .where('verified_at', 'is', null)
    .where('expires_at', '>', now)
    .execute();
}

export async function insertCode(db: Db, row: CodeRow): Promise<void> {
  await db.insertInto('compensation_portal_codes').values(row).execute();
}

/** The claim's newest code. */
export const latestCode = (db: Db, claimId: string) =>
  db
    .selectFrom('compensation_portal_codes')
    .selectAll()
    .where('claim_id', '=', claimId)
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();

/**
 * Spends one try of code `id` if it is still open (not verified, not expired, fewer than `max` tries);
 * whether it was spent — one statement, so two requests at once never get a sixth try.
 */
export async function spendTry(db: Db, id: string, max: number, now: number): Promise<boolean> {
  const r = await db
    .updateTable('compensation_portal_codes')
    .set((eb) => ({ attempts: eb('attempts', '+', 1) }))
    .where('id', '=', id)
    .where('verified_at', 'is', null)
    .where('expires_at', '>', now)
    .where('attempts', '<', max)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export async function markVerified(
  db: Db,
  id: string,
  session: { hash: string; expiresAt: number },
  now: number,
): Promise<void> {
  await db
    .updateTable('compensation_portal_codes')
    .set({ verified_at: now, session_hash: session.hash, session_expires_at: session.expiresAt })
    .where('id', '=', id)
    .execute();
}

/** The code row of a live portal session. */
export const codeOfSession = (db: Db, sessionHash: string, now: number) =>
  db
    .selectFrom('compensation_portal_codes')
    .selectAll()
    .where('session_hash', '=', sessionHash)
    .where('session_expires_at', '>', now)
    .executeTakeFirst();

/**
 * Takes the claim's row for an answer while it is still an open offer of `version`: whether it was. The
 * update holds the row until the transaction ends (PostgreSQL), so a second answer at the same moment
 * waits, finds the claim moved on and records nothing; SQLite runs one writer at a time anyway.
 */
export async function holdOpenOffer(db: Db, claimId: string, version: number, now: number): Promise<boolean> {
  const r = await db
    .updateTable('compensation_claims')
    .set({ updated_at: now })
    .where('id', '=', claimId)
    .where('status', '=', 'offered')
    .where('version', '=', version)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** Rows deleted per statement by `pruneDeadCodes`. */
const PRUNE_BATCH = 1000;

/**
 * Deletes the codes dead since before `before`: the code expired and its session (if it opened one)
 * ended too. In batches of at most PRUNE_BATCH rows; how many went.
 */
export async function pruneDeadCodes(db: Db, before: number): Promise<number> {
  let total = 0;
  for (;;) {
    const ids = await db
      .selectFrom('compensation_portal_codes')
      .select('id')
      .where('expires_at', '<', before)
      .where((eb) => eb.or([eb('session_expires_at', 'is', null), eb('session_expires_at', '<', before)]))
      .limit(PRUNE_BATCH)
      .execute();
    if (ids.length === 0) return total;
    await db
      .deleteFrom('compensation_portal_codes')
      .where(
        'id',
        'in',
        ids.map((r) => r.id),
      )
      .execute();
    total += ids.length;
    if (ids.length < PRUNE_BATCH) return total;
  }
}
