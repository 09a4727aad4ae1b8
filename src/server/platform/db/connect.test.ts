import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { STORE_KINDS, testConfig } from '../../../../test/helpers/store.js';
import { migrate, openStore } from './connect.js';

describe.each(STORE_KINDS)('store transactions (%s)', (kind) => {
  it('commits relaxed and durable transactions alike, rolls back a failed one, and keeps FULL sync for the next', async () => {
    const { config, drop } = testConfig(kind);
    const store = await openStore(config.database);
    try {
      await migrate(store);
      const service = (key: string) => ({ id: key, key, name_zh: key, name_en: key, description: '', created_at: 1 });
      // Inside a relaxed transaction the commit does not wait for the disk.
      const inside = await store.transaction(
        async (tx) => {
          await tx.insertInto('services').values(service('relaxed-1')).execute();
          return kind === 'sqlite'
            ? store.sqlite!.pragma('synchronous', { simple: true })
            : (await sql<{ synchronous_commit: string }>`show synchronous_commit`.execute(tx)).rows[0]
                ?.synchronous_commit;
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
