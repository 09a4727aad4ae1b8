/**
 * Bulk inserts of many rows (account-activity rows, a campaign's messages a page at a time). SQLite: one
 * prepared statement run per row on the raw handle — the fastest path of better-sqlite3, inside the
 * caller's transaction on the same connection — yielding to the event loop between slices so that a
 * large write does not stall every other request. PostgreSQL: one statement per slice whose values
 * travel as one array parameter per column (`unnest`), not a placeholder per value.
 */
import { sql } from 'kysely';
import type { Store } from './connect.js';
import type { Db } from './types.js';

export interface BulkColumn {
  name: string;
  /** The PostgreSQL element type of the column's array parameter (text, integer, bigint). */
  pgType: 'text' | 'integer' | 'bigint';
}

const SQLITE_SLICE = 20_000;
const PG_SLICE = 50_000;
const IDENT = /^[a-z_][a-z0-9_]*$/;

export interface BulkOptions {
  /** A unique column: rows whose value exists already are skipped (`on conflict (column) do nothing`). */
  skipConflictOn?: string;
}

/**
 * Inserts `rows` (values in `columns` order) into `table`; call inside `store.transaction` with its `tx`.
 * How many rows were inserted.
 */
export async function bulkInsert(
  store: Store,
  tx: Db,
  table: string,
  columns: readonly BulkColumn[],
  rows: readonly (readonly unknown[])[],
  opts: BulkOptions = {},
): Promise<number> {
  for (const n of [table, ...columns.map((c) => c.name), ...(opts.skipConflictOn ? [opts.skipConflictOn] : [])])
    if (!IDENT.test(n)) throw new Error(`bulkInsert: not a plain identifier: ${n}`);
  const names = columns.map((c) => c.name).join(', ');
  const conflict = opts.skipConflictOn ? ` on conflict (${opts.skipConflictOn}) do nothing` : '';
  let inserted = 0;
  if (store.dialect === 'sqlite') {
    const st = store.sqlite!.prepare(
      `insert into ${table} (${names}) values (${columns.map(() => '?').join(', ')})${conflict}`,
    );
    for (let i = 0; i < rows.length; i += SQLITE_SLICE) {
      if (i) await new Promise<void>((resolve) => setImmediate(resolve));
      for (const r of rows.slice(i, i + SQLITE_SLICE)) inserted += st.run(r as unknown[]).changes;
    }
    return inserted;
  }
  for (let i = 0; i < rows.length; i += PG_SLICE) {
    const slice = rows.slice(i, i + PG_SLICE);
    const arrays = columns.map((c, j) => sql`${slice.map((r) => r[j])}::${sql.raw(c.pgType)}[]`);
    const r =
      await sql`insert into ${sql.raw(table)} (${sql.raw(names)}) select * from unnest(${sql.join(arrays)})${sql.raw(conflict)}`.execute(
        tx,
      );
    inserted += Number(r.numAffectedRows ?? 0);
  }
  return inserted;
}
