import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { STORE_KINDS, withMigratedStore } from '../../../../test/helpers/store.js';
import { loadConfig } from '../config.js';
import { ConfigError } from '../config-error.js';
import type { Store } from './connect.js';
import { sendRead } from './pipeline.js';
import { MAX_PARAMETERS, PER_CONNECTION, preparedName } from './prepared.js';
import type { Db } from './types.js';

const unique = () => Math.random().toString(36).slice(2);

describe('which statements are prepared under a name', () => {
  it('a statement with parameters is named from its second execution on, under one name', () => {
    const text = `select "key" from "services" where "key" = $1 and 'x' <> '${unique()}'`;
    expect(preparedName(text)).toBeUndefined();
    const name = preparedName(text);
    expect(name).toMatch(/^tocsin_\d+$/);
    expect(preparedName(text)).toBe(name);
  });

  it('a statement returning `*` or that is not a read or write of rows is never named', () => {
    const tag = unique();
    for (const text of [
      `select * from "services" where "key" = $1 -- ${tag}`,
      `select "s".* from "services" as "s" where "key" = $1 -- ${tag}`,
      `select "key", * from "services" where "key" = $1 -- ${tag}`,
      `update "services" set "name_en" = $1 returning * -- ${tag}`,
      `set local statement_timeout = $1 -- ${tag}`,
    ]) {
      for (let i = 0; i < 3; i++) expect(preparedName(text), text).toBeUndefined();
    }
    const counted = `select count(*) as "n" from "services" where "key" = $1 -- ${tag}`;
    preparedName(counted);
    expect(preparedName(counted)).toMatch(/^tocsin_/);
  });

  it('TOCSIN_DATABASE_URL takes ?prepare=false and refuses any other value', () => {
    const url = 'postgres://tocsin@db.example:5432/tocsin';
    const off = loadConfig({ TOCSIN_DATABASE_URL: `${url}?schema=s1&prepare=false` }).database;
    expect(off).toEqual({ kind: 'postgres', url, schema: 's1', prepare: false });
    expect(loadConfig({ TOCSIN_DATABASE_URL: url }).database).toEqual({ kind: 'postgres', url });
    expect(() => loadConfig({ TOCSIN_DATABASE_URL: `${url}?prepare=no` })).toThrow(ConfigError);
  });
});

/** The statements the connection of `tx` holds prepared, by text. */
const preparedOn = async (tx: Db) =>
  (await sql<{ statement: string }>`select statement from pg_prepared_statements`.execute(tx)).rows.map(
    (r) => r.statement,
  );

const withStore = (database: { prepare?: false }, fn: (store: Store) => Promise<void>) =>
  withMigratedStore('postgres', fn, database);

describe.skipIf(!STORE_KINDS.includes('postgres'))('named prepared statements on PostgreSQL', () => {
  it('a repeated read is parsed once per connection and keeps answering after a migration adds a column', async () => {
    await withStore({}, async (store) => {
      const tag = unique();
      const read = (tx: Db, key: string) =>
        tx.selectFrom('services').select(['key', 'name_en']).where('key', '=', key).where('description', '<>', tag);
      const text = read(store.db, 'k').compile().sql;
      await store.db
        .insertInto('services')
        .values({ id: 'svc-p', key: 'svc-p', name_zh: '交易', name_en: 'Trading', description: '', created_at: 1 })
        .execute();
      const first = await store.transaction(
        async (tx) => {
          const rows = [];
          // Pipelined: the second and third are sent before the server has parsed the second.
          for (const r of await Promise.all([0, 1, 2].map(() => sendRead(tx, read(tx, 'svc-p'))))) rows.push(r);
          return { rows, prepared: await preparedOn(tx) };
        },
        { audited: false },
      );
      expect(first.rows).toEqual([0, 1, 2].map(() => [{ key: 'svc-p', name_en: 'Trading' }]));
      expect(first.prepared.filter((s) => s === text)).toHaveLength(1);
      // A rolling upgrade: a migration adds a column while this process runs; the named read still answers.
      await sql`alter table services add column added_later text`.execute(store.db);
      const again = await store.transaction(
        async (tx) => ({ before: await preparedOn(tx), rows: await sendRead(tx, read(tx, 'svc-p')) }),
        { audited: false },
      );
      // The connection held the statement prepared before the column was added: its plan was reused.
      expect(again.before).toContain(text);
      expect(again.rows).toEqual([{ key: 'svc-p', name_en: 'Trading' }]);
    });
  });

  it('a connection prepares at most PER_CONNECTION statements; those beyond go unnamed and still answer', async () => {
    await withStore({}, async (store) => {
      const tag = unique();
      const texts = Array.from({ length: PER_CONNECTION + 20 }, (_, i) => `${tag}-${i}`);
      const { answers, prepared } = await store.transaction(
        async (tx) => {
          const answers: number[] = [];
          for (let round = 0; round < 3; round++)
            for (const t of texts) {
              const r = await sql<{ n: number }>`select length(${t}::text) as n, ${sql.lit(t)} as tag`.execute(tx);
              answers.push(r.rows[0]!.n);
            }
          return { answers, prepared: await preparedOn(tx) };
        },
        { audited: false },
      );
      expect(answers).toEqual([0, 1, 2].flatMap(() => texts.map((t) => t.length)));
      // A literal of its own in each: PER_CONNECTION + 20 distinct statements, each sent three times.
      expect(prepared.length).toBe(PER_CONNECTION);
    });
  });

  it('a statement with more than MAX_PARAMETERS parameters is sent unnamed', async () => {
    await withStore({}, async (store) => {
      const keys = Array.from({ length: MAX_PARAMETERS + 1 }, (_, i) => `bulk-${i}`);
      const bulk = (tx: Db) => tx.selectFrom('services').select('key').where('key', 'in', keys);
      const prepared = await store.transaction(
        async (tx) => {
          for (let i = 0; i < 3; i++) expect(await bulk(tx).execute()).toEqual([]);
          return preparedOn(tx);
        },
        { audited: false },
      );
      expect(prepared).not.toContain(bulk(store.db).compile().sql);
    });
  });

  it('?prepare=false sends every statement unnamed', async () => {
    await withStore({ prepare: false }, async (store) => {
      const prepared = await store.transaction(
        async (tx) => {
          for (let i = 0; i < 4; i++)
            await tx.selectFrom('services').select('key').where('key', '=', `k${i}`).execute();
          return preparedOn(tx);
        },
        { audited: false },
      );
      expect(prepared).toEqual([]);
    });
  });
});
