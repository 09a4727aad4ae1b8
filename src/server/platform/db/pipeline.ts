/**
 * Statements a transaction sends without waiting for the answer of the one before (PostgreSQL pipeline
 * mode, node-postgres `pipeline: true`), so that several cost one round trip:
 * - `sendWrite`: a write whose result the transaction does not read (an audit entry, an outbox row, an
 *   alert's events) goes on the wire at once and is not awaited; the transaction's COMMIT follows it
 *   (connect.ts), the transaction waits for both, and the first such write that failed fails the
 *   transaction with its own error (not with the "transaction is aborted" of the statements behind it).
 * - `sendRead`: a read goes on the wire at once; reads started together (Promise.all) share a round trip.
 * The server runs a connection's statements in the order sent, so a read sees the writes sent before it.
 * On SQLite, and outside a transaction of `Store.transaction`, both are a plain `execute()`.
 *
 * Kysely runs a transaction's statements one at a time (its single-connection provider waits for each
 * answer): these are compiled by Kysely and handed to the transaction's connection directly.
 */
import type { CompiledQuery, DatabaseConnection, RawBuilder } from 'kysely';
import type { Db } from './types.js';

interface Pipe {
  conn: DatabaseConnection;
  pending: Promise<void>[];
  /** The first write that failed, in the order sent (the cause of any failure after it). */
  failure: { error: unknown } | null;
}

const pipes = new WeakMap<object, Pipe>();

/** A Kysely query the caller does not read the rows of. */
export interface Write {
  compile(): CompiledQuery;
  execute(): Promise<unknown>;
}

/** A Kysely query whose rows the caller reads. */
export interface Read<O> {
  compile(): CompiledQuery<O>;
  execute(): Promise<O[]>;
}

/** A raw statement (Kysely's sql`...`) of `db`, to send as a Write or a Read. */
export function raw<O>(db: Db, statement: RawBuilder<O>): Read<O> {
  return { compile: () => statement.compile(db), execute: async () => (await statement.execute(db)).rows };
}

/** Lets `tx` (a PostgreSQL transaction of Store.transaction) pipeline its writes and reads. */
export async function openPipe(tx: Db): Promise<void> {
  const conn = await tx.getExecutor().provideConnection(async (c) => c);
  pipes.set(tx, { conn, pending: [], failure: null });
}

/** Sends `query` on the pipe now; its answer, which the pipe also waits for before the commit. */
function dispatch<O>(pipe: Pipe, query: CompiledQuery<O>): Promise<O[]> {
  // The transaction is aborted already: what follows would fail with "transaction is aborted". Marked
  // handled, like an answer (the pipe holds the error): a read kept for later (the chain's tail) may
  // never be awaited once the transaction fails.
  if (pipe.failure) {
    const refused = Promise.reject(pipe.failure.error);
    refused.catch(() => {});
    return refused;
  }
  const answer = pipe.conn.executeQuery<O>(query).then((r) => r.rows as O[]);
  pipe.pending.push(
    answer.then(
      () => {},
      (error: unknown) => {
        pipe.failure ??= { error };
      },
    ),
  );
  return answer;
}

/**
 * Sends `write` in the transaction of `tx` without waiting for its answer when `tx` pipelines (see the
 * file's comment); awaits it otherwise. Only for writes whose failure is the transaction's failure.
 */
export async function sendWrite(tx: Db, write: Write): Promise<void> {
  const pipe = pipes.get(tx);
  if (!pipe) {
    await write.execute();
    return;
  }
  if (pipe.failure) throw pipe.failure.error;
  // Not awaited: the pipe waits for it (and keeps its failure) before the commit.
  void dispatch(pipe, write.compile());
}

/**
 * Sends `read` in the transaction of `tx` at once, behind what the transaction sent before it, and
 * resolves to its rows: reads started together (Promise.all) share one round trip when `tx` pipelines.
 * Elsewhere the same as `read.execute()`.
 */
export function sendRead<O>(tx: Db, read: Read<O>): Promise<O[]> {
  const pipe = pipes.get(tx);
  return pipe ? dispatch(pipe, read.compile()) : read.execute();
}

/**
 * Waits for the writes `tx` sent; throws the first failure among them. `cause`: the error the
 * transaction's own work ended with, replaced by the failed write's when there is one (it is the cause).
 */
export async function drainPipe(tx: Db, cause?: { error: unknown }): Promise<void> {
  const pipe = pipes.get(tx);
  if (!pipe) {
    if (cause) throw cause.error;
    return;
  }
  pipes.delete(tx);
  await Promise.all(pipe.pending);
  if (pipe.failure) throw pipe.failure.error;
  if (cause) throw cause.error;
}
