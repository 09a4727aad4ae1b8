/** SQL of the affected-customer sets: `affected_sets`, `affected_set_versions`, `affected_set_members` (migration 0023_scoping). */
import { PostgresAdapter, sql } from 'kysely';
import type {
  AffectedSetMembersTable,
  AffectedSetsTable,
  AffectedSetVersionsTable,
  Db,
} from '../../platform/db/types.js';

export type SetRow = AffectedSetsTable;
export type SetVersionRow = AffectedSetVersionsTable;
export type MemberRow = AffectedSetMembersTable;

/** Members per INSERT (each one statement's parameters: a JSON text on SQLite, six arrays on PostgreSQL). */
const MEMBER_CHUNK = 50_000;

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

/**
 * Writes the members of one version (hundreds of thousands for a large credential-stuffing scope): one
 * statement per MEMBER_CHUNK rows whose values travel as one parameter per column — PostgreSQL unnests
 * arrays, SQLite walks one JSON array with json_each — instead of a placeholder per value.
 */
export async function insertMembers(db: Db, rows: MemberRow[]): Promise<void> {
  const postgres = db.getExecutor().adapter instanceof PostgresAdapter;
  for (let i = 0; i < rows.length; i += MEMBER_CHUNK) {
    const chunk = rows.slice(i, i + MEMBER_CHUNK);
    if (!chunk.length) continue;
    // One set and version per call (writeVersion): they are constants of the statement.
    const { set_id, version } = chunk[0]!;
    if (postgres) {
      await sql`insert into affected_set_members (set_id, version, member_key, customer_id, account_no, reasons)
        select ${set_id}, ${version}::integer, m.k, m.c, m.a, m.r
        from unnest(${chunk.map((r) => r.member_key)}::text[], ${chunk.map((r) => r.customer_id)}::text[],
                    ${chunk.map((r) => r.account_no)}::text[], ${chunk.map((r) => r.reasons)}::text[]) as m(k, c, a, r)`.execute(
        db,
      );
    } else {
      const json = JSON.stringify(chunk.map((r) => [r.member_key, r.customer_id, r.account_no, r.reasons]));
      await sql`insert into affected_set_members (set_id, version, member_key, customer_id, account_no, reasons)
        select ${set_id}, ${version}, json_extract(value, '$[0]'), json_extract(value, '$[1]'),
               json_extract(value, '$[2]'), json_extract(value, '$[3]')
        from json_each(${json})`.execute(db);
    }
  }
}

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

/** The member keys of a version (to compare an evaluation with it). */
export const memberKeys = async (db: Db, setId: string, version: number): Promise<string[]> =>
  (
    await db
      .selectFrom('affected_set_members')
      .select('member_key')
      .where('set_id', '=', setId)
      .where('version', '=', version)
      .execute()
  ).map((r) => r.member_key);

/** Members of version `a` that version `b` does not have (at most `limit`), and how many there are. */
export async function membersNotIn(
  db: Db,
  setId: string,
  a: number,
  b: number,
  limit: number,
): Promise<{ rows: MemberRow[]; count: number }> {
  const base = db
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
  const rows = await base.selectAll('m').orderBy('m.member_key').limit(limit).execute();
  const n = await base.select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow();
  return { rows, count: Number(n.n) };
}
