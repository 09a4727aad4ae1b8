/** SQL of SCIM provisioning (migration 0055): provisioned users, groups and their members, per provider. */
import type { Db, ScimGroupsTable, ScimUsersTable } from '../../platform/db/types.js';

export type ScimUserRow = ScimUsersTable;
export type ScimGroupRow = ScimGroupsTable;

export const findScimUser = (db: Db, provider: string, userId: string) =>
  db
    .selectFrom('scim_users')
    .selectAll()
    .where('provider', '=', provider)
    .where('user_id', '=', userId)
    .executeTakeFirst();

/** The provisioned users of a provider matching `where` (userName without case), not deleted; `offset` 0-based. */
export async function listScimUsers(
  db: Db,
  provider: string,
  where: { userName?: string; externalId?: string; id?: string },
  offset: number,
  limit: number,
): Promise<{ rows: ScimUserRow[]; total: number }> {
  let q = db.selectFrom('scim_users').where('provider', '=', provider).where('deleted_at', 'is', null);
  if (where.userName !== undefined)
    q = q.where((eb) => eb(eb.fn('lower', ['user_name']), '=', where.userName!.toLowerCase()));
  if (where.externalId !== undefined) q = q.where('external_id', '=', where.externalId);
  if (where.id !== undefined) q = q.where('user_id', '=', where.id);
  const total = await q.select((eb) => eb.fn.countAll<number | string>().as('n')).executeTakeFirstOrThrow();
  const rows = limit
    ? await q.selectAll().orderBy('created_at').orderBy('user_id').offset(offset).limit(limit).execute()
    : [];
  return { rows, total: Number(total.n) };
}

export async function upsertScimUser(db: Db, row: ScimUserRow): Promise<void> {
  const { user_id, ...rest } = row;
  await db
    .insertInto('scim_users')
    .values(row)
    .onConflict((oc) => oc.column('user_id').doUpdateSet(rest))
    .execute();
}

export async function updateScimUser(
  db: Db,
  userId: string,
  set: Partial<Pick<ScimUserRow, 'user_name' | 'external_id' | 'updated_at' | 'deleted_at'>>,
): Promise<void> {
  await db.updateTable('scim_users').set(set).where('user_id', '=', userId).execute();
}

export const findScimGroup = (db: Db, provider: string, id: string) =>
  db.selectFrom('scim_groups').selectAll().where('provider', '=', provider).where('id', '=', id).executeTakeFirst();

export const scimGroupByName = (db: Db, provider: string, displayName: string) =>
  db
    .selectFrom('scim_groups')
    .selectAll()
    .where('provider', '=', provider)
    .where('display_name', '=', displayName)
    .executeTakeFirst();

export async function listScimGroups(
  db: Db,
  provider: string,
  where: { displayName?: string; externalId?: string; id?: string },
  offset: number,
  limit: number,
): Promise<{ rows: ScimGroupRow[]; total: number }> {
  let q = db.selectFrom('scim_groups').where('provider', '=', provider);
  if (where.displayName !== undefined) q = q.where('display_name', '=', where.displayName);
  if (where.externalId !== undefined) q = q.where('external_id', '=', where.externalId);
  if (where.id !== undefined) q = q.where('id', '=', where.id);
  const total = await q.select((eb) => eb.fn.countAll<number | string>().as('n')).executeTakeFirstOrThrow();
  const rows = limit
    ? await q.selectAll().orderBy('created_at').orderBy('id').offset(offset).limit(limit).execute()
    : [];
  return { rows, total: Number(total.n) };
}

export async function insertScimGroup(db: Db, row: ScimGroupRow): Promise<void> {
  await db.insertInto('scim_groups').values(row).execute();
}

export async function updateScimGroup(
  db: Db,
  id: string,
  set: Partial<Pick<ScimGroupRow, 'display_name' | 'external_id' | 'updated_at'>>,
): Promise<void> {
  await db.updateTable('scim_groups').set(set).where('id', '=', id).execute();
}

export async function deleteScimGroup(db: Db, id: string): Promise<void> {
  await db.deleteFrom('scim_group_members').where('group_id', '=', id).execute();
  await db.deleteFrom('scim_groups').where('id', '=', id).execute();
}

/** Members (user ids) of each group. */
export async function membersOf(db: Db, groupIds: string[]): Promise<Map<string, string[]>> {
  const out = new Map<string, string[]>(groupIds.map((id) => [id, []]));
  if (!groupIds.length) return out;
  const rows = await db
    .selectFrom('scim_group_members')
    .select(['group_id', 'user_id'])
    .where('group_id', 'in', groupIds)
    .orderBy('user_id')
    .execute();
  for (const r of rows) out.get(r.group_id)?.push(r.user_id);
  return out;
}

export async function addMembers(db: Db, groupId: string, userIds: string[]): Promise<void> {
  if (!userIds.length) return;
  await db
    .insertInto('scim_group_members')
    .values(userIds.map((user_id) => ({ group_id: groupId, user_id })))
    .onConflict((oc) => oc.columns(['group_id', 'user_id']).doNothing())
    .execute();
}

export async function removeMembers(db: Db, groupId: string, userIds: string[] | 'all'): Promise<void> {
  let q = db.deleteFrom('scim_group_members').where('group_id', '=', groupId);
  if (userIds !== 'all') {
    if (!userIds.length) return;
    q = q.where('user_id', 'in', userIds);
  }
  await q.execute();
}

export async function removeUserFromGroups(db: Db, userId: string): Promise<void> {
  await db.deleteFrom('scim_group_members').where('user_id', '=', userId).execute();
}

/** The groups a user is a member of (their names and external ids are what the role mapping reads). */
export const groupsOfUser = (db: Db, userId: string) =>
  db
    .selectFrom('scim_group_members')
    .innerJoin('scim_groups', 'scim_groups.id', 'scim_group_members.group_id')
    .select(['scim_groups.id', 'scim_groups.display_name', 'scim_groups.external_id'])
    .where('scim_group_members.user_id', '=', userId)
    .orderBy('scim_groups.display_name')
    .execute();

/** Of `userIds`, those this provider provisioned and did not delete. */
export async function liveScimUserIds(db: Db, provider: string, userIds: string[]): Promise<Set<string>> {
  if (!userIds.length) return new Set();
  const rows = await db
    .selectFrom('scim_users')
    .select('user_id')
    .where('provider', '=', provider)
    .where('deleted_at', 'is', null)
    .where('user_id', 'in', userIds)
    .execute();
  return new Set(rows.map((r) => r.user_id));
}

/** Every user provisioned by SCIM and not deleted (for "who signs in how"). */
export const allScimUsers = (db: Db, limit: number) =>
  db.selectFrom('scim_users').select(['user_id', 'provider']).where('deleted_at', 'is', null).limit(limit).execute();
