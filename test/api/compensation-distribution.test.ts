/**
 * An assessment run's distribution (the console's chart), on each store: compensation amounts counted per
 * round-width bucket, empty buckets included, and the largest amounts first.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type Session, type TestApp } from '../helpers/app.js';
import { STORE_KINDS } from '../helpers/store.js';

describe.each(STORE_KINDS)('compensation run distribution (%s)', (kind) => {
  let t: TestApp;
  let admin: Session;

  beforeAll(async () => {
    t = await createTestApp(kind);
    admin = await t.login('admin');
  });
  afterAll(() => t.close());

  it('counts amounts per bucket and lists the largest', async () => {
    const inc = await t.as(admin, {
      method: 'POST',
      url: '/api/v1/incidents',
      payload: { title: 'Quote feed outage', category: 'equipment_failure', grade: 'II' },
    });
    const base = `/api/v1/incidents/${inc.json().key}/compensation`;
    const amounts = ['20.00', '20.00', '150.00', '199.99', '1234.56', '0.00'];
    const run = await t.as(admin, {
      method: 'POST',
      url: `${base}/runs`,
      payload: {
        method: 'outage-price-diff',
        results: amounts.map((a, i) => ({
          customer: `D${i}`,
          orders: 1,
          loss: a,
          compensation: a,
          basis: 'price_diff',
        })),
      },
    });
    expect(run.statusCode, run.body).toBe(201);
    const res = await t.as(admin, { method: 'GET', url: `${base}/runs/${run.json().id}/distribution` });
    expect(res.statusCode, res.body).toBe(200);
    const d = res.json();
    // The largest is 1,234.56 yuan: 200-yuan buckets, seven of them (0-200 ... 1,200-1,400).
    expect(d.widthMinor).toBe(20_000);
    expect(d.buckets.map((b: { count: number }) => b.count)).toEqual([5, 0, 0, 0, 0, 0, 1]);
    expect(d.buckets[0]).toEqual({ fromMinor: 0, count: 5, amountMinor: 38_999 });
    expect(d.buckets[6]).toEqual({ fromMinor: 120_000, count: 1, amountMinor: 123_456 });
    expect(d.outliers.map((o: { customerNo: string }) => o.customerNo)).toEqual(['D4', 'D3', 'D2', 'D0', 'D1', 'D5']);
    const missing = await t.as(admin, { method: 'GET', url: `${base}/runs/nope/distribution` });
    expect(missing.statusCode).toBe(404);
  });
});
