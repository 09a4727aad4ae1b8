/**
 * The embedded store's connection as Kysely's SQLite driver sees it, with its prepared statements
 * kept: the driver prepares every query anew (compiling its SQL each time, ~45 us a statement), and
 * raising one alert runs some forty of them. Statements are kept by their SQL text, the most recently
 * used STATEMENTS_KEPT at most. A kept statement still iterating (a streamed query) is not handed out
 * again: the query gets a statement of its own.
 */
import type BetterSqlite3 from 'better-sqlite3';
import type { SqliteDatabase } from 'kysely';

/** Statements kept at most (the distinct SQL texts of a running server are a few hundred). */
export const STATEMENTS_KEPT = 1000;

export function keepingStatements(sqlite: BetterSqlite3.Database, kept = STATEMENTS_KEPT): SqliteDatabase {
  const statements = new Map<string, BetterSqlite3.Statement>();
  return {
    close: () => sqlite.close(),
    prepare(query: string) {
      const hit = statements.get(query);
      if (hit && !hit.busy) {
        // Most recently used last: the first is the one to drop.
        statements.delete(query);
        statements.set(query, hit);
        return hit;
      }
      const statement = sqlite.prepare(query);
      if (!hit) {
        statements.set(query, statement);
        if (statements.size > kept) statements.delete(statements.keys().next().value!);
      }
      return statement;
    },
  };
}
