import { afterEach, describe, expect, it } from 'vitest';
import { insertCustomers } from '../../../../test/helpers/customers.js';
import { testConfig } from '../../../../test/helpers/store.js';
import { migrate, openStore, type Store } from '../../platform/db/connect.js';
import type { ActivityRow } from './activity-fields.js';
import { startActivityWriter } from './activity-writer.js';

const row = (i: number): ActivityRow => ({
  at: 1_764_000_000_000 + i,
  account_no: `A${10_000_000 + i}`,
  customer_no: null,
  ip: `117.136.0.${1 + (i % 250)}`,
  ip_key: null,
  device: null,
  action: 'login',
  outcome: i % 3 ? 'success' : 'failure',
  source: 'trading_web',
  event_ref: `e${i}`,
});

describe('the embedded store writes account activity on a thread of its own', () => {
  const open: { store: Store; drop: () => Promise<void> }[] = [];
  afterEach(async () => {
    for (const o of open.splice(0)) {
      await o.store.close();
      await o.drop();
    }
  });

  async function fileStore(): Promise<Store> {
    const { config, drop } = testConfig('sqlite');
    const store = await openStore(config.database);
    await migrate(store);
    open.push({ store, drop });
    return store;
  }

  it('commits rows from the thread that the store then reads, and takes the checkpoints over while it runs', async () => {
    const store = await fileStore();
    const writer = startActivityWriter(store);
    expect(writer).not.toBeNull();
    // The main connection leaves the WAL checkpoints to the thread (they would run on the event loop).
    expect(store.sqlite!.pragma('wal_autocheckpoint', { simple: true })).toBe(0);
    // More rows than one of the thread's transactions, in two messages.
    await writer!.write(Array.from({ length: 450 }, (_, i) => row(i)));
    await writer!.write([row(450)]);
    const read = store.sqlite!.prepare('select count(*) as n, max(event_ref) as last from account_activity').get() as {
      n: number;
    };
    expect(read.n).toBe(451);
    const one = store.sqlite!.prepare('select * from account_activity where event_ref = ?').get('e7') as ActivityRow;
    expect(one).toMatchObject({
      account_no: 'A10000007',
      ip: '117.136.0.8',
      outcome: 'success',
      source: 'trading_web',
    });
    // A row without a customer number gets the number of the customer holding its account; one with a
    // number keeps it; an account nobody holds has none.
    await insertCustomers(store, [{ customerNo: 'K0001', name: '客户 甲', accounts: ['A10000500'] }]);
    await writer!.write([row(500), { ...row(501), account_no: 'A10000500', customer_no: 'K0009' }, row(502)]);
    const customerOf = (ref: string) =>
      (store.sqlite!.prepare('select customer_no from account_activity where event_ref = ?').get(ref) as ActivityRow)
        .customer_no;
    expect([customerOf('e500'), customerOf('e501'), customerOf('e502')]).toEqual(['K0001', 'K0009', null]);
    await writer!.close();
    expect(store.sqlite!.pragma('wal_autocheckpoint', { simple: true })).toBe(1000);
    await expect(writer!.write([row(999)])).rejects.toThrow(/closed/);
  });

  it('has no thread for a store in memory: the caller writes on the event loop', async () => {
    const store = await openStore({ kind: 'sqlite', file: ':memory:' } as never);
    open.push({ store, drop: async () => {} });
    expect(startActivityWriter(store)).toBeNull();
  });
});
