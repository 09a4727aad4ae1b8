/**
 * `*` in a statement's result spelled out as the table's columns (PostgreSQL), so the statement can be
 * prepared under a name (prepared.ts names no statement whose result columns are `*`: a named statement
 * whose `*` gains a column under it, in a rolling upgrade, fails with "cached plan must not change result
 * type"). Spelled out, a column a later migration adds is simply not among them — what the process's
 * code, older than the column, expects. The reads that return `*` are most of intake's first round trip:
 * alert intake's candidate read alone was planned afresh at every batch (0.8 ms median, 1.2 ms mean
 * under bench:cluster's load, measured at stop 52).
 *
 * Spelled out, at the top level of a statement only (a `*` left in a subquery keeps the statement
 * unnamed, as before):
 * - `select *` from one table (aliased or not) with no join;
 * - `select "t".*` where `t` is a table (or a table's alias) of the `from` or of a join;
 * - `returning *` of an insert, of an update of one table, of a delete from one table.
 * Statements with `with` or set operations (`union` ...) are left as they are: a name in them may be a
 * common table expression's, not the table's. So is a table of another schema, or one the process does
 * not know (created after it loaded the columns).
 *
 * The columns are those of the tables and views of the connection's schema, in their order (so rows come
 * back with the same keys in the same order as with `*`), read when the store opens and again after it
 * migrates (`loadStarColumns`).
 */
import {
  AliasNode,
  ColumnNode,
  DeleteQueryNode,
  IdentifierNode,
  InsertQueryNode,
  type KyselyPlugin,
  type OperationNode,
  type PluginTransformQueryArgs,
  type PluginTransformResultArgs,
  type QueryResult,
  ReferenceNode,
  ReturningNode,
  type RootOperationNode,
  SelectAllNode,
  SelectionNode,
  SelectQueryNode,
  sql,
  TableNode,
  type UnknownRow,
  UpdateQueryNode,
} from 'kysely';
import type { Db } from './types.js';

/** Table name -> its columns in order. */
type Columns = ReadonlyMap<string, readonly string[]>;

/** The table a from-item or join names, by the name the statement refers to it by (alias or table). */
function tableOf(item: OperationNode): { ref: string; table: string } | null {
  if (TableNode.is(item))
    return item.table.schema ? null : { ref: item.table.identifier.name, table: item.table.identifier.name };
  if (AliasNode.is(item) && TableNode.is(item.node) && IdentifierNode.is(item.alias) && !item.node.table.schema)
    return { ref: item.alias.name, table: item.node.table.identifier.name };
  return null;
}

export class StarExpander implements KyselyPlugin {
  private columns: Columns = new Map();

  /** Replaces the columns known (see `loadStarColumns`). */
  setColumns(columns: Columns): void {
    this.columns = columns;
  }

  transformQuery({ node }: PluginTransformQueryArgs): RootOperationNode {
    if (this.columns.size === 0) return node;
    if (SelectQueryNode.is(node)) return this.select(node);
    if (InsertQueryNode.is(node) || UpdateQueryNode.is(node) || DeleteQueryNode.is(node)) return this.returning(node);
    return node;
  }

  async transformResult({ result }: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    return result;
  }

  private select(node: SelectQueryNode): SelectQueryNode {
    const selections = node.selections;
    if (!selections?.some((s) => isStar(s)) || node.with || node.setOperations || !node.from) return node;
    const froms = node.from.froms.map(tableOf);
    const joins = (node.joins ?? []).map((j) => tableOf(j.table));
    const refs = new Map<string, string>();
    for (const t of [...froms, ...joins]) if (t) refs.set(t.ref, t.table);
    const only = froms.length === 1 && joins.length === 0 ? froms[0] : null;
    let changed = false;
    const out: SelectionNode[] = [];
    for (const s of selections) {
      const sel = s.selection;
      let cols: readonly string[] | undefined;
      let ref: string | undefined;
      if (SelectAllNode.is(sel) && only) {
        cols = this.columns.get(only.table);
        ref = only.ref;
      } else if (ReferenceNode.is(sel) && SelectAllNode.is(sel.column) && sel.table && !sel.table.table.schema) {
        ref = sel.table.table.identifier.name;
        const table = refs.get(ref);
        cols = table === undefined ? undefined : this.columns.get(table);
      }
      if (!cols || ref === undefined) {
        out.push(s);
        continue;
      }
      changed = true;
      const table = TableNode.create(ref);
      for (const c of cols) out.push(SelectionNode.create(ReferenceNode.create(ColumnNode.create(c), table)));
    }
    return changed ? Object.freeze({ ...node, selections: Object.freeze(out) }) : node;
  }

  private returning<N extends InsertQueryNode | UpdateQueryNode | DeleteQueryNode>(node: N): N {
    const ret = node.returning;
    if (!ret?.selections.some((s) => SelectAllNode.is(s.selection)) || node.with) return node;
    let target: { ref: string; table: string } | null = null;
    if (InsertQueryNode.is(node)) target = node.into ? tableOf(node.into) : null;
    else if (UpdateQueryNode.is(node))
      target = node.table && !node.from && !node.joins?.length ? tableOf(node.table) : null;
    else
      target = node.from.froms.length === 1 && !node.using && !node.joins?.length ? tableOf(node.from.froms[0]!) : null;
    const cols = target ? this.columns.get(target.table) : undefined;
    if (!target || !cols) return node;
    const table = TableNode.create(target.ref);
    const selections = ret.selections.flatMap((s) =>
      SelectAllNode.is(s.selection)
        ? cols.map((c) => SelectionNode.create(ReferenceNode.create(ColumnNode.create(c), table)))
        : [s],
    );
    const out: N = { ...node, returning: ReturningNode.create(selections) };
    return Object.freeze(out);
  }
}

const isStar = (s: SelectionNode) =>
  SelectAllNode.is(s.selection) || (ReferenceNode.is(s.selection) && SelectAllNode.is(s.selection.column));

/** Reads the columns of the tables and views of the connection's schema into `expander`. */
export async function loadStarColumns(db: Db, expander: StarExpander): Promise<void> {
  const { rows } = await sql<{ table: string; column: string }>`select c.relname as "table", a.attname as "column"
    from pg_attribute a join pg_class c on c.oid = a.attrelid
    where c.relnamespace = (select oid from pg_namespace where nspname = current_schema())
      and c.relkind in ('r', 'v', 'm', 'p', 'f') and a.attnum > 0 and not a.attisdropped
    order by c.relname, a.attnum`.execute(db);
  const columns = new Map<string, string[]>();
  for (const r of rows) {
    const cols = columns.get(r.table);
    if (cols) cols.push(r.column);
    else columns.set(r.table, [r.column]);
  }
  expander.setColumns(columns);
}
