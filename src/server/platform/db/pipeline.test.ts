import net from 'node:net';
import { describe, expect, it } from 'vitest';
import { STORE_KINDS, withMigratedStore } from '../../../../test/helpers/store.js';
import type { Store } from './connect.js';
import { sendRead, sendWrite } from './pipeline.js';
import type { Db } from './types.js';

const service = (key: string) => ({ id: key, key, name_zh: key, name_en: key, description: '', created_at: 1 });
const insertService = (tx: Db, key: string) => sendWrite(tx, tx.insertInto('services').values(service(key)));
const keysOf = async (store: Store) =>
  (await store.db.selectFrom('services').select('key').orderBy('key').execute()).map((r) => r.key);

const withStore = (kind: 'sqlite' | 'postgres', fn: (store: Store) => Promise<void>) => withMigratedStore(kind, fn);

describe.each(STORE_KINDS)('pipelined writes and reads in a transaction (%s)', (kind) => {
  it('a read sent behind writes sees them, and every write is in once the transaction commits', async () => {
    await withStore(kind, async (store) => {
      const seen = await store.transaction(async (tx) => {
        await insertService(tx, 'pipe-a');
        await insertService(tx, 'pipe-b');
        const [mine, all] = await Promise.all([
          sendRead(tx, tx.selectFrom('services').select('key').where('key', '=', 'pipe-a')),
          sendRead(tx, tx.selectFrom('services').select('key').where('key', 'like', 'pipe-%').orderBy('key')),
        ]);
        return { mine: mine.map((r) => r.key), all: all.map((r) => r.key) };
      });
      expect(seen).toEqual({ mine: ['pipe-a'], all: ['pipe-a', 'pipe-b'] });
      expect(await keysOf(store)).toEqual(expect.arrayContaining(['pipe-a', 'pipe-b']));
    });
  });

  it('a write that fails fails the transaction with its own error and nothing of it is stored', async () => {
    await withStore(kind, async (store) => {
      await store.transaction((tx) => insertService(tx, 'taken'));
      const failed = store.transaction(async (tx) => {
        await insertService(tx, 'before-the-failure');
        await insertService(tx, 'taken'); // the duplicate key: on PostgreSQL, the answer comes later
        // The statements behind it meet an aborted transaction: the error is still the duplicate's.
        await tx.selectFrom('services').select('key').execute();
        await insertService(tx, 'after-the-failure');
        return 'committed';
      });
      await expect(failed).rejects.toMatchObject({
        code: kind === 'postgres' ? '23505' : 'SQLITE_CONSTRAINT_UNIQUE', // the duplicate key, not "transaction is aborted"
      });
      const keys = await keysOf(store);
      expect(keys).toContain('taken');
      expect(keys).not.toContain('before-the-failure');
      expect(keys).not.toContain('after-the-failure');
      // The connection went back to the pool usable: the next transaction commits.
      await store.transaction((tx) => insertService(tx, 'next'));
      expect(await keysOf(store)).toContain('next');
    });
  });

  it('an error of the transaction’s own work rolls back the writes it sent', async () => {
    await withStore(kind, async (store) => {
      await expect(
        store.transaction(async (tx) => {
          await insertService(tx, 'sent-then-thrown');
          throw new Error('the work failed');
        }),
      ).rejects.toThrow('the work failed');
      expect(await keysOf(store)).not.toContain('sent-then-thrown');
    });
  });

  it.skipIf(kind !== 'postgres')(
    'a transaction whose own code swallowed a failed statement fails instead of committing nothing',
    async () => {
      await withStore(kind, async (store) => {
        await store.transaction((tx) => insertService(tx, 'taken'));
        const swallowed = store.transaction(async (tx) => {
          await insertService(tx, 'lost-with-the-rollback');
          await tx
            .insertInto('services')
            .values(service('taken'))
            .execute()
            .catch(() => {});
          return 'done';
        });
        // The server answers COMMIT of an aborted transaction with ROLLBACK: that is not a success.
        await expect(swallowed).rejects.toThrow(/aborted and rolled back/);
        expect(await keysOf(store)).not.toContain('lost-with-the-rollback');
      });
    },
  );

  it.skipIf(kind !== 'postgres')(
    'a read sent behind the chain lock once a write failed is refused without going unhandled',
    async () => {
      await withStore(kind, async (store) => {
        await store.transaction((tx) => insertService(tx, 'taken'));
        let kept: Promise<unknown> | undefined;
        store.onChainLock((tx) => {
          kept = sendRead(tx, tx.selectFrom('services').select('key'));
        });
        const failed = store.transaction(
          async (tx) => {
            await insertService(tx, 'taken');
            // Its answer has come back (the failure is known) before the lock is asked for.
            await sendRead(tx, tx.selectFrom('services').select('key')).catch(() => {});
            await store.lockChain(tx);
          },
          { audited: false },
        );
        await expect(failed).rejects.toMatchObject({ code: '23505' });
        // Refused like the lock, never awaited by the transaction: an unhandled rejection would fail the run.
        await expect(kept).rejects.toMatchObject({ code: '23505' });
      });
    },
  );

  it.skipIf(kind !== 'postgres')(
    'the statements a transaction sends in one go leave in one socket write (coalesce-writes.ts)',
    async () => {
      await withStore(kind, async (store) => {
        // Every flush of a socket to the server's port reaches _write (one buffer) or _writev (several).
        const port = Number(new URL(process.env.TOCSIN_TEST_DATABASE_URL!).port || 5432);
        const proto = net.Socket.prototype as unknown as Record<'_write' | '_writev', (...a: unknown[]) => unknown>;
        const original = { _write: proto._write, _writev: proto._writev };
        let flushes = 0;
        for (const name of ['_write', '_writev'] as const)
          proto[name] = function (this: net.Socket, ...args: unknown[]) {
            if (this.remotePort === port) flushes++;
            return original[name].apply(this, args);
          };
        try {
          await store.transaction(
            async (tx) => {
              await Promise.all([
                sendRead(tx, tx.selectFrom('services').select('key').where('key', '=', 'a')),
                sendRead(tx, tx.selectFrom('services').select('key').where('key', '=', 'b')),
              ]);
              for (const key of ['w1', 'w2', 'w3', 'w4', 'w5']) await insertService(tx, key);
            },
            { audited: false },
          );
        } finally {
          Object.assign(proto, original);
        }
        // BEGIN, 2 reads, 5 writes and COMMIT: 9 statements. BEGIN and the reads leave together, then
        // the writes and COMMIT (one write a statement before: 9).
        expect(flushes).toBeLessThanOrEqual(3);
        expect(await keysOf(store)).toEqual(expect.arrayContaining(['w1', 'w2', 'w3', 'w4', 'w5']));
      });
    },
  );
});
