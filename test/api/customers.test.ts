/**
 * Customers over HTTP, on each store: imports of CSV (UTF-8 with BOM, GBK with Chinese headers) and
 * XLSX, the dry run's exact lines and reasons, commit and a second import that updates, a large file
 * committed by the durable job, the CRM sync API with a machine token, reveal audited and refused to a
 * role without it, and personal data never in clear in the store.
 */
import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type Session, type TestApp } from '../helpers/app.js';
import { buildToken, buildUser } from '../helpers/fixtures.js';
import { expectProblem } from '../helpers/problem.js';
import { STORE_KINDS } from '../helpers/store.js';

const ID = '110101199003077715';
const CARD = '6222021234567894';
const BOM = Buffer.from([0xef, 0xbb, 0xbf]);

/** Lines as Excel numbers them: header 1, then 2.. */
const GOOD_AND_BAD = [
  'customer no,name,phone,email,ID number,bank card,language,channel,branch,tier,accounts',
  `C001,Zhang San,13812341234,zhang@example.com,${ID},${CARD},zh-CN,sms,Beijing,vip,A001;A002`, // 2
  ',No Number,13900000000,,,,,,,,', // 3: missing customer no.
  'C003,Bad Phone,1234,bad-mail,110101199003077718,6222021234567890,fr,fax,,,', // 4: five problems + lang + channel
  'C001,Again,13812341234,,,,,,,,', // 5: duplicate customer no.
  'C005,Li Si,+8613955556666,li@example.com,,,en,email,Shanghai,standard,A003', // 6
].join('\r\n');

describe.each(STORE_KINDS)('customers over HTTP (%s)', (kind) => {
  let t: TestApp;
  let service: Session;
  let responder: Session;
  let comms: Session;
  const clock = {
    t: Date.parse('2026-12-04T08:00:00Z'),
    now() {
      return this.t;
    },
  };

  beforeAll(async () => {
    t = await createTestApp(kind, {}, { clock });
    service = await t.login('customer_service');
    responder = await t.login('responder');
    comms = await t.login('communications');
  });
  afterAll(() => t.close());

  const upload = (who: Session, name: string, body: Buffer | string, type = 'text/csv') =>
    t.as(who, {
      method: 'POST',
      url: `/api/v1/customers/imports?filename=${encodeURIComponent(name)}`,
      headers: { 'content-type': type },
      payload: body,
    });
  const check = (who: Session, id: string, mapping: Record<string, number | null>) =>
    t.as(who, { method: 'POST', url: `/api/v1/customers/imports/${id}/check`, payload: { mapping } });
  const commit = (who: Session, id: string) =>
    t.as(who, { method: 'POST', url: `/api/v1/customers/imports/${id}/commit` });
  const auditActions = async () => (await t.s.audit.list({}, 200)).items;

  it('imports a UTF-8 CSV with a BOM: header, suggested mapping, every bad row with its line and reason', async () => {
    const up = await upload(service, 'customers.csv', Buffer.concat([BOM, Buffer.from(GOOD_AND_BAD)]));
    expect(up.statusCode, up.body).toBe(201);
    const imp = up.json();
    expect(imp).toMatchObject({ encoding: 'utf-8-bom', state: 'uploaded', rowCount: 5, fileName: 'customers.csv' });
    expect(imp.header[0]).toBe('customer no');
    expect(imp.suggestedMapping).toEqual({
      customerNo: 0,
      name: 1,
      phone: 2,
      email: 3,
      idNumber: 4,
      bankCard: 5,
      language: 6,
      channel: 7,
      branch: 8,
      tier: 9,
      accounts: 10,
    });

    const dry = await check(service, imp.id, imp.suggestedMapping);
    expect(dry.statusCode, dry.body).toBe(200);
    const report = dry.json().report;
    expect(report).toMatchObject({ new: 2, updated: 0, unchanged: 0, bad: 3 });
    const lines = report.badRows.map((b: { line: number; code: string }) => `${b.line}:${b.code}`);
    expect(lines).toEqual([
      '3:missing_customer_no',
      '4:bad_phone',
      '4:bad_email',
      '4:bad_id_number',
      '4:bad_bank_card',
      '4:unknown_language',
      '4:unknown_channel',
      '5:duplicate_customer_no',
    ]);
    const dup = report.badRows.find((b: { code: string }) => b.code === 'duplicate_customer_no');
    expect(dup.message).toEqual({
      zh: '客户号在文件中重复（首次出现于第 2 行）',
      en: 'customer no. repeats in the file (first on line 2)',
    });
    // A dry run stores no customer.
    expect((await t.as(service, { method: 'GET', url: '/api/v1/customers' })).json().items).toEqual([]);

    const done = await commit(service, imp.id);
    expect(done.statusCode, done.body).toBe(202);
    expect(done.json()).toMatchObject({ state: 'committed', rowsDone: 5, rowCount: 5, report: { new: 2, bad: 3 } });
    const entry = (await auditActions()).find((e) => e.action === 'customer.import_commit');
    expect(entry?.after).toMatchObject({ rows: 5, new: 2, updated: 0, unchanged: 0, bad: 3 });
    expect(JSON.stringify(entry)).not.toContain('13812341234');

    const list = (await t.as(service, { method: 'GET', url: '/api/v1/customers' })).json();
    expect(list.items.map((c: { customerNo: string }) => c.customerNo)).toEqual(['C001', 'C005']);
    expect(list.items[0]).toMatchObject({
      name: 'Zhang San',
      phone: '138****1234',
      email: 'z***@example.com',
      idNumber: '110101********7715',
      bankCard: '**** **** **** 7894',
      language: 'zh-CN',
      channel: 'sms',
      branch: 'Beijing',
      tier: 'vip',
      accounts: ['A001', 'A002'],
      source: 'import',
    });
    expect(list.items[1]).toMatchObject({ phone: '139****6666', language: 'en' });
    // Committed once: a second commit is refused.
    expectProblem(await commit(service, imp.id), 409);
  });

  it('reads a GBK CSV with Chinese headers, and a second import updates, leaves unchanged and refuses a taken account', async () => {
    const csv = [
      '客户号,姓名,手机号,邮箱,客户等级,资金账号',
      'C001,张三,13812341234,zhang@example.com,vip,A001', // 2: name changed, A002 given up -> updated
      'C005,Li Si,13955556666,li@example.com,standard,A003', // 3: the same -> unchanged
      'C006,王五,13700001111,,standard,A002', // 4: A002 still belongs to C001
    ].join('\n');
    const up = await upload(service, '客户.csv', iconv.encode(csv, 'gbk'));
    expect(up.statusCode, up.body).toBe(201);
    expect(up.json()).toMatchObject({
      encoding: 'gb18030',
      header: ['客户号', '姓名', '手机号', '邮箱', '客户等级', '资金账号'],
    });
    const mapping = up.json().suggestedMapping;
    expect(mapping).toEqual({ customerNo: 0, name: 1, phone: 2, email: 3, tier: 4, accounts: 5 });
    const dry = (await check(service, up.json().id, mapping)).json();
    expect(dry.report).toMatchObject({ new: 0, updated: 1, unchanged: 1, bad: 1 });
    expect(dry.report.badRows).toEqual([
      {
        line: 4,
        field: 'accounts',
        code: 'account_taken',
        message: { zh: '账号 A002 已属于其他客户 C001', en: 'account A002 already belongs to customer C001' },
      },
    ]);
    expect((await commit(service, up.json().id)).json().report).toMatchObject({ updated: 1, unchanged: 1, bad: 1 });
    const c1 = (await t.as(service, { method: 'GET', url: '/api/v1/customers/C001' })).json();
    // Columns not in the file (ID number, bank card, branch) are kept.
    expect(c1).toMatchObject({
      name: '张三',
      version: 2,
      idNumber: '110101********7715',
      branch: 'Beijing',
      accounts: ['A001'],
    });
    expectProblem(await t.as(service, { method: 'GET', url: '/api/v1/customers/C006' }), 404);
  });

  it('imports an XLSX made with exceljs, and refuses a file that is not one', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('Customers');
    ws.addRow(['Customer No', 'Name', 'Mobile', 'Branch', 'Opt-outs']);
    ws.addRow(['C010', 'Wang Wu', '13611112222', 'Shenzhen', 'marketing']);
    ws.addRow(['C011', 'Zhao Liu', '12345', 'Shenzhen', '']);
    const bytes = Buffer.from(await wb.xlsx.writeBuffer());
    const up = await upload(service, 'customers.xlsx', bytes, 'application/octet-stream');
    expect(up.statusCode, up.body).toBe(201);
    expect(up.json()).toMatchObject({ encoding: 'xlsx', rowCount: 2 });
    const dry = (await check(service, up.json().id, up.json().suggestedMapping)).json();
    expect(dry.report.badRows.map((b: { line: number; code: string }) => `${b.line}:${b.code}`)).toEqual([
      '3:bad_phone',
    ]);
    await commit(service, up.json().id);
    const c = (await t.as(service, { method: 'GET', url: '/api/v1/customers/C010' })).json();
    expect(c).toMatchObject({ phone: '136****2222', branch: 'Shenzhen', optOuts: ['marketing'] });

    expectProblem(await upload(service, 'fake.xlsx', Buffer.from('not a workbook'), 'application/octet-stream'), 422);
    expectProblem(await upload(service, 'empty.csv', Buffer.alloc(0)), 422);
    expectProblem(await upload(service, 'big.csv', Buffer.alloc(50 * 1024 * 1024 + 1, 0x41)), 413);
    // A mapping without the customer no. is refused before anything is read.
    expectProblem(await check(service, up.json().id, { name: 1 }), 409);
  });

  it('commits a large file by the durable job, progress readable meanwhile', async () => {
    const rows = Array.from(
      { length: 1201 },
      (_, i) => `L${String(i).padStart(5, '0')},Customer ${i},138${String(i).padStart(8, '0')}`,
    );
    const up = await upload(service, 'large.csv', ['客户号,姓名,手机', ...rows].join('\n'));
    expect(up.json().rowCount).toBe(1201);
    const id = up.json().id;
    expectProblem(await commit(service, id), 409); // dry run first
    expectProblem(await check(service, id, { name: 1 }), 422);
    expect((await check(service, id, up.json().suggestedMapping)).json().report).toMatchObject({ new: 1201, bad: 0 });
    const started = await commit(service, id);
    expect(started.statusCode).toBe(202);
    expect(started.json()).toMatchObject({ state: 'committing', rowsDone: 0, rowCount: 1201 });
    await t.s.jobs.runDue(clock.now());
    const after = (await t.as(service, { method: 'GET', url: `/api/v1/customers/imports/${id}` })).json();
    expect(after).toMatchObject({ state: 'committed', rowsDone: 1201, report: { new: 1201, bad: 0 } });
    const found = (await t.as(service, { method: 'GET', url: '/api/v1/customers?q=L0120' })).json();
    expect(found.items.map((c: { customerNo: string }) => c.customerNo)).toEqual(['L01200']);
  });

  it('resumes a commit where its last committed batch ended (a restart mid-import)', async () => {
    const rows = Array.from({ length: 1201 }, (_, i) => `M${String(i).padStart(5, '0')},Resumed ${i}`);
    const up = await upload(service, 'resume.csv', ['客户号,姓名', ...rows].join('\n'));
    const id = up.json().id;
    await check(service, id, up.json().suggestedMapping);
    expect((await commit(service, id)).json()).toMatchObject({ state: 'committing', rowsDone: 0 });
    // As a process that died after committing the first batch of 500 leaves it (that batch's customers
    // are not written here: what the job writes next shows where it started).
    const firstBatch = { new: 500, updated: 0, unchanged: 0, bad: 0, badRows: [] };
    await t.s.store.db
      .updateTable('customer_imports')
      .set({ rows_done: 500, report: JSON.stringify(firstBatch) })
      .where('id', '=', id)
      .execute();
    await t.s.jobs.runDue(clock.now());
    const after = (await t.as(service, { method: 'GET', url: `/api/v1/customers/imports/${id}` })).json();
    expect(after).toMatchObject({ state: 'committed', rowsDone: 1201, report: { new: 1201 } });
    const stored = await t.s.store.db
      .selectFrom('customers')
      .select('customer_no')
      .where('name', 'like', 'Resumed %')
      .orderBy('customer_no')
      .execute();
    expect(stored).toHaveLength(701);
    expect(stored[0]!.customer_no).toBe('M00500');
  });

  it('pages the list by cursor and filters by branch, tier and an exact phone, email or ID number', async () => {
    const first = (await t.as(service, { method: 'GET', url: '/api/v1/customers?limit=2&q=C0' })).json();
    expect(first.items.map((c: { customerNo: string }) => c.customerNo)).toEqual(['C001', 'C005']);
    const second = (
      await t.as(service, { method: 'GET', url: `/api/v1/customers?limit=2&q=C0&cursor=${first.next}` })
    ).json();
    expect(second.items.map((c: { customerNo: string }) => c.customerNo)).toEqual(['C010']);
    expect(second.next).toBeNull();
    const q = async (query: string) =>
      (await t.as(service, { method: 'GET', url: `/api/v1/customers?${query}` }))
        .json()
        .items.map((c: { customerNo: string }) => c.customerNo);
    expect(await q('branch=Shenzhen')).toEqual(['C010']);
    expect(await q('tier=standard')).toEqual(['C005']);
    expect(await q(`q=${encodeURIComponent('+86 138 1234 1234')}`)).toEqual(['C001']);
    expect(await q('q=ZHANG@example.com')).toEqual(['C001']);
    expect(await q(`q=${ID}`)).toEqual(['C001']);
    expect(await q('q=%E5%BC%A0')).toEqual(['C001']); // 张: a name prefix
    expectProblem(await t.as(service, { method: 'GET', url: '/api/v1/customers?cursor=forged' }), 422);
  });

  it('reveals the clear values to customer service, audited with fields and reason; refuses other roles', async () => {
    const res = await t.as(service, {
      method: 'POST',
      url: '/api/v1/customers/C001/reveal',
      payload: { reason: 'Customer called about a failed transfer', fields: ['phone', 'idNumber'] },
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual({ customerNo: 'C001', phone: '13812341234', idNumber: ID });
    const entry = (await auditActions()).find((e) => e.action === 'customer.reveal');
    expect(entry?.after).toEqual({
      customerNo: 'C001',
      fields: ['phone', 'idNumber'],
      reason: 'Customer called about a failed transfer',
    });
    expect(JSON.stringify(entry)).not.toContain('13812341234');
    for (const who of [responder, comms])
      expectProblem(
        await t.as(who, { method: 'POST', url: '/api/v1/customers/C001/reveal', payload: { reason: 'curious' } }),
        403,
      );
    expectProblem(await t.as(responder, { method: 'GET', url: '/api/v1/customers' }), 403);
    expect((await t.as(comms, { method: 'GET', url: '/api/v1/customers/C001' })).json().phone).toBe('138****1234');
  });

  it('keeps personal data out of the store in clear: sealed, hashed and masked only', async () => {
    const row = await t.s.store.db
      .selectFrom('customers')
      .selectAll()
      .where('customer_no', '=', 'C001')
      .executeTakeFirstOrThrow();
    const text = JSON.stringify(row);
    for (const clear of ['13812341234', '12341234', 'zhang@example.com', ID, CARD, '1234567894'])
      expect(text, clear).not.toContain(clear);
    expect(row.pii_sealed).toMatch(/^v1\./);
    const imports = await t.s.store.db.selectFrom('customer_imports').selectAll().execute();
    expect(JSON.stringify(imports)).not.toContain('13812341234');
  });

  it('syncs from the CRM with an events-scoped machine token: PUT one, a batch with a result per item', async () => {
    const crm = await buildUser(t.s, { role: 'customer_service' });
    const { token } = await buildToken(t.s, crm.id, { scopes: ['events'] });
    const bearer = { authorization: `Bearer ${token}` };
    const put = await t.app.inject({
      method: 'PUT',
      url: '/api/v1/customers/C100',
      headers: bearer,
      payload: {
        name: 'Sun Qi',
        phone: '+8613512345678',
        email: 'Sun@Example.com',
        accounts: ['A100'],
        optOuts: ['sms'],
      },
    });
    expect(put.statusCode, put.body).toBe(200);
    expect(put.json()).toMatchObject({
      customerNo: 'C100',
      phone: '135****5678',
      email: 's***@example.com',
      source: 'api',
      version: 1,
    });
    const bad = await t.app.inject({
      method: 'PUT',
      url: '/api/v1/customers/C101',
      headers: bearer,
      payload: { name: 'Bad', idNumber: '110101199003077718' },
    });
    expectProblem(bad, 422);
    expect(bad.json().errors[0]).toMatchObject({ path: 'body.idNumber', params: { reason: 'bad_id_number' } });

    const sync = await t.app.inject({
      method: 'POST',
      url: '/api/v1/customers/sync',
      headers: bearer,
      payload: {
        items: [
          {
            customerNo: 'C100',
            name: 'Sun Qi',
            phone: '13512345678',
            email: 'sun@example.com',
            accounts: ['A100'],
            optOuts: ['sms'],
          },
          { customerNo: 'C102', name: 'Zhou Ba', accounts: ['A001'] },
          { customerNo: 'C103', name: 'Wu Jiu', bankCard: CARD },
          { customerNo: 'C103', name: 'Wu Jiu again' },
        ],
      },
    });
    expect(sync.statusCode, sync.body).toBe(200);
    expect(sync.json().items.map((i: { outcome: string }) => i.outcome)).toEqual([
      'unchanged',
      'rejected',
      'created',
      'rejected',
    ]);
    expect(sync.json().items[1].problems[0].code).toBe('account_taken');
    expect(sync.json().items[3].problems[0].code).toBe('duplicate_customer_no');
    expect(sync.json().counts).toEqual({ created: 1, updated: 0, unchanged: 1, rejected: 2 });
    expect((await auditActions()).find((e) => e.action === 'customer.sync')?.after).toEqual(sync.json().counts);

    // A read-only token may not write customers.
    const reader = await buildToken(t.s, crm.id, { scopes: ['read'] });
    expectProblem(
      await t.app.inject({
        method: 'PUT',
        url: '/api/v1/customers/C104',
        headers: { authorization: `Bearer ${reader.token}` },
        payload: { name: 'X' },
      }),
      403,
    );
  });

  it('finds a customer by contact for other modules, and hands their contacts for sending', async () => {
    const { customers } = t.s.customers;
    expect(await customers.findByContact({ phone: '+86 135-1234-5678' })).toMatchObject({
      customerNo: 'C100',
      name: 'Sun Qi',
    });
    expect(await customers.findByContact({ email: ' LI@example.com' })).toMatchObject({
      customerNo: 'C005',
      language: 'en',
    });
    expect(await customers.findByContact({ phone: '13000000000', email: 'nobody@example.com' })).toBeNull();
    const c100 = await customers.findByContact({ phone: '13512345678' });
    expect(await customers.contactsOf([c100!.id])).toEqual([
      expect.objectContaining({ customerNo: 'C100', phone: '13512345678', email: 'sun@example.com', optOuts: ['sms'] }),
    ]);
  });

  it('re-seals under the current key (nothing to do when all rows are current), audited', async () => {
    const r = await t.s.customers.rekey({ id: null, label: 'test' });
    expect(r.resealed).toBe(0);
    expect(r.rows).toBeGreaterThan(1200);
    expect((await auditActions()).find((e) => e.action === 'customer.rekey')?.after).toEqual(r);
  });
});
