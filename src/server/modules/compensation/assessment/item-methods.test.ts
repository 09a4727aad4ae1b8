/**
 * fraud-loss, delayed-funds, fee-refund and fixed: the worked examples of docs/compensation.md asserted
 * exactly, their bad rows with line numbers, and the policy (cap, min, goodwill).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { assessItemsCsv } from './item-csv.js';
import { type ItemMethodName, type ItemParams, ItemAssessment } from './item-methods.js';
import { customerLine, summaryLine } from './lines.js';
import { NO_POLICY } from './policy.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tocsin-comp-items-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

async function run(method: ItemMethodName, csv: string, params: ItemParams = { policy: NO_POLICY }) {
  const file = path.join(dir, `${method}.csv`);
  fs.writeFileSync(file, csv);
  const problems: string[] = [];
  const r = await assessItemsCsv({ method, file, params, onProblem: (p) => problems.push(`${p.line}: ${p.reason}`) });
  const lines = [...r.customers].map((c) => JSON.parse(customerLine(c, method)));
  return { lines, summary: JSON.parse(summaryLine(r.summary)), problems };
}

describe('fraud-loss', () => {
  it('is what was taken, net of what was recovered, per customer (the worked example)', async () => {
    const r = await run(
      'fraud-loss',
      `customer,account,reference,time,amount,recovered
C100,A100,T-1,2026-05-21T09:10:00+08:00,50000.00,20000.00
C100,A100,T-2,2026-05-21T09:12:00+08:00,12345.675,
C200,A200,T-3,2026-05-21T09:20:00+08:00,800.00,800.00
C300,A300,T-4,2026-05-21T09:30:00,100.00,
C300,A300,T-5,2026-05-21T09:31:00+08:00,100.00,150.00
`,
      { policy: { capFen: 3_000_000n, minFen: 0n, goodwillFen: 10_000n } },
    );
    expect(r.lines).toEqual([
      // 30000.00 + 12345.675 = 42345.675 -> 42345.68, capped at 30000.00
      { customer: 'C100', items: 2, loss: '42345.68', compensation: '30000.00', basis: 'fraud_loss' },
      // all recovered: goodwill
      { customer: 'C200', items: 1, loss: '0.00', compensation: '100.00', basis: 'goodwill' },
    ]);
    expect(r.problems).toEqual([
      '5: time without offset (ISO-8601 with Z or ±HH:MM)',
      '6: recovered is more than the amount',
    ]);
    expect(r.summary).toMatchObject({ customers: 2, total_compensation: '30100.00', skipped: 2, rows_read: 5 });
  });
});

describe('delayed-funds', () => {
  it('is amount x rate x days / 365 (or 360), rounded once per customer (the worked example)', async () => {
    const csv = `customer,account,amount,from,to,days
C100,A100,1000000.00,2026-05-21,2026-05-28,
C100,A100,2500.50,,,3
C200,A200,10000,2026-05-21,2026-05-21,
C300,A300,-5,,,2
`;
    const r365 = await run('delayed-funds', csv, { policy: NO_POLICY, rate: 1_500_000, dayBasis: 365 });
    // 1,000,000 x 1.5 % x 7 / 365 = 287.6712328...; 2500.50 x 1.5 % x 3 / 365 = 0.3082808...; sum 287.9795136... -> 287.98
    expect(r365.lines).toEqual([
      { customer: 'C100', items: 2, loss: '287.98', compensation: '287.98', basis: 'delayed_funds' },
    ]);
    expect(r365.problems).toEqual(['4: the delay must be at least one day', '5: amount must not be negative']);
    const r360 = await run('delayed-funds', csv, { policy: NO_POLICY, rate: 1_500_000, dayBasis: 360 });
    // 1,000,000 x 1.5 % x 7 / 360 = 291.6666...; + 0.3125625 = 291.9792291... -> 291.98
    expect(r360.lines[0]).toMatchObject({ loss: '291.98' });
  });
});

describe('fee-refund and fixed', () => {
  it('refunds the fees of each customer (the worked example)', async () => {
    const r = await run(
      'fee-refund',
      'customer,account,reference,fee\nC100,A100,O1,5.00\nC100,A100,O2,0.125\nC200,A200,O3,0\nC300,A300,O4,abc\n',
      { policy: { capFen: null, minFen: 0n, goodwillFen: 500n } },
    );
    expect(r.lines).toEqual([
      { customer: 'C100', items: 2, loss: '5.13', compensation: '5.13', basis: 'fee_refund' },
      { customer: 'C200', items: 1, loss: '0.00', compensation: '5.00', basis: 'goodwill' },
    ]);
    expect(r.problems).toEqual(['5: fee is not a number']);
  });

  it('offers each listed customer the same amount once', async () => {
    const r = await run('fixed', 'customer,note\nC2,x\nC1,y\nC2,z\n,empty\n', { policy: NO_POLICY, amountFen: 8_800n });
    expect(r.lines).toEqual([
      { customer: 'C1', items: 1, loss: '0.00', compensation: '88.00', basis: 'fixed' },
      { customer: 'C2', items: 2, loss: '0.00', compensation: '88.00', basis: 'fixed' },
    ]);
    expect(r.problems).toEqual(['5: customer is empty']);
    expect(r.summary).toMatchObject({ customers: 2, total_compensation: '176.00' });
  });

  it('takes typed rows too (the store side)', () => {
    const problems: string[] = [];
    const a = new ItemAssessment('fee-refund', { policy: NO_POLICY }, (l, r) => problems.push(`${l}: ${r}`));
    expect(a.columns).toEqual(['customer', 'fee', 'account', 'reference']);
    a.row(['C1', '1.005', '', ''], 1);
    a.row(['C1', '-1', '', ''], 2);
    const { customers, summary } = a.results();
    expect([...customers].map((c) => [c.customer, c.lossFen, c.compensationFen])).toEqual([['C1', 101n, 101n]]);
    expect(summary.skipped).toBe(1);
    expect(problems).toEqual(['2: fee must not be negative']);
  });
});
