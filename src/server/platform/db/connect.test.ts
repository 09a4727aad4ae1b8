import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { STORE_KINDS, testConfig } from '../../../../test/helpers/store.js';
import { migrate, openSqliteSide, openStore, sqliteSideFile, type Store } from './connect.js';
import type { Db } from './types.js';
import { relaxedWhile } from './relaxed-scope.js';

const service = (key: string) => ({ id: key, key, name_zh: key, name_en: key, description: '', created_at: 1 });

/** The commit's sync setting inside a transaction: SQLite's `synchronous` (1 NORMAL, 2 FULL), PostgreSQL's `synchronous_commit`. */
const syncSetting = async (store: Store, tx: Db): Promise<unknown> =>
  store.sqlite
    ? store.sqlite.pragma('synchronous', { simple: true })
    : (await sql<{ synchronous_commit: string }>`show synchronous_commit`.execute(tx)).rows[0]?.synchronous_commit;

describe.each(STORE_KINDS)('store transactions (%s)', (kind) => {
  it('commits relaxed and durable transactions alike, rolls back a failed one, and keeps FULL sync for the next', async () => {
    const { config, drop } = testConfig(kind);
    const store = await openStore(config.database);
    try {
      await migrate(store);
      // Inside a relaxed transaction the commit does not wait for the disk.
      const inside = await store.transaction(
        async (tx) => {
          await tx.insertInto('services').values(service('relaxed-1')).execute();
          return syncSetting(store, tx);
        },
        { durability: 'relaxed' },
      );
      expect(inside).toBe(kind === 'sqlite' ? 1 : 'off'); // 1 = NORMAL
      await expect(
        store.transaction(
          async (tx) => {
            await tx.insertInto('services').values(service('relaxed-2')).execute();
            throw new Error('boom');
          },
          { durability: 'relaxed' },
        ),
      ).rejects.toThrow('boom');
      await store.transaction((tx) => tx.insertInto('services').values(service('durable-1')).execute());
      const keys = (await store.db.selectFrom('services').select('key').orderBy('key').execute()).map((r) => r.key);
      expect(keys).toEqual(expect.arrayContaining(['relaxed-1', 'durable-1']));
      expect(keys).not.toContain('relaxed-2');
      if (kind === 'sqlite') {
        // 2 = FULL: the relaxed setting never outlives its own transaction, even when it failed.
        expect(store.sqlite!.pragma('synchronous', { simple: true })).toBe(2);
      } else {
        // SET LOCAL ends with its transaction: a later one waits for the disk again.
        const r = await store.transaction(
          async (tx) => (await sql<{ synchronous_commit: string }>`show synchronous_commit`.execute(tx)).rows[0],
        );
        expect(r?.synchronous_commit).toBe('on');
      }
    } finally {
      await store.close();
      await drop();
    }
  });

  it('relaxes the transactions run inside relaxedWhile (a bulk load), not those beside or after it', async () => {
    const { config, drop } = testConfig(kind);
    const store = await openStore(config.database);
    try {
      await migrate(store);
      const syncOf = (key: string, opts?: { durability: 'durable' }) =>
        store.transaction(async (tx) => {
          await tx.insertInto('services').values(service(key)).execute();
          return syncSetting(store, tx);
        }, opts);
      // The durable step at the end, seen through the store relaxedWhile is given: SQLite's WAL checkpoint,
      // PostgreSQL's durable commit of a transaction with an id, after the load's own transactions.
      const steps: string[] = [];
      const watched = {
        sqlite: store.sqlite && {
          pragma: (source: string) => {
            steps.push(source);
            return store.sqlite!.pragma(source);
          },
        },
        transaction: <T>(fn: (tx: Db) => Promise<T>, opts?: { durability?: 'durable' | 'relaxed' }) => {
          steps.push(`transaction ${opts?.durability}`);
          return store.transaction(async (tx) => {
            const r = await fn(tx);
            if (!store.sqlite) {
              const { rows } = await sql<{
                assigned: boolean;
              }>`select pg_current_xact_id_if_assigned() is not null as assigned`.execute(tx);
              steps.push(`transaction id ${rows[0]?.assigned}`);
            }
            return r;
          }, opts);
        },
      };
      const [relaxed, durable, beside] = await Promise.all([
        relaxedWhile(watched, async () => {
          const inner = [await syncOf('bulk-1'), await syncOf('bulk-2', { durability: 'durable' })];
          steps.push('loaded');
          return inner;
        }),
        Promise.resolve().then(() => syncOf('beside')),
      ]).then(([inner, b]) => [...inner, b]);
      expect(steps).toEqual(
        kind === 'sqlite'
          ? ['loaded', 'wal_checkpoint(PASSIVE)']
          : ['loaded', 'transaction durable', 'transaction id true'],
      );
      expect(relaxed).toBe(kind === 'sqlite' ? 1 : 'off');
      expect(durable).toBe(kind === 'sqlite' ? 2 : 'on');
      expect(beside).toBe(kind === 'sqlite' ? 2 : 'on');
      expect(await syncOf('after')).toBe(kind === 'sqlite' ? 2 : 'on');
      const keys = (await store.db.selectFrom('services').select('key').orderBy('key').execute()).map((r) => r.key);
      expect(keys).toEqual(['after', 'beside', 'bulk-1', 'bulk-2']);
      await expect(relaxedWhile(store, () => Promise.reject(new Error('load failed')))).rejects.toThrow('load failed');
    } finally {
      await store.close();
      await drop();
    }
  });

  it('answers a ping while open, before any migration, and refuses one once closed', async () => {
    const { config, drop } = testConfig(kind);
    const store = await openStore(config.database);
    try {
      await expect(store.ping()).resolves.toBeUndefined();
      await migrate(store);
      await expect(store.ping()).resolves.toBeUndefined();
    } finally {
      await store.close();
    }
    try {
      await expect(store.ping()).rejects.toThrow();
    } finally {
      await drop();
    }
  });
});

describe('the embedded store waits for the write lock without holding the event loop', () => {
  it('lets the event loop run while another connection writes, says it waits (writeWanted), and commits once the lock is free', async () => {
    const { config, drop } = testConfig('sqlite');
    const store = await openStore(config.database);
    const side = openSqliteSide(sqliteSideFile(store)!);
    try {
      await migrate(store);
      // Another connection (here on this thread, as the activity writer's is on its own) holds the lock.
      side.exec('begin immediate');
      let committed = false;
      const writing = store
        .transaction((tx) =>
          tx
            .insertInto('services')
            .values({ id: 's', key: 's', name_zh: 's', name_en: 's', description: '', created_at: 1 })
            .execute(),
        )
        .then(() => {
          committed = true;
        });
      // SQLite's own busy handler would sleep on this thread until its timeout, and the side could never commit.
      while (Atomics.load(store.writeWanted!, 0) !== 1) await new Promise((r) => setImmediate(r));
      expect(committed).toBe(false);
      side.exec('commit');
      await writing;
      expect(committed).toBe(true);
      expect(Atomics.load(store.writeWanted!, 0)).toBe(0);
      expect(await store.db.selectFrom('services').select('key').where('key', '=', 's').execute()).toHaveLength(1);
      // The busy timeout is back for what runs outside a transaction.
      expect(store.sqlite!.pragma('busy_timeout', { simple: true })).toBe(10_000);
    } finally {
      if (side.inTransaction) side.exec('rollback');
      side.close();
      await store.close();
      await drop();
    }
  });
});
