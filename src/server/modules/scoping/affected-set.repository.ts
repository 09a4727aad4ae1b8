/** SQL of the affected-customer sets: `affected_sets`, `affected_set_versions`, `affected_set_members` (migration 0023_scoping). */
import type {
  AffectedSetMembersTable,
  AffectedSetsTable,
  AffectedSetVersionsTable,
  Db,
} from '../../platform/db/types.js';

export type SetRow = AffectedSetsTable;
export type SetVersionRow = AffectedSetVersionsTable;
export type MemberRow = AffectedSetMembersTable;

export async function insertSet(db: Db, row: SetRow): Promise<void> {
  await db.insertInto('affected_sets').values(row).execute();
}

export async function updateSet(db: Db, row: SetRow): Promise<void> {
  const { id, ...rest } = row;
  await db.updateTable('affected_sets').set(rest).where('id', '=', id).execute();
}

/** Makes `id` the only primary set of its incident. */
export async function makePrimary(db: Db, incidentId: string, id: string): Promise<void> {
  await db.updateTable('affected_sets').set({ is_primary: 0 }).where('incident_id', '=', incidentId).execute();
  await db.updateTable('affected_sets').set({ is_primary: 1 }).where('id', '=', id).execute();
}

export const setById = (db: Db, id: string) =>
  db.selectFrom('affected_sets').selectAll().where('id', '=', id).executeTakeFirst();

export const setsOfIncident = (db: Db, incidentId: string) =>
  db
    .selectFrom('affected_sets')
    .selectAll()
    .where('incident_id', '=', incidentId)
    .orderBy('created_at', 'asc')
    .orderBy('id', 'asc')
    .execute();

export async function insertVersion(db: Db, row: SetVersionRow): Promise<void> {
  await db.insertInto('affected_set_versions').values(row).execute();
}

export const versionsOf = (db: Db, setId: string) =>
  db.selectFrom('affected_set_versions').selectAll().where('set_id', '=', setId).orderBy('version', 'desc').execute();

export const versionOf = (db: Db, setId: string, version: number) =>
  db
    .selectFrom('affected_set_versions')
    .selectAll()
    .where('set_id', '=', setId)
    .where('version', '=', version)
    .executeTakeFirst();

/** Members of a version in member_key order, after `after`. */
export const membersPage = (db: Db, setId: string, version: number, after: string | null, limit: number) => {
  let q = db.selectFrom('affected_set_members').selectAll().where('set_id', '=', setId).where('version', '=', version);
  if (after !== null) q = q.where('member_key', '>', after);
  return q.orderBy('member_key').limit(limit).execute();
};

/** The known customers of a version in customer-id order, after `after` (members without a customer are left out). */
export const memberCustomerIds = async (
  db: Db,
  setId: string,
  version: number,
  after: string | null,
  limit: number,
): Promise<string[]> => {
  let q = db
    .selectFrom('affected_set_members')
    .select('customer_id')
    .where('set_id', '=', setId)
    .where('version', '=', version)
    .where('customer_id', 'is not', null);
  if (after !== null) q = q.where('customer_id', '>', after);
  return (await q.orderBy('customer_id').limit(limit).execute()).map((r) => r.customer_id!);
};

/** The members of version `a` of a set whose key version `b` does not have. */
const membersOnlyIn = (db: Db, setId: string, a: number, b: number) =>
  db
    .selectFrom('affected_set_members as m')
    .where('m.set_id', '=', setId)
    .where('m.version', '=', a)
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom('affected_set_members as o')
            .select('o.member_key')
            .where('o.set_id', '=', setId)
            .where('o.version', '=', b)
            .whereRef('o.member_key', '=', 'm.member_key'),
        ),
      ),
    );

/** Whether every member key of version `a` is in version `b` (with equal counts: the same keys). */
export async function sameMemberKeys(db: Db, setId: string, a: number, b: number): Promise<boolean> {
  return (await membersOnlyIn(db, setId, a, b).select('m.member_key').limit(1).executeTakeFirst()) === undefined;
}

/** Members of version `a` that version `b` does not have (at most `limit`), and how many there are. */
export async function membersNotIn(
  db: Db,
  setId: string,
  a: number,
  b: number,
  limit: number,
): Promise<{ rows: MemberRow[]; count: number }> {
  const base = membersOnlyIn(db, setId, a, b);
  const rows = await base.selectAll('m').orderBy('m.member_key').limit(limit).execute();
  const n = await base.select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow();
  return { rows, count: Number(n.n) };
}
