/**
 * A set's members evaluated and written inside the database, in one INSERT ... SELECT (issue 12's scope
 * case: nearly half a million members from 200 addresses over 50 M activity rows): the activity sources
 * are grouped on the indexes, their accounts joined to customers once (an account no customer holds is
 * looked up by the customer number its activity carries, only then), the other sources (alerts, lists,
 * segments, worked out by the evaluator) arrive as one JSON parameter, and every member's first
 * reasons are aggregated in SQL. No member row crosses the driver.
 *
 * Member order of reasons: source by source in the definition's order; within an activity source the
 * earliest group first (ties by account, address, action, outcome); within another source the order
 * the evaluator gave. A member keeps its first MAX_REASONS reasons and the first account any of its
 * reasons named. An activity reason is stored with `at` in epoch ms (the mapper writes it as ISO-8601);
 * on PostgreSQL as an array `["activity", accountNo, ip, at, action, outcome, count]` (the mapper reads
 * both shapes), elsewhere as an object.
 */
import { type RawBuilder, sql } from 'kysely';
import type { Store } from '../../platform/db/connect.js';
import type { Db } from '../../platform/db/types.js';
import { type ActivityFilter, activityGrouped } from './activity.repository.js';

/** A reason from a source other than the activity: [source index, order in the source, customer id, account, reason]. */
export type ExtraHit = [number, number, string | null, string | null, Record<string, unknown>];

export interface MemberQuery {
  setId: string;
  version: number;
  /** Activity sources with their index in the definition. */
  activity: { index: number; filter: ActivityFilter }[];
  extra: ExtraHit[];
  /** Groups read per activity source at most. */
  maxGroups: number;
  maxReasons: number;
  /** Keep only members whose customer is in these branches / tiers (null: all). */
  intersect: { branches: string[]; tiers: string[] } | null;
}

/** Writes the members of version `q.version` of a set; how many. */
export async function writeEvaluatedMembers(store: Store, tx: Db, q: MemberQuery): Promise<number> {
  const pg = store.dialect === 'postgres';
  if (pg) {
    // The grouping and the reasons' sort in memory, not on disk; for this transaction only.
    await sql`set local work_mem = '256MB'`.execute(tx);
  }
  // The builder brings its own parentheses.
  const ctes = q.activity.map(
    ({ filter }, i) => sql`${sql.raw(`g${i}`)} as ${activityGrouped(tx, filter, q.maxGroups, pg)}`,
  );
  // PostgreSQL writes an activity reason as compact JSON text, an array (see the header), built by
  // concatenation: no JSON value is built, parsed or printed per hit, and the row is about 40 % narrower.
  const jsonText = (v: string) => `coalesce(to_json(${v})::text, 'null')`;
  const reason = (g: string) =>
    pg
      ? sql.raw(
          `'["activity",' || ${jsonText(`${g}.account_no`)} || ',' || ${jsonText(`${g}.ip`)} || ',' || ${g}.first_at || ',' || ${jsonText(`${g}.action`)} || ',' || ${jsonText(`${g}.outcome`)} || ',' || ${g}.n || ']'`,
        )
      : sql.raw(
          `json_object('kind', 'activity', 'accountNo', ${g}.account_no, 'ip', ${g}.ip, 'at', ${g}.first_at, 'action', ${g}.action, 'outcome', ${g}.outcome, 'count', ${g}.n)`,
        );
  const activityBranches = q.activity.map(
    ({ index }, i) => sql`select ${sql.lit(index)} as src, g.first_at as ord, g.account_no as t1, g.ip as t2,
        g.action as t3, g.outcome as t4,
        coalesce(ca.customer_id, (select c.id from customers c where c.customer_no = g.customer_no)) as customer_id,
        g.account_no as account_no, ${reason('g')} as reason
      from ${sql.raw(`g${i}`)} g
      left join customer_accounts ca on ca.account_no = g.account_no`,
  );
  const extra = JSON.stringify(q.extra);
  const extraBranch = pg
    ? sql`select (e->>0)::integer as src, (e->>1)::bigint as ord, null as t1, null as t2, null as t3, null as t4,
        e->>2 as customer_id, e->>3 as account_no, (e->4)::text as reason
        from json_array_elements(${extra}::json) e`
    : sql`select json_extract(e.value, '$[0]') as src, json_extract(e.value, '$[1]') as ord, null as t1, null as t2,
        null as t3, null as t4, json_extract(e.value, '$[2]') as customer_id, json_extract(e.value, '$[3]') as account_no,
        json_extract(e.value, '$[4]') as reason
        from json_each(${extra}) e`;
  const hits = sql.join([...activityBranches, extraBranch], sql` union all `);
  // PostgreSQL sorts text in the "C" collation here: byte order (the same order for ids and addresses,
  // which are ASCII) with abbreviated keys, where a database's default collation calls strcoll for
  // every comparison — the sort of every hit by member is most of the statement after the lookups.
  const c = pg ? sql.raw(' collate "C"') : sql.raw('');
  const key = sql`coalesce(h.customer_id, 'acct:' || coalesce(h.account_no, ''))${c}`;
  let keep: RawBuilder<unknown> = sql``;
  if (q.intersect) {
    const conds = [
      ...(q.intersect.branches.length ? [sql`s.branch in (${sql.join(q.intersect.branches)})`] : []),
      ...(q.intersect.tiers.length ? [sql`s.tier in (${sql.join(q.intersect.tiers)})`] : []),
    ];
    keep = sql`where h.customer_id in (select s.id from customers s where ${sql.join(conds, sql` and `)})`;
  }
  // The hits sorted once by member and rank; the grouping reads them in that order (no sort of its own,
  // no ordered aggregate: those cost a sort per member), so each member's arrays are in rank order.
  const firstAccount = pg
    ? sql`(array_agg(k.account_no) filter (where k.account_no is not null))[1]`
    : sql`json_group_array(k.account_no) filter (where k.account_no is not null) ->> '$[0]'`;
  const n = sql.lit(q.maxReasons);
  // SQLite: every reason of the member in an array, cut to the first MAX_REASONS (few members have more).
  const firstN = sql.join(Array.from({ length: q.maxReasons }, (_, i) => sql.raw(`m.r -> '$[${i}]'`)));
  const reasons = pg
    ? sql`'[' || array_to_string((array_agg(k.reason))[1:${n}], ',') || ']'`
    : sql`json_group_array(json(k.reason))`;
  const version = pg ? sql`${q.version}::integer` : sql`${q.version}`;
  const grouped = sql`select k.member_key, max(k.customer_id) as customer_id, ${firstAccount} as account_no, ${reasons} as r
    from (
      select ${key} as member_key, h.customer_id, h.account_no, h.reason
      from h ${keep}
      order by 1, h.src, h.ord, h.t1${c}, h.t2${c}, h.t3${c}, h.t4${c}
    ) k
    group by k.member_key`;
  const r = await sql`with ${sql.join([...ctes, sql`h as (${hits})`], sql`, `)}
    insert into affected_set_members (set_id, version, member_key, customer_id, account_no, reasons)
    select ${q.setId}, ${version}, m.member_key, m.customer_id, m.account_no,
      ${pg ? sql`m.r` : sql`case when json_array_length(m.r) <= ${n} then m.r else json_array(${firstN}) end`}
    from (${grouped}) m`.execute(tx);
  return Number(r.numAffectedRows ?? 0);
}

/** Deletes the members of one version (an evaluation that changed nothing). */
export async function deleteVersionMembers(db: Db, setId: string, version: number): Promise<void> {
  await db.deleteFrom('affected_set_members').where('set_id', '=', setId).where('version', '=', version).execute();
}
