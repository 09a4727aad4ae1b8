/**
 * Named prepared statements for the statements a process sends again and again (PostgreSQL). Kysely
 * sends every statement unnamed, so the server parses, analyses and plans it on every execution; for
 * the short reads and writes of a transaction that is most of the server's time (alert intake's
 * candidates read: 1.1 ms planned each time against 0.11-0.17 ms as a named statement, measured at
 * stop 42). A statement seen PREPARE_AFTER times gets a name; each connection parses it once under that
 * name and then only binds and executes it (node-postgres keeps which names a connection has parsed,
 * or has sent and not yet seen parsed, so pipelined transactions may send the same name twice).
 *
 * Not named:
 * - statements without parameters (`begin`, `commit`, DDL): node-postgres sends them as simple queries;
 * - statements with more than MAX_PARAMETERS parameters (their text varies with the size of their data);
 * - statements that return `*` (`select *`, `"t".*`, `returning *`): a prepared statement whose result
 *   columns change under it (a migration adds a column while older processes run, in a rolling upgrade)
 *   fails with "cached plan must not change result type"; named statements list their columns, so a
 *   new column changes nothing for them;
 * - beyond PER_CONNECTION statements on one connection (see PreparingClient), or MAX_NAMED in a process.
 */
import pg from 'pg';

/** Executions of the same text before it is named: a statement sent once stays unnamed. */
const PREPARE_AFTER = 2;
/** Distinct statements named per process, at most (their texts are kept here). */
const MAX_NAMED = 20_000;
/**
 * Parameters of a statement named, at most: a statement with more is a bulk write or a long `in (...)`
 * list whose text follows the size of its data (`values (...), (...)` of a bulk insert), so each size would take
 * a slot of the connection's PER_CONNECTION; its planning is small beside its execution anyway.
 */
export const MAX_PARAMETERS = 100;
/** Statements a connection prepares, at most (the server keeps a plan for each). */
export const PER_CONNECTION = 256;
/** Distinct texts counted at most; the count starts over when full (unique texts are not named). */
const MAX_COUNTED = 5_000;

const DML = /^\s*(?:select|insert|update|delete|with)\b/i;
/** `*` as a result column: after `select` (or `distinct`), `returning`, a comma or a qualifier's dot. */
const STAR_COLUMNS = /(?:\bselect\s+(?:distinct\s+)?|\breturning\s+|,\s*|\.)\*/i;

const named = new Map<string, string>();
let counts = new Map<string, number>();

/** The name `text` is prepared under on every connection, or undefined: sent unnamed (see the file's comment). */
export function preparedName(text: string): string | undefined {
  const name = named.get(text);
  if (name !== undefined) return name;
  if (named.size >= MAX_NAMED || !DML.test(text) || STAR_COLUMNS.test(text)) return undefined;
  const seen = (counts.get(text) ?? 0) + 1;
  if (seen < PREPARE_AFTER) {
    if (counts.size >= MAX_COUNTED) counts = new Map();
    counts.set(text, seen);
    return undefined;
  }
  counts.delete(text);
  const fresh = `tocsin_${named.size + 1}`;
  named.set(text, fresh);
  return fresh;
}

/** What node-postgres keeps of a connection's named statements (parsed, and sent but not yet parsed). */
interface Connection {
  parsedStatements: Record<string, string>;
  submittedNamedStatements: Record<string, string>;
}

/**
 * A node-postgres client that sends a statement with parameters under its `preparedName` (for
 * `pg.Pool`'s `Client` option), up to PER_CONNECTION statements a connection; beyond that it sends new
 * ones unnamed (nothing is deallocated: a DEALLOCATE in a failed transaction would fail and leave the
 * client's bookkeeping wrong). The pool retires a connection after an hour (`maxLifetimeSeconds` in
 * connect.ts), so what a connection holds follows what is hot. Kysely calls `query(text, values)`;
 * every other form passes through.
 */
export class PreparingClient extends pg.Client {
  /** Names this connection has sent a Parse for. */
  prepared = 0;
}

type Query = (this: pg.Client, ...args: unknown[]) => unknown;
// pg.Client's own `query`, looked up at each call (a test may wrap it to watch what is sent).
const base = pg.Client.prototype as unknown as { query: Query };
Object.defineProperty(PreparingClient.prototype, 'query', {
  value: function (this: PreparingClient, ...args: unknown[]): unknown {
    const [text, values] = args;
    if (
      args.length === 2 &&
      typeof text === 'string' &&
      Array.isArray(values) &&
      values.length > 0 &&
      values.length <= MAX_PARAMETERS
    ) {
      const name = preparedName(text);
      if (name) {
        const c = (this as unknown as { connection: Connection }).connection;
        const known = c.parsedStatements[name] !== undefined || c.submittedNamedStatements[name] !== undefined;
        if (known || this.prepared < PER_CONNECTION) {
          if (!known) this.prepared++;
          return base.query.call(this, { name, text, values });
        }
      }
    }
    return base.query.apply(this, args);
  },
  writable: true,
  configurable: true,
});
