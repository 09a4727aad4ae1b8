/**
 * Compensation payout batches over HTTP, on each store (issue 14, "Approval, payout, ledger"): a batch of
 * approved claims created once per client id (the same id again: the same batch), the bank file in GBK
 * read back with iconv-lite (the Chinese payee name, the bank account; the export audited as a reveal),
 * the ledger file, the bank's return file (partial: successes paid, failures freed; bad lines reported
 * with their line; the same file twice changes nothing), mark paid (a paid claim never paid again: 409
 * with a code, and the store refuses a second item), and a ledger that reconciles to the claims.
 */
import iconv from 'iconv-lite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Batch, BatchDetail, ReturnResult } from '../../src/shared/compensation-payout-schemas.js';
import type { Claim, ClaimDetail, Ledger } from '../../src/shared/compensation-schemas.js';
import { createTestApp, type Session, type TestApp } from '../helpers/app.js';
import { expectProblem } from '../helpers/problem.js';
import { countRows, STORE_KINDS } from '../helpers/store.js';

/** A Luhn-valid 16-digit card number ending in `tail` (four digits). */
function card(tail: string): string {
  const body = `622848${tail}12345`;
  let sum = 0;
  for (let i = 0; i < body.length; i++) {
    let v = Number(body[body.length - 1 - i]);
    if (i % 2 === 0) {
      v *= 2;
      if (v > 9) v -= 9;
    }
    sum += v;
  }
  return `${body}${(10 - (sum % 10)) % 10}`;
}

const PAYEES = [
  { customerNo: 'P1', name: '张伟', bankCard: card('0001') },
  { customerNo: 'P2', name: '李娜', bankCard: card('0002') },
  { customerNo: 'P3', name: '王芳', bankCard: card('0003') },
  { customerNo: 'P4', name: 'Zhao "Lei", Jr.', bankCard: card('0004') },
  { customerNo: 'P5', name: '刘洋', bankCard: card('0005') },
];

describe.each(STORE_KINDS)('compensation payout batches (%s)', (kind) => {
  let t: TestApp;
  let admin: Session;
  let ic: Session;
  let cs: Session;
  let pay: Session; // compliance: holds compensation.pay
  let key = '';
  const clock = {
    t: Date.parse('2026-12-05T08:00:00Z'),
    now() {
      return this.t;
    },
  };
  const claimIds = new Map<string, string>();

  beforeAll(async () => {
    t = await createTestApp(kind, {}, { clock });
    admin = await t.login('admin');
    ic = await t.login('incident_commander');
    cs = await t.login('customer_service');
    pay = await t.login('compliance');
    const sync = await t.as(admin, { method: 'POST', url: '/api/v1/customers/sync', payload: { items: PAYEES } });
    expect(sync.json().counts, sync.body).toMatchObject({ created: PAYEES.length, rejected: 0 });
    const inc = await t.as(admin, {
      method: 'POST',
      url: '/api/v1/incidents',
      payload: { title: 'Order gateway outage', category: 'equipment_failure', grade: 'II' },
    });
    key = inc.json().key;
    // P1..P4 approved (opened by customer service, approved by the incident commander); P5 only offered.
    for (const [i, p] of PAYEES.entries()) {
      const c = await post(cs, `/api/v1/incidents/${key}/compensation/claims`, {
        customerNo: p.customerNo,
        source: 'owner',
        claimedMinor: 100_000,
        description: 'orders rejected during the outage',
      });
      expect(c.statusCode, c.body).toBe(201);
      const id = c.json().id as string;
      claimIds.set(p.customerNo, id);
      await step(cs, id, 'assess');
      await step(cs, id, 'offer', { amountMinor: (i + 1) * 10_000 + 55, reason: 'price difference' });
      if (p.customerNo === 'P5') continue;
      await step(cs, id, 'accept', { channel: 'phone' });
      await step(ic, id, 'approve');
    }
  });
  afterAll(() => t.close());

  const post = (s: Session, url: string, payload?: Record<string, unknown>) =>
    t.as(s, { method: 'POST', url, ...(payload ? { payload } : {}) });
  const step = async (s: Session, id: string, what: string, payload: Record<string, unknown> = {}) => {
    const res = await post(s, `/api/v1/compensation/claims/${id}/${what}`, payload);
    expect(res.statusCode, res.body).toBe(200);
    return res.json() as ClaimDetail;
  };
  const base = () => `/api/v1/incidents/${key}/compensation/batches`;
  const claim = async (no: string) =>
    (
      await t.as(admin, { method: 'GET', url: `/api/v1/compensation/claims/${claimIds.get(no)}` })
    ).json() as ClaimDetail;
  const claims = async () =>
    (await t.as(admin, { method: 'GET', url: `/api/v1/incidents/${key}/compensation/claims?limit=200` })).json()
      .items as Claim[];
  const batch = async (id: string) =>
    (await t.as(admin, { method: 'GET', url: `${base()}/${id}?limit=200` })).json() as BatchDetail;
  /** Posts a return file written in `encoding`, declared with ?encoding= unless `declare` is false (then detected). */
  const returnFile = (id: string, csv: string, encoding: 'gbk' | 'utf-8' = 'utf-8', declare = false) =>
    t.as(pay, {
      method: 'POST',
      url: `${base()}/${id}/return${declare ? `?encoding=${encoding}` : ''}`,
      headers: { 'content-type': 'text/csv' },
      payload: encoding === 'gbk' ? iconv.encode(csv, 'gbk') : Buffer.from(csv),
    });

  /** The ledger's lines equal the sums over the claims (and over the batches' items). */
  async function expectLedgerReconciles() {
    const all = await claims();
    const sum = (status: string) => {
      const of = all.filter((c) => c.status === status);
      return { count: of.length, amountMinor: of.reduce((s, c) => s + c.amountMinor, 0) };
    };
    const ledger = (await t.as(admin, { method: 'GET', url: `/api/v1/incidents/${key}/compensation/ledger` })).json()
      .currencies[0] as Ledger['currencies'][number];
    expect(ledger.claims).toBe(all.length);
    expect(ledger.paid).toEqual(sum('paid'));
    expect(ledger.approved).toEqual(sum('approved'));
    expect(ledger.offered).toEqual(sum('offered'));
    const open = all.filter((c) => c.status !== 'paid' && c.status !== 'declined');
    expect(ledger.reserve).toEqual({ count: open.length, amountMinor: open.reduce((s, c) => s + c.amountMinor, 0) });
    const batches = (await t.as(admin, { method: 'GET', url: base() })).json().items as Batch[];
    const items = batches
      .map((b) => b.paid)
      .reduce((s, l) => ({ count: s.count + l.count, amountMinor: s.amountMinor + l.amountMinor }), {
        count: 0,
        amountMinor: 0,
      });
    expect(items).toEqual(sum('paid'));
    const pending = batches.reduce((s, b) => s + b.pending.amountMinor, 0);
    expect(ledger.inPayout.amountMinor).toBe(pending);
    return ledger;
  }

  it('creates a batch of every approved claim once per id: the same id again answers the same batch', async () => {
    const before = await expectLedgerReconciles();
    expect(before.approved.count).toBe(4);
    const [a, b] = await Promise.all([
      post(pay, base(), { id: 'B-2026-12-05-01' }),
      post(pay, base(), { id: 'B-2026-12-05-01' }),
    ]);
    expect([a.statusCode, b.statusCode].sort(), `${a.body} ${b.body}`).toEqual([200, 201]);
    expect(a.json()).toEqual(b.json());
    const again = await post(pay, base(), { id: 'B-2026-12-05-01' });
    expect(again.statusCode).toBe(200);
    expect(again.json()).toMatchObject({
      id: 'B-2026-12-05-01',
      state: 'draft',
      items: 4,
      totalMinor: 10_055 + 20_055 + 30_055 + 40_055,
      total: '1002.20',
      pending: { count: 4 },
    });
    expect(await countRows(t.s.store, 'compensation_payout_batches')).toBe(1);
    const detail = await batch('B-2026-12-05-01');
    expect(detail.lines.items.map((i) => [i.seq, i.customerNo, i.amount])).toEqual(
      [
        ['P1', '100.55'],
        ['P2', '200.55'],
        ['P3', '300.55'],
        ['P4', '400.55'],
      ]
        .sort((x, y) => (claimIds.get(x[0]!)! < claimIds.get(y[0]!)! ? -1 : 1))
        .map(([no, amount], i) => [i + 1, no, amount]),
    );
    const page = (await t.as(admin, { method: 'GET', url: `${base()}/B-2026-12-05-01?limit=3` })).json() as BatchDetail;
    const rest = (
      await t.as(admin, { method: 'GET', url: `${base()}/B-2026-12-05-01?limit=3&cursor=${page.lines.next}` })
    ).json() as BatchDetail;
    expect([...page.lines.items, ...rest.lines.items].map((i) => i.seq)).toEqual([1, 2, 3, 4]);
    expect(rest.lines.next).toBeNull();
    // Nothing approved is left outside a batch; a claim in a batch joins no other; an offered one is not payable.
    expect(expectProblem(await post(pay, base(), { id: 'B-empty' }), 409)).toMatchObject({
      code: 'compensation.nothing_to_pay',
    });
    expect(expectProblem(await post(pay, base(), { id: 'B-dup', claimIds: [claimIds.get('P1')] }), 409)).toMatchObject({
      code: 'compensation.claim_in_batch',
    });
    expect(
      expectProblem(await post(pay, base(), { id: 'B-offered', claimIds: [claimIds.get('P5')] }), 409),
    ).toMatchObject({ code: 'compensation.claim_not_payable', params: { status: 'offered' } });
    // Customer service may not build payouts.
    expectProblem(await post(cs, base(), { id: 'B-cs' }), 403);
    // A claim the bank is paying cannot be revised under it.
    expect(
      expectProblem(
        await post(cs, `/api/v1/compensation/claims/${claimIds.get('P1')}/offer`, { amountMinor: 1, reason: 'x' }),
        409,
      ),
    ).toMatchObject({ code: 'compensation.claim_in_batch' });
    await expectLedgerReconciles();
  });

  it('refuses to mark a batch paid before its bank file is exported', async () => {
    const res = await post(pay, `${base()}/B-2026-12-05-01/paid`, { reference: 'BANK-1' });
    expect(expectProblem(res, 409)).toMatchObject({ code: 'compensation.batch_not_exported' });
  });

  it('exports the bank file in GBK with the Chinese payee names and accounts, audited as a reveal', async () => {
    const res = await t.as(pay, { method: 'GET', url: `${base()}/B-2026-12-05-01/file?encoding=gbk` });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['content-type']).toMatch(/text\/csv; charset=GBK/i);
    expect(res.headers['content-disposition']).toContain('payout-B-2026-12-05-01.csv');
    expect(res.rawPayload.includes(Buffer.from('张伟', 'utf8'))).toBe(false);
    const text = iconv.decode(res.rawPayload, 'gbk');
    const lines = text.split('\r\n').filter(Boolean);
    expect(lines[0]).toBe('seq,claim_ref,customer_no,payee_name,bank_account,amount_yuan,currency,memo');
    expect(lines).toHaveLength(5);
    const p1 = lines.find((l) => l.includes(',P1,'))!.split(',');
    expect(p1.slice(2, 7)).toEqual(['P1', '张伟', PAYEES[0]!.bankCard, '100.55', 'CNY']);
    expect(p1[7]).toBe(`赔偿 ${key} ${(await claim('P1')).ref}`);
    expect(lines.find((l) => l.includes(',P4,'))).toContain('"Zhao ""Lei"", Jr."');
    expect((await batch('B-2026-12-05-01')).state).toBe('exported');

    const entry = (await t.s.audit.list({}, 20)).items.find((e) => e.action === 'compensation.payout_export')!;
    expect(entry.after).toMatchObject({
      encoding: 'gbk',
      items: 4,
      revealed: { fields: ['payeeName', 'bankAccount'] },
    });
    expect((entry.after as { revealed: { customerIds: string[] } }).revealed.customerIds).toHaveLength(4);
    expect(JSON.stringify(entry)).not.toContain(PAYEES[0]!.bankCard);

    const utf8 = await t.as(pay, { method: 'GET', url: `${base()}/B-2026-12-05-01/file?encoding=utf-8` });
    expect(utf8.body).toContain('李娜');
    expect((await batch('B-2026-12-05-01')).exportCount).toBe(2);
    // The ledger file: no names, no accounts.
    const ledger = await t.as(pay, { method: 'GET', url: `${base()}/B-2026-12-05-01/file?format=ledger` });
    expect(ledger.statusCode).toBe(200);
    expect(ledger.body.split('\r\n')[0]).toBe(
      'seq,claim_ref,customer_no,amount_minor,amount_yuan,currency,state,bank_reference,paid_at,failure_reason',
    );
    expect(ledger.body).not.toContain('张伟');
    expect(ledger.body).not.toContain(PAYEES[0]!.bankCard);
    expect(ledger.body).toContain(',P2,20055,200.55,CNY,pending,');
    // Reading the file needs compensation.pay.
    expectProblem(await t.as(cs, { method: 'GET', url: `${base()}/B-2026-12-05-01/file` }), 403);
  });

  it('reads the bank’s GBK return file: successes paid, failures freed, bad lines reported; twice changes nothing', async () => {
    const d = await batch('B-2026-12-05-01');
    const seqOf = (no: string) => d.lines.items.find((i) => i.customerNo === no)!.seq;
    const ref3 = (await claim('P3')).ref;
    const csv = [
      '序号,赔偿编号,结果,银行流水号,原因',
      `${seqOf('P1')},,成功,BANK-R-1,`,
      `${seqOf('P2')},,失败,,账户已销户`,
      `,${ref3},maybe,BANK-R-3,`,
      '99,,success,BANK-R-99,',
      `,CMP-NOPE-NOPE-NOPE,success,BANK-R-0,`,
      '',
      `${seqOf('P1')},,failed,,second opinion`,
    ].join('\r\n');
    const res = await returnFile('B-2026-12-05-01', csv, 'gbk', true);
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json() as ReturnResult;
    expect(body).toMatchObject({ encoding: 'gbk', paid: 1, failed: 1, unchanged: 0 });
    expect(body.problems.map((p) => p.line)).toEqual([4, 5, 6, 8]);
    expect(body.problems[0]!.reason).toContain('maybe');
    expect(body.problems[3]!.reason).toContain('line 2');
    expect(body.batch).toMatchObject({
      state: 'exported',
      paid: { count: 1, amountMinor: 10_055 },
      failed: { count: 1 },
    });

    const p1 = await claim('P1');
    expect(p1).toMatchObject({
      status: 'paid',
      payoutBatchId: 'B-2026-12-05-01',
      paidAt: new Date(clock.t).toISOString(),
    });
    expect(p1.events.at(-1)).toMatchObject({
      kind: 'paid',
      fromStatus: 'approved',
      toStatus: 'paid',
      amountMinor: 10_055,
    });
    const p2 = await claim('P2');
    expect(p2).toMatchObject({ status: 'approved', payoutBatchId: null });
    expect((await batch('B-2026-12-05-01')).lines.items.find((i) => i.customerNo === 'P2')).toMatchObject({
      state: 'failed',
      failureReason: '账户已销户',
    });
    await expectLedgerReconciles();
    // Exported again, the bank file holds only what is still to pay.
    const rest = await t.as(pay, { method: 'GET', url: `${base()}/B-2026-12-05-01/file?encoding=utf-8` });
    const restLines = rest.body.split('\r\n').filter(Boolean);
    expect(
      restLines
        .slice(1)
        .map((l) => l.split(',')[2])
        .sort(),
    ).toEqual(['P3', 'P4']);

    const events = await countRows(t.s.store, 'compensation_claim_events');
    const audits = await countRows(t.s.store, 'audit_log');
    const twice = (await returnFile('B-2026-12-05-01', csv, 'gbk')).json() as ReturnResult;
    expect(twice).toMatchObject({ encoding: 'gbk', paid: 0, failed: 0, unchanged: 2 });
    expect(await countRows(t.s.store, 'compensation_claim_events')).toBe(events);
    expect(await countRows(t.s.store, 'audit_log')).toBe(audits);
    expect((await claim('P1')).status).toBe('paid');
  });

  it('answers a return file with no usable line as problem+json naming each line', async () => {
    const res = await returnFile('B-2026-12-05-01', 'seq,result\r\nabc,success\r\n1,perhaps\r\n');
    const body = expectProblem(res, 422) as { code?: string; errors?: { path: string; message: string }[] };
    expect(body.code).toBe('compensation.return_unusable');
    expect(body.errors?.map((e) => e.path)).toEqual(['body.line.2', 'body.line.3']);
    const noHeader = expectProblem(await returnFile('B-2026-12-05-01', 'foo,bar\r\n1,2\r\n'), 422);
    expect(noHeader.errors?.[0]?.message).toContain('result');
  });

  it('marks the rest paid with the bank reference; a paid batch and a paid claim are never paid again', async () => {
    const res = await post(pay, `${base()}/B-2026-12-05-01/paid`, {
      reference: 'BANK-BATCH-77',
      paidAt: '2026-12-05T09:30:00+08:00',
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({
      state: 'partly_paid',
      bankReference: 'BANK-BATCH-77',
      paid: { count: 3, amountMinor: 10_055 + 30_055 + 40_055 },
      failed: { count: 1, amountMinor: 20_055 },
      pending: { count: 0 },
    });
    expect(await claim('P3')).toMatchObject({ status: 'paid', paidAt: '2026-12-05T01:30:00.000Z' });
    // The customer's "payment done" notice is queued with the payment (docs/compensation-claims.md, "Notices").
    const notices = await t.as(pay, {
      method: 'GET',
      url: `/api/v1/compensation/claims/${claimIds.get('P3')}/notices`,
    });
    expect((notices.json() as { items: { kind: string }[] }).items.map((n) => n.kind)).toContain('paid');
    const again = expectProblem(await post(pay, `${base()}/B-2026-12-05-01/paid`, { reference: 'BANK-BATCH-78' }), 409);
    expect(again).toMatchObject({ code: 'compensation.batch_already_paid' });
    const noFile = expectProblem(await t.as(pay, { method: 'GET', url: `${base()}/B-2026-12-05-01/file` }), 409);
    expect(noFile).toMatchObject({ code: 'compensation.batch_already_paid' });
    const paidClaim = expectProblem(await post(pay, base(), { id: 'B-again', claimIds: [claimIds.get('P3')] }), 409);
    expect(paidClaim).toMatchObject({ code: 'compensation.claim_not_payable', params: { status: 'paid' } });
    const p3 = (await batch('B-2026-12-05-01')).lines.items.find((i) => i.customerNo === 'P3')!;
    // The store itself refuses a second live item for a paid claim, and a paid item without a reference.
    await expect(
      t.s.store.db
        .insertInto('compensation_payout_items')
        .values({
          batch_id: 'B-2026-12-05-01',
          seq: 100,
          claim_id: p3.claimId,
          claim_version: 1,
          amount_minor: 100,
          currency: 'CNY',
          state: 'pending',
          bank_reference: null,
          failure_reason: null,
          paid_at: null,
          updated_at: 0,
        })
        .execute(),
    ).rejects.toThrow();
    await expect(
      t.s.store.db
        .updateTable('compensation_payout_items')
        .set({ bank_reference: null })
        .where('claim_id', '=', p3.claimId)
        .execute(),
    ).rejects.toThrow();
    await expectLedgerReconciles();
  });

  it('pays a failed claim through a later batch, and the ledger still reconciles', async () => {
    const res = await post(pay, base(), { id: 'B-2026-12-05-02' });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({ items: 1, totalMinor: 20_055 });
    const file = await t.as(pay, { method: 'GET', url: `${base()}/B-2026-12-05-02/file` });
    expect(file.headers['content-type']).toMatch(/charset=utf-8/);
    expect(file.body).toContain(`,P2,李娜,${PAYEES[1]!.bankCard},200.55,CNY,`);
    const ref2 = (await claim('P2')).ref;
    const ret = await returnFile('B-2026-12-05-02', `claim_ref,result,bank_reference\n${ref2},success,BANK-R-2\n`);
    expect(ret.json()).toMatchObject({ encoding: 'utf-8', paid: 1, problems: [] });
    expect(ret.json().batch.state).toBe('paid');
    expect(await claim('P2')).toMatchObject({ status: 'paid', payoutBatchId: 'B-2026-12-05-02' });
    const ledger = await expectLedgerReconciles();
    expect(ledger).toMatchObject({
      paid: { count: 4, amountMinor: 10_055 + 20_055 + 30_055 + 40_055 },
      approved: { count: 0, amountMinor: 0 },
      inPayout: { count: 0, amountMinor: 0 },
      payoutFailed: { count: 1, amountMinor: 20_055 },
    });
    const list = (await t.as(admin, { method: 'GET', url: `${base()}?limit=1` })).json();
    expect(list.items.map((b: Batch) => b.id)).toEqual(['B-2026-12-05-02']);
    const next = (await t.as(admin, { method: 'GET', url: `${base()}?limit=1&cursor=${list.next}` })).json();
    expect(next).toMatchObject({ items: [{ id: 'B-2026-12-05-01', state: 'partly_paid' }], next: null });
  });
  it('refuses a bank file with a payee the file cannot pay: no bank account, or a name GBK cannot write', async () => {
    await t.as(admin, {
      method: 'POST',
      url: '/api/v1/customers/sync',
      payload: {
        items: [
          { customerNo: 'Q1', name: '陈静' },
          { customerNo: 'Q2', name: '𠮷田', bankCard: card('0007') },
        ],
      },
    });
    const inc = await t.as(admin, {
      method: 'POST',
      url: '/api/v1/incidents',
      payload: { title: 'Second outage', category: 'equipment_failure', grade: 'III' },
    });
    const other = inc.json().key as string;
    const ids: string[] = [];
    for (const no of ['Q1', 'Q2']) {
      const c = await post(cs, `/api/v1/incidents/${other}/compensation/claims`, {
        customerNo: no,
        source: 'owner',
        claimedMinor: 5_000,
        description: 'outage',
      });
      ids.push(c.json().id);
      await step(cs, c.json().id, 'assess');
      await step(cs, c.json().id, 'offer', { amountMinor: 5_000, reason: 'fixed' });
      await step(cs, c.json().id, 'accept', { channel: 'phone' });
      await step(ic, c.json().id, 'approve');
    }
    const url = `/api/v1/incidents/${other}/compensation/batches`;
    expect((await post(pay, url, { id: 'Q-1', claimIds: [ids[0]] })).statusCode).toBe(201);
    expect((await post(pay, url, { id: 'Q-2', claimIds: [ids[1]] })).statusCode).toBe(201);
    // The id belongs to its incident: the same id under another incident is refused, not answered.
    expect(expectProblem(await post(pay, base(), { id: 'Q-1' }), 409)).toMatchObject({
      code: 'compensation.batch_id_taken',
    });
    const noCard = expectProblem(await t.as(pay, { method: 'GET', url: `${url}/Q-1/file` }), 409);
    expect(noCard).toMatchObject({ code: 'compensation.payee_incomplete', params: { count: 1 } });
    const gbk = expectProblem(await t.as(pay, { method: 'GET', url: `${url}/Q-2/file?encoding=gbk` }), 409);
    expect(gbk).toMatchObject({ code: 'compensation.payee_incomplete' });
    expect((await t.as(admin, { method: 'GET', url: `${url}/Q-2` })).json().state).toBe('draft');
    const utf8 = await t.as(pay, { method: 'GET', url: `${url}/Q-2/file?encoding=utf-8` });
    expect(utf8.statusCode).toBe(200);
    expect(utf8.body).toContain(',Q2,𠮷田,');
  });
});
