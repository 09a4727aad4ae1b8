/**
 * Sign-in through the firm's directory (issue 17): the identities people have at OIDC providers and
 * LDAP / Active Directory servers, the sign-in in progress at a provider (state, nonce, PKCE verifier),
 * each user's sign-in method and last sign-in, the sessions that must give Tocsin's TOTP, and the
 * notices administrators get when a break-glass account is used.
 */
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  /** `local` (password) or the id of the identity provider (TOCSIN_IDENTITY_FILE) the person signs in with. */
  await db.schema
    .alterTable('users')
    .addColumn('sign_in_method', 'text', (c) => c.notNull().defaultTo('local'))
    .execute();
  await db.schema.alterTable('users').addColumn('last_sign_in_at', 'bigint').execute();
  /** 1: this session must pass Tocsin's TOTP (enrolling first when the account has none). */
  await db.schema
    .alterTable('sessions')
    .addColumn('require_totp', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();

  await db.schema
    .createTable('external_identities')
    .addColumn('provider', 'text', (c) => c.notNull())
    /** OIDC `sub`, or the LDAP entry's DN. */
    .addColumn('subject', 'text', (c) => c.notNull())
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
    /** The LDAP sign-in name (for the re-check's search), null for OIDC. */
    .addColumn('username', 'text')
    /** JSON array of the groups seen at the last sign-in or re-check. */
    .addColumn('groups_json', 'text', (c) => c.notNull())
    /** OIDC refresh token, for the re-check (null: the provider gave none). */
    .addColumn('refresh_token', 'text')
    .addColumn('last_sign_in_at', 'bigint', (c) => c.notNull())
    .addColumn('last_recheck_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('external_identities_pk', ['provider', 'subject'])
    .execute();
  await db.schema.createIndex('external_identities_user').on('external_identities').column('user_id').execute();

  await db.schema
    .createTable('oidc_logins')
    .addColumn('state', 'text', (c) => c.primaryKey())
    .addColumn('provider', 'text', (c) => c.notNull())
    .addColumn('nonce', 'text', (c) => c.notNull())
    .addColumn('code_verifier', 'text', (c) => c.notNull())
    /** SHA-256 of the browser's cookie that started the sign-in: the callback must come from the same browser. */
    .addColumn('browser_hash', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('security_notices')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('recipient_id', 'text', (c) => c.notNull().references('users.id'))
    /** break_glass_sign_in */
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('subject_user_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('address', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('read_at', 'bigint')
    .execute();
  await db.schema
    .createIndex('security_notices_recipient')
    .on('security_notices')
    .columns(['recipient_id', 'created_at'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('security_notices').ifExists().execute();
  await db.schema.dropTable('oidc_logins').ifExists().execute();
  await db.schema.dropTable('external_identities').ifExists().execute();
  await db.schema.alterTable('sessions').dropColumn('require_totp').execute();
  await db.schema.alterTable('users').dropColumn('last_sign_in_at').execute();
  await db.schema.alterTable('users').dropColumn('sign_in_method').execute();
}
