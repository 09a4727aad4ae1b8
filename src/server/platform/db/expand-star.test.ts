import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { STORE_KINDS, withMigratedStore } from '../../../../test/helpers/store.js';
import { sendRead } from './pipeline.js';
import type { Db } from './types.js';

/** The statements the connection of `tx` holds prepared, by text. */
const preparedOn = async (tx: Db) =>
  (await sql<{ statement: string }>`select statement from pg_prepared_statements`.execute(tx)).rows.map(
    (r) => r.statement,
  );

const service = { id: 'svc-x', key: 'svc-x', name_zh: '交易', name_en: 'Trading', description: 'd', created_at: 1 };

describe.skipIf(!STORE_KINDS.includes('postgres'))('`*` spelled out as columns on PostgreSQL', () => {
  it('select *, "t".* and returning * come back with the same columns, in the same order, as `*` does', async () => {
    await withMigratedStore('postgres', async (store) => {
      await store.db.insertInto('services').values(service).execute();
      const star = (await sql<Record<string, unknown>>`select * from services`.execute(store.db)).rows;
      expect(star).toHaveLength(1);
      const plain = store.db.selectFrom('services').selectAll().where('key', '=', 'svc-x');
      const aliased = store.db
        .selectFrom('services as s')
        .innerJoin('services as t', 't.id', 's.id')
        .selectAll('s')
        .select('t.key as other_key')
        .where('s.key', '=', 'svc-x');
      for (const q of [plain, aliased]) expect(q.compile().sql).not.toContain('*');
      const rows = await plain.execute();
      expect(rows).toEqual(star);
      expect(Object.keys(rows[0]!)).toEqual(Object.keys(star[0]!));
      const joined = (await aliased.execute())[0]!;
      expect(Object.keys(joined)).toEqual([...Object.keys(star[0]!), 'other_key']);
      const updated = store.db
        .updateTable('services')
        .set({ name_en: 'Trading 2' })
        .where('key', '=', 'svc-x')
        .returningAll();
      expect(updated.compile().sql).not.toContain('*');
      const after = await updated.execute();
      expect(Object.keys(after[0]!)).toEqual(Object.keys(star[0]!));
      expect(after[0]).toMatchObject({ key: 'svc-x', name_en: 'Trading 2' });
    });
  });

  it('leaves `*` where a name may not be the table: a common table expression, a subquery, another schema, a join', async () => {
    await withMigratedStore('postgres', async (store) => {
      const left = [
        store.db
          .with('services', (db) => db.selectFrom('users').select(['id', 'email']))
          .selectFrom('services')
          .selectAll(),
        store.db.selectFrom((db) => db.selectFrom('services').select(['id', 'key']).as('s')).selectAll('s'),
        store.db
          .withSchema('pg_catalog')
          .selectFrom('pg_namespace' as 'services')
          .selectAll(),
        store.db.selectFrom('services').innerJoin('users', 'users.id', 'services.id').selectAll(),
      ];
      for (const q of left) expect(q.compile().sql).toContain('*');
      // They still run.
      for (const q of left.slice(0, 2)) expect(await q.execute()).toEqual([]);
    });
  });

  it('a `*` read is prepared under a name, answers after a column is added, and returns it once the columns are read again', async () => {
    await withMigratedStore('postgres', async (store) => {
      await store.db.insertInto('services').values(service).execute();
      const read = (tx: Db) => tx.selectFrom('services').selectAll().where('key', '=', 'svc-x');
      const text = read(store.db).compile().sql;
      const first = await store.transaction(
        async (tx) => {
          for (let i = 0; i < 2; i++) await sendRead(tx, read(tx));
          return { rows: await sendRead(tx, read(tx)), prepared: await preparedOn(tx) };
        },
        { audited: false },
      );
      expect(first.prepared).toContain(text);
      // A rolling upgrade: another process migrates while this one runs.
      await sql`alter table services add column added_later text`.execute(store.db);
      const again = await store.transaction(async (tx) => sendRead(tx, read(tx)), { audited: false });
      expect(again).toEqual(first.rows);
      expect(again[0]).not.toHaveProperty('added_later');
      await store.schemaChanged!();
      expect(read(store.db).compile().sql).toContain('"added_later"');
      expect((await read(store.db).execute())[0]).toMatchObject({ key: 'svc-x', added_later: null });
    });
  });
});
