/**
 * SCIM 2.0 provisioning (issue 17, docs/scim.md): what an identity provider's SCIM client says of the
 * users it provisions (their SCIM userName and externalId; the Tocsin user is the users row, its
 * access gate the `external_identities` row with subject `scim:<user id>`), and the groups it pushes
 * with their members, whose names (and external ids) the provider's role mapping reads.
 */
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('scim_users')
    /** The SCIM resource id is the Tocsin user's id. */
    .addColumn('user_id', 'text', (c) => c.primaryKey().references('users.id'))
    /** The identity provider (TOCSIN_IDENTITY_FILE) whose SCIM client created the user. */
    .addColumn('provider', 'text', (c) => c.notNull())
    .addColumn('user_name', 'text', (c) => c.notNull())
    .addColumn('external_id', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    /** Set by a SCIM DELETE: the user stays (disabled, audit history kept), the resource is gone. */
    .addColumn('deleted_at', 'bigint')
    .execute();
  await db.schema.createIndex('scim_users_user_name').on('scim_users').columns(['provider', 'user_name']).execute();

  await db.schema
    .createTable('scim_groups')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('provider', 'text', (c) => c.notNull())
    .addColumn('display_name', 'text', (c) => c.notNull())
    .addColumn('external_id', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('scim_groups_name')
    .on('scim_groups')
    .columns(['provider', 'display_name'])
    .unique()
    .execute();

  await db.schema
    .createTable('scim_group_members')
    .addColumn('group_id', 'text', (c) => c.notNull().references('scim_groups.id'))
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
    .addPrimaryKeyConstraint('scim_group_members_pk', ['group_id', 'user_id'])
    .execute();
  await db.schema.createIndex('scim_group_members_user').on('scim_group_members').column('user_id').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('scim_group_members').ifExists().execute();
  await db.schema.dropTable('scim_groups').ifExists().execute();
  await db.schema.dropTable('scim_users').ifExists().execute();
}
