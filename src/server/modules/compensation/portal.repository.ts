/**
 * SQL of the portal's one-time codes and sessions (migrations 0039_compensation_portal and
 * 0040_compensation_filing), and claims by reference. A code is of a subject: a claim whose offer the
 * customer answers, or a customer of an incident filing a new claim.
 */
import type { CompensationPortalCodesTable, Db } from '../../platform/db/types.js';

export type CodeRow = CompensationPortalCodesTable;
export type CodePurpose = 'answer' | 'file';
export type CodeSubject = { claimId: string } | { incidentId: string; customerId: string };

const purposeOf = (s: CodeSubject): CodePurpose => ('claimId' in s ? 'answer' : 'file');

function ofSubject(db: Db, s: CodeSubject) {
  const q = db.selectFrom('compensation_portal_codes').where('purpose', '=', purposeOf(s));
  return 'claimId' in s
    ? q.where('claim_id', '=', s.claimId)
    : q.where('incident_id', '=', s.incidentId).where('customer_id', '=', s.customerId);
}

export const claimByRef = (db: Db, ref: string) =>
  db.selectFrom('compensation_claims').selectAll().where('ref', '=', ref).executeTakeFirst();

/** Ends every code of the subject not yet verified (a new one was sent). */
export async function supersedeCodes(db: Db, subject: CodeSubject, now: number): Promise<void> {
  const open = await ofSubject(db, subject)
    .select('id')
    .where('verified_at', 'is', null)
    .where('expires_at', '>', now)
    .execute();
  if (open.length === 0) return;
  await db
    .updateTable('compensation_portal_codes')
    .set({ expires_at: now })
    .where(
      'id',
      'in',
      open.map((r) => r.id),
    )
    .execute();
}

export async function insertCode(db: Db, row: CodeRow): Promise<void> {
  await db.insertInto('compensation_portal_codes').values(row).execute();
}

/** The subject's newest code. */
export const latestCode = (db: Db, subject: CodeSubject) =>
  ofSubject(db, subject).selectAll().orderBy('created_at', 'desc').orderBy('id', 'desc').limit(1).executeTakeFirst();

/** The newest filing code sent under a ticket. */
export const latestOfTicket = (db: Db, ticketHash: string) =>
  db
    .selectFrom('compensation_portal_codes')
    .selectAll()
    .where('purpose', '=', 'file')
    .where('ticket_hash', '=', ticketHash)
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

/** The code row of a live portal session of `purpose`. */
export const codeOfSession = (db: Db, purpose: CodePurpose, sessionHash: string, now: number) =>
  db
    .selectFrom('compensation_portal_codes')
    .selectAll()
    .where('purpose', '=', purpose)
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
