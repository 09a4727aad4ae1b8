/** SQL for external identities, OIDC sign-ins in progress and administrators' security notices. */
import type { Db, ExternalIdentitiesTable, OidcLoginsTable, SecurityNoticesTable } from '../../platform/db/types.js';

export type IdentityRow = ExternalIdentitiesTable;

export const findIdentity = (db: Db, provider: string, subject: string) =>
  db
    .selectFrom('external_identities')
    .selectAll()
    .where('provider', '=', provider)
    .where('subject', '=', subject)
    .executeTakeFirst();

export const identitiesOfUser = (db: Db, userId: string) =>
  db.selectFrom('external_identities').selectAll().where('user_id', '=', userId).execute();

export async function upsertIdentity(db: Db, row: IdentityRow): Promise<void> {
  const { provider, subject, ...rest } = row;
  await db
    .insertInto('external_identities')
    .values(row)
    .onConflict((oc) => oc.columns(['provider', 'subject']).doUpdateSet(rest))
    .execute();
}

/** Takes the re-check of an identity when it is due (`last_recheck_at` still `seenAt`): true when this caller took it. */
export async function claimRecheck(db: Db, provider: string, subject: string, seenAt: number, now: number) {
  const r = await db
    .updateTable('external_identities')
    .set({ last_recheck_at: now })
    .where('provider', '=', provider)
    .where('subject', '=', subject)
    .where('last_recheck_at', '=', seenAt)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export async function updateIdentity(
  db: Db,
  provider: string,
  subject: string,
  patch: Partial<Pick<IdentityRow, 'groups_json' | 'refresh_token'>>,
): Promise<void> {
  await db
    .updateTable('external_identities')
    .set(patch)
    .where('provider', '=', provider)
    .where('subject', '=', subject)
    .execute();
}

export async function insertOidcLogin(db: Db, row: OidcLoginsTable, now: number): Promise<void> {
  await db.deleteFrom('oidc_logins').where('expires_at', '<', now).execute();
  await db.insertInto('oidc_logins').values(row).execute();
}

/** The sign-in started with `state`, removed as it is read (a state is good once). */
export async function takeOidcLogin(db: Db, state: string): Promise<OidcLoginsTable | undefined> {
  const row = await db.selectFrom('oidc_logins').selectAll().where('state', '=', state).executeTakeFirst();
  if (row) await db.deleteFrom('oidc_logins').where('state', '=', state).execute();
  return row;
}

export async function insertNotices(db: Db, rows: SecurityNoticesTable[]): Promise<void> {
  if (rows.length) await db.insertInto('security_notices').values(rows).execute();
}

export const noticesOf = (db: Db, recipientId: string, limit: number) =>
  db
    .selectFrom('security_notices')
    .selectAll()
    .where('recipient_id', '=', recipientId)
    .orderBy('created_at', 'desc')
    .limit(limit)
    .execute();

/** The users' last directory sign-in per provider (for "who can sign in how"). */
export const allIdentities = (db: Db, limit: number) =>
  db
    .selectFrom('external_identities')
    .select(['provider', 'subject', 'user_id', 'last_sign_in_at', 'last_recheck_at'])
    .limit(limit)
    .execute();
