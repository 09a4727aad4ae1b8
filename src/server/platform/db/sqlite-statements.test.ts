import BetterSqlite3 from 'better-sqlite3';
import { Kysely, SqliteDialect, sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { keepingStatements } from './sqlite-statements.js';

describe('keepingStatements (the embedded store prepares each SQL text once)', () => {
  const opened: BetterSqlite3.Database[] = [];
  afterEach(() => {
    for (const d of opened.splice(0)) if (d.open) d.close();
  });
  const open = () => {
    const d = new BetterSqlite3(':memory:');
    opened.push(d);
    d.exec('create table t (a integer, b text)');
    return d;
  };

  it('hands the same statement out again for the same SQL, and prepares each text once', () => {
    const d = open();
    let prepared = 0;
    const prepare = d.prepare.bind(d);
    d.prepare = ((q: string) => {
      prepared++;
      return prepare(q);
    }) as typeof d.prepare;
    const db = keepingStatements(d);
    const a = db.prepare('select * from t where a = ?');
    expect(db.prepare('select * from t where a = ?')).toBe(a);
    expect(db.prepare('select * from t where b = ?')).not.toBe(a);
    expect(prepared).toBe(2);
  });

  it('gives a query its own statement while the kept one is still iterating', () => {
    const d = open();
    d.exec("insert into t values (1, 'x'), (2, 'y')");
    const db = keepingStatements(d);
    const kept = db.prepare('select a from t order by a') as unknown as BetterSqlite3.Statement;
    const rows = kept.iterate();
    expect((rows.next().value as { a: number }).a).toBe(1);
    const other = db.prepare('select a from t order by a') as unknown as BetterSqlite3.Statement;
    expect(other).not.toBe(kept);
    expect(other.all()).toEqual([{ a: 1 }, { a: 2 }]);
    expect((rows.next().value as { a: number }).a).toBe(2);
    rows.return?.();
    expect(db.prepare('select a from t order by a')).toBe(kept);
  });

  it('keeps the most recently used statements only', () => {
    const d = open();
    const db = keepingStatements(d, 2);
    const one = db.prepare('select 1');
    const two = db.prepare('select 2');
    expect(db.prepare('select 1')).toBe(one); // now the most recent
    db.prepare('select 3'); // drops `select 2`
    expect(db.prepare('select 1')).toBe(one);
    expect(db.prepare('select 2')).not.toBe(two);
  });

  it('answers Kysely queries with the values bound each time, writes and reads alike', async () => {
    const db = new Kysely<{ t: { a: number; b: string } }>({
      dialect: new SqliteDialect({ database: keepingStatements(open()) }),
    });
    for (let i = 0; i < 5; i++)
      await db
        .insertInto('t')
        .values({ a: i, b: `v${i}` })
        .execute();
    const read = (a: number) => db.selectFrom('t').select('b').where('a', '=', a).executeTakeFirst();
    expect(await read(3)).toEqual({ b: 'v3' });
    expect(await read(4)).toEqual({ b: 'v4' });
    const updated = await db.updateTable('t').set({ b: 'w' }).where('a', '<', 2).executeTakeFirst();
    expect(Number(updated.numUpdatedRows)).toBe(2);
    expect((await sql<{ n: number }>`select count(*) as n from t where b = ${'w'}`.execute(db)).rows[0]!.n).toBe(2);
    await db.destroy();
  });
});
