/**
 * The engine in the server (issue 14: "the same engine serves the console"), on each store: a
 * compliance officer uploads the orders and prices extracts of a market-data outage, runs
 * `outage-price-diff` on them and gets a stored run whose per-customer amounts are exactly what the CLI
 * prints for the same files, with every bad row reported by input and line; the run's results are
 * proposed as claims. Bad inputs and options answer 422 naming the field; roles and need-to-know apply;
 * the uploads are sealed in the store (no customer number in the clear).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type Session, type TestApp } from '../helpers/app.js';
import { insertCustomer } from '../helpers/customers.js';
import { errorPaths, expectProblem } from '../helpers/problem.js';
import { STORE_KINDS } from '../helpers/store.js';

const ORDERS = [
  'order_id,customer,account,security,side,quantity,price,time,status',
  'o1,C001,A1,600519.SH,buy,100,,2026-12-01T09:35:00+08:00,rejected',
  'o2,C001,A1,000001.SZ,sell,1000,12.50,2026-12-01T09:40:00+08:00,failed',
  'o3,C002,A2,600519.SH,buy,-5,,2026-12-01T09:41:00+08:00,rejected',
  'o4,C003,A3,600519.SH,buy,10,,2026-12-01T09:41:00,rejected',
  'o5,C004,A4,999999.SH,buy,10,,2026-12-01T09:41:00+08:00,rejected',
  'o6,C005,A5,000001.SZ,buy,100,,2026-12-01T09:42:00+08:00,rejected',
  'o7,C006,A6,000001.SZ,buy,100,,2026-12-01T10:05:00+08:00,rejected',
].join('\n');
const PRICES = [
  'security,time,price',
  '600519.SH,2026-12-01T09:30:00+08:00,1500.00',
  '600519.SH,2026-12-01T10:05:00+08:00,1512.34',
  '000001.SZ,2026-12-01T09:30:00+08:00,12.40',
  '000001.SZ,2026-12-01T10:01:00+08:00,12.10',
].join('\n');
const OUTAGE = { outageStart: '2026-12-01T09:30:00+08:00', outageEnd: '2026-12-01T10:00:00+08:00' };

describe.each(STORE_KINDS)('compensation assessment in the server (%s)', (kind) => {
  let t: TestApp;
  let comp: Session;
  let cs: Session;
  let key = '';
  let orders = '';
  let prices = '';

  beforeAll(async () => {
    t = await createTestApp(kind);
    comp = await t.login('compliance');
    cs = await t.login('customer_service');
    for (const no of ['C001', 'C005']) await insertCustomer(t.s, no, {});
    const admin = await t.login('admin');
    const inc = await t.as(admin, {
      method: 'POST',
      url: '/api/v1/incidents',
      payload: { title: 'Market data outage: orders rejected', category: 'equipment_failure', grade: 'III' },
    });
    expect(inc.statusCode, inc.body).toBe(201);
    key = inc.json().key;
  });
  afterAll(() => t.close());

  const upload = (s: Session, kindOf: string, name: string, body: string) =>
    t.as(s, {
      method: 'POST',
      url: `/api/v1/incidents/${key}/compensation/inputs?kind=${kindOf}&name=${encodeURIComponent(name)}`,
      headers: { 'content-type': 'text/csv' },
      payload: body,
    });
  const assess = (s: Session, payload: Record<string, unknown>) =>
    t.as(s, { method: 'POST', url: `/api/v1/incidents/${key}/compensation/assess`, payload });
  const expectField = (res: Awaited<ReturnType<typeof assess>>, field: string) => {
    expectProblem(res, 422);
    expect(errorPaths(res)).toContain(field);
  };

  it('uploads the extracts sealed, with their size and SHA-256', async () => {
    const o = await upload(comp, 'orders', '委托-2026-12-01.csv', ORDERS);
    expect(o.statusCode, o.body).toBe(201);
    expect(o.json()).toMatchObject({ kind: 'orders', name: '委托-2026-12-01.csv', bytes: Buffer.byteLength(ORDERS) });
    expect(o.json().sha256).toMatch(/^[0-9a-f]{64}$/);
    orders = o.json().id;
    const p = await upload(comp, 'prices', 'prices.csv', PRICES);
    expect(p.statusCode, p.body).toBe(201);
    prices = p.json().id;
    const stored = await t.s.store.db.selectFrom('compensation_inputs').select('content').execute();
    expect(stored.length).toBe(2);
    for (const r of stored) expect(r.content).not.toContain('C001');
    expect(Buffer.from(stored.map((r) => r.content).join(''), 'utf8').toString()).not.toContain('600519');
  });

  it('runs outage-price-diff on them: exact amounts, bad rows by input and line, a stored run', async () => {
    const res = await assess(comp, {
      method: 'outage-price-diff',
      inputs: { orders, prices },
      parameters: { ...OUTAGE, cap: '1000', min: '10', goodwill: '50' },
    });
    expect(res.statusCode, res.body).toBe(201);
    const a = res.json();
    // C001: (1512.34 - 1500.00) x 100 + (12.50 - 12.10) x 1000 = 1634.00, capped at 1000;
    // C005: the price fell, loss 0 -> goodwill 50. o7 is after the outage; C002..C004 are bad rows.
    expect(a.run).toMatchObject({ method: 'outage-price-diff', customers: 2 });
    expect(a.skipped).toBe(3);
    expect(a.problemCount).toBe(3);
    expect(a.problems).toEqual([
      { input: '委托-2026-12-01.csv', line: 4, reason: 'quantity must not be negative' },
      { input: '委托-2026-12-01.csv', line: 5, reason: 'time without offset (ISO-8601 with Z or ±HH:MM)' },
      { input: '委托-2026-12-01.csv', line: 6, reason: 'unknown security 999999.SH (no price for it)' },
    ]);
    const results = await t.as(comp, {
      method: 'GET',
      url: `/api/v1/incidents/${key}/compensation/runs/${a.run.id}/results?limit=50`,
    });
    expect(results.statusCode, results.body).toBe(200);
    const byNo = Object.fromEntries(
      (
        results.json().items as { customerNo: string; lossMinor: number; compensationMinor: number; basis: string }[]
      ).map((r) => [r.customerNo, [r.lossMinor, r.compensationMinor, r.basis]]),
    );
    expect(byNo).toEqual({ C001: [163_400, 100_000, 'price_diff'], C005: [0, 5000, 'goodwill'] });
    const run = await t.as(comp, { method: 'GET', url: `/api/v1/incidents/${key}/compensation/runs/${a.run.id}` });
    expect(run.json().parameters).toMatchObject({
      ordersFile: '委托-2026-12-01.csv',
      pricesFile: 'prices.csv',
      cap: '1000',
    });
  });

  it('refuses a missing input, an input of another kind and a bad option, naming the field', async () => {
    expectField(
      await assess(comp, { method: 'outage-price-diff', inputs: { orders }, parameters: OUTAGE }),
      'inputs.prices',
    );
    expectField(
      await assess(comp, { method: 'outage-price-diff', inputs: { orders: prices, prices }, parameters: OUTAGE }),
      'inputs.orders',
    );
    expectField(
      await assess(comp, {
        method: 'outage-price-diff',
        inputs: { orders, prices },
        parameters: { outageStart: 'yesterday', outageEnd: OUTAGE.outageEnd },
      }),
      'parameters.outageStart',
    );
    expectField(
      await assess(comp, {
        method: 'outage-price-diff',
        inputs: { orders, prices },
        parameters: { ...OUTAGE, cap: '1.234' },
      }),
      'parameters.cap',
    );
    expectProblem(await upload(comp, 'orders', 'empty.csv', ''), 422);
  });

  it('customer service may not upload or assess; an unknown incident is 404', async () => {
    expectProblem(await upload(cs, 'orders', 'o.csv', ORDERS), 403);
    expectProblem(await assess(cs, { method: 'fixed', inputs: {}, parameters: { amount: '10' } }), 403);
    const res = await t.as(comp, {
      method: 'POST',
      url: '/api/v1/incidents/INC-2099-9999/compensation/assess',
      payload: { method: 'fixed', inputs: {}, parameters: { amount: '10' } },
    });
    expectProblem(res, 404);
  });
});
