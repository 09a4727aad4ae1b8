/** SQL of the account-activity index (`account_activity`, migration 0023_scoping). */
import { sql } from 'kysely';
import { type BulkColumn, bulkInsert } from '../../platform/db/bulk.js';
import { openSqliteSide, type Store } from '../../platform/db/connect.js';
import type { Db } from '../../platform/db/types.js';
import { ACTIVITY_COLUMNS, type ActivityArrays } from '../../../shared/activity-fields.js';
import type { ActivityRow } from './activity-fields.js';

/** The index's columns for `bulkInsert` (the order of src/shared's list: `at` a bigint, the rest text). */
const BULK_COLUMNS: BulkColumn[] = ACTIVITY_COLUMNS.map((name) => ({
  name,
  pgType: name === 'at' ? 'bigint' : 'text',
}));

/** Bulk insert (platform/db/bulk.ts: prepared statement on SQLite, unnest on PostgreSQL); inside `store.transaction`. */
export async function insertActivity(store: Store, tx: Db, rows: ActivityRow[]): Promise<void> {
  await bulkInsert(
    store,
    tx,
    'account_activity',
    BULK_COLUMNS,
    rows.map((r) => [
      r.at,
      r.account_no,
      r.customer_no,
      r.ip,
      r.ip_key,
      r.device,
      r.action,
      r.outcome,
      r.source,
      r.event_ref,
    ]),
  );
}

/**
 * PostgreSQL (stage one at scale): inserts rows given as one array literal per column (built on the
 * engine thread: stage-one-eval.ts), each missing customer number filled in from `customer_accounts` in
 * the same statement (a join on its primary key, which includes `customer_id`), as the service's
 * `withCustomers` does with a lookup of its own. Inside `store.transaction`.
 */
export async function insertActivityArrays(tx: Db, c: ActivityArrays['columns']): Promise<void> {
  await sql`insert into account_activity (at, account_no, customer_no, ip, ip_key, device, action, outcome, source, event_ref)
    select u.at, u.account_no, coalesce(u.customer_no, c.customer_no), u.ip, u.ip_key, u.device, u.action, u.outcome, u.source, u.event_ref
    from unnest(${c.at}::bigint[], ${c.account_no}::text[], ${c.customer_no}::text[], ${c.ip}::text[],
      ${c.ip_key}::text[], ${c.device}::text[], ${c.action}::text[], ${c.outcome}::text[],
      ${c.source}::text[], ${c.event_ref}::text[])
      as u(at, account_no, customer_no, ip, ip_key, device, action, outcome, source, event_ref)
    left join customer_accounts a on a.account_no = u.account_no collate "C"
    left join customers c on c.id = a.customer_id`.execute(tx);
}

/** Rows per transaction of the side writer: the write lock is held ~5 ms, so the event loop's own writes wait little. */
const SIDE_TX_ROWS = 200;
/** Pauses the side writer waits at most for the event loop to take the write lock it wants. */
const MAIN_FIRST_PAUSES = 100;

/**
 * The account-activity writer of the embedded store's writer thread (activity-writer.worker.ts), on a
 * connection of its own (`openSqliteSide`): rows inserted (each missing customer number looked up) in
 * transactions of SIDE_TX_ROWS, each taking the write lock at its start (BEGIN IMMEDIATE), with a pause
 * between them, and none begun while the event loop waits for the lock (`mainWaiting`); and the WAL
 * checkpoints the main connection leaves to it.
 */
export function openActivitySideWriter(file: string) {
  const side = openSqliteSide(file);
  const names: readonly string[] = ACTIVITY_COLUMNS;
  // A row without a customer number gets that of the customer holding its account (a primary-key
  // lookup per row, here rather than on the event loop), as `insertActivityArrays` does on PostgreSQL.
  const values = names.map((n) =>
    n === 'customer_no'
      ? `coalesce(@customer_no, (select c.customer_no from customer_accounts a join customers c on c.id = a.customer_id where a.account_no = @account_no))`
      : `@${n}`,
  );
  const st = side.prepare<[ActivityRow]>(
    `insert into account_activity (${names.join(', ')}) values (${values.join(', ')})`,
  );
  const insertMany = side.transaction((rows: readonly ActivityRow[]) => {
    for (const r of rows) st.run(r);
  });
  return {
    /**
     * Inserts `rows` in transactions of SIDE_TX_ROWS, with `pause` between them; none starts while
     * `mainWaiting` says the event loop waits for the lock (for MAIN_FIRST_PAUSES pauses at most).
     */
    async insert(
      rows: readonly ActivityRow[],
      pause: () => Promise<void>,
      mainWaiting: () => boolean = () => false,
    ): Promise<void> {
      for (let i = 0; i < rows.length; i += SIDE_TX_ROWS) {
        if (i) await pause();
        for (let n = 0; n < MAIN_FIRST_PAUSES && mainWaiting(); n++) await pause();
        insertMany.immediate(rows.slice(i, i + SIDE_TX_ROWS));
      }
    },
    /** A passive checkpoint: copies what it can of the WAL into the database, blocking no one. */
    checkpoint(): void {
      side.pragma('wal_checkpoint(PASSIVE)');
    },
    close(): void {
      side.close();
    },
  };
}

/** Deletes rows older than `before` (epoch ms); returns how many. */
export async function pruneActivity(db: Db, before: number): Promise<number> {
  const r = await db.deleteFrom('account_activity').where('at', '<', before).executeTakeFirst();
  return Number(r.numDeletedRows);
}

export interface ActivityFilter {
  from: number;
  to: number;
  /** Address ranges (ip_key); empty: any address. */
  ipRanges: { lo: string; hi: string }[];
  accounts: string[];
  actions: string[];
  outcomes: string[];
  sources: string[];
}

/**
 * The activity a filter matches, grouped by account, address, action and outcome (the first time, how
 * many, a customer number written with the rows), at most `max` groups: a subquery of the member
 * evaluation (affected-members.repository.ts). The covering (ip_key, at, …) index serves the addresses,
 * the (account_no, at) index the accounts, the (at) index the window alone. `byteOrder` (PostgreSQL)
 * groups in the "C" collation: the grouping's sort compares bytes, with abbreviated keys, and the
 * accounts come out in the collation of `customer_accounts.account_no` for their lookup.
 */
export function activityGrouped(db: Db, f: ActivityFilter, max: number, byteOrder = false) {
  const key = (column: 'account_no' | 'ip' | 'action' | 'outcome') =>
    byteOrder ? sql<string>`${sql.ref(`a.${column}`)} collate "C"` : sql<string>`${sql.ref(`a.${column}`)}`;
  const keys = [key('account_no'), key('ip'), key('action'), key('outcome')];
  let q = db
    .selectFrom('account_activity as a')
    .select((eb) => [
      keys[0]!.as('account_no'),
      keys[1]!.as('ip'),
      keys[2]!.as('action'),
      keys[3]!.as('outcome'),
      eb.fn.min('a.at').as('first_at'),
      eb.fn.countAll().as('n'),
      eb.fn.max('a.customer_no').as('customer_no'),
    ])
    .where('a.at', '>=', f.from)
    .where('a.at', '<=', f.to);
  if (f.ipRanges.length) {
    const exact = f.ipRanges.filter((r) => r.lo === r.hi).map((r) => r.lo);
    const ranges = f.ipRanges.filter((r) => r.lo !== r.hi);
    q = q.where((eb) =>
      eb.or([
        ...(exact.length ? [eb('a.ip_key', 'in', exact)] : []),
        ...ranges.map((r) => eb.and([eb('a.ip_key', '>=', r.lo), eb('a.ip_key', '<=', r.hi)])),
      ]),
    );
  }
  if (f.accounts.length) q = q.where('a.account_no', 'in', f.accounts);
  if (f.actions.length) q = q.where('a.action', 'in', f.actions);
  if (f.outcomes.length) q = q.where('a.outcome', 'in', f.outcomes);
  if (f.sources.length) q = q.where('a.source', 'in', f.sources);
  return q.groupBy(keys).limit(max);
}
