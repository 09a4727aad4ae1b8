/**
 * Key rotation of customers' personal data, on each store: customers sealed under the old key are still
 * opened and found once a new key is current (the old one in TOCSIN_SECRET_KEYS_OLD), and
 * `customers.rekey` re-seals and re-hashes them under the new key, so the old key can go.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compose, type Services } from '../../src/server/compose.js';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { STORE_KINDS } from '../helpers/store.js';

const OLD = randomBytes(32).toString('base64');
const NEW = randomBytes(32).toString('base64');
const SYSTEM = { id: null, label: 'test' };

describe.each(STORE_KINDS)('customer key rotation (%s)', (kind) => {
  let t: TestApp;
  let rotated: Services;

  beforeAll(async () => {
    t = await createTestApp(kind, { TOCSIN_SECRET_KEY: OLD });
    const admin = await t.login('admin');
    for (const [no, phone] of [
      ['R1', '13800000001'],
      ['R2', '13800000002'],
      ['R3', '13800000003'],
    ])
      expect(
        (await t.as(admin, { method: 'PUT', url: `/api/v1/customers/${no}`, payload: { name: no, phone } })).statusCode,
      ).toBe(200);
    // The same store, as a process started with the new key current and the old one kept.
    rotated = await compose({ ...t.s.config, secretKeys: { key: NEW, oldKeys: [OLD] } });
  });
  afterAll(async () => {
    await rotated?.close();
    await t.close();
  });

  const keyIds = async () =>
    (await t.s.store.db.selectFrom('customers').select('pii_sealed').orderBy('customer_no').execute()).map(
      (r) => r.pii_sealed.split('.')[1],
    );

  it('still finds and opens rows under the old key, then re-seals every one under the new key', async () => {
    const before = await keyIds();
    expect(new Set(before).size).toBe(1);
    const { customers } = rotated.customers;
    const r2 = await customers.findByContact({ phone: '13800000002' });
    expect(r2).toMatchObject({ customerNo: 'R2' });
    expect((await customers.contactsOf([r2!.id]))[0]).toMatchObject({ phone: '13800000002' });

    expect(await rotated.customers.rekey(SYSTEM, { batch: 2 })).toEqual({ rows: 3, resealed: 3 });
    const after = await keyIds();
    expect(new Set(after).size).toBe(1);
    expect(after[0]).not.toBe(before[0]);
    expect(await rotated.customers.rekey(SYSTEM)).toEqual({ rows: 3, resealed: 0 });

    // The old key can go now: a process with the new key alone finds and opens every customer.
    const newOnly = await compose({ ...t.s.config, secretKeys: { key: NEW, oldKeys: [] } });
    try {
      const r3 = await newOnly.customers.customers.findByContact({ phone: '+86 138 0000 0003' });
      expect(r3).toMatchObject({ customerNo: 'R3' });
      expect((await newOnly.customers.customers.contactsOf([r3!.id]))[0]).toMatchObject({ phone: '13800000003' });
    } finally {
      await newOnly.close();
    }
  });
});
