/**
 * Training over HTTP, on each store: records entered and imported from CSV (UTF-8 and GBK, bad rows
 * reported by line while good rows are kept, a second import updating instead of duplicating), phishing
 * results with rates per campaign and per department, coverage and the overdue list per department as the
 * test clock moves past expiries, and the required on-call course gating on-call schedules (409 naming
 * the course, worded in zh-CN and English) — off until a course is marked.
 */
import iconv from 'iconv-lite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TrainingCoverage, TrainingImportResult, TrainingRecord } from '../../src/shared/training-schemas.js';
import { en } from '../../src/web/i18n/en.js';
import { zhCN } from '../../src/web/i18n/zh-CN.js';
import { createTestApp, type Session, type TestApp } from '../helpers/app.js';
import { buildUser } from '../helpers/fixtures.js';
import { expectProblem } from '../helpers/problem.js';
import { STORE_KINDS } from '../helpers/store.js';

let NOW = Date.parse('2026-12-05T02:00:00Z'); // 10:00 in Shanghai

const RECORDS_CSV = [
  'email,employee_id,name,department,course_code,course_name,completed_on,score,expires_on',
  'wang.fang@broker.example,E1001,王芳,交易运维部,SEC-101,信息安全意识,2026-03-01,92,',
  ',E1002,李强,交易运维部,SEC-101,信息安全意识,2025/11/20,85,',
  ',E1003,赵敏,客户服务部,SEC-101,信息安全意识,2026-06-30,78,2026-12-20',
  ',E1004,钱进,客户服务部,SEC-101,信息安全意识,2026-13-01,80,', // no 13th month
  ',,无名,客户服务部,SEC-101,信息安全意识,2026-06-30,80,', // nobody named
  'not-an-email,,孙丽,客户服务部,SEC-101,信息安全意识,2026-06-30,high,', // two problems
].join('\r\n');

describe.each(STORE_KINDS)('training (%s)', (kind) => {
  let t: TestApp;
  let admin: Session;
  let compliance: Session;
  let auditor: Session;

  /** Signs in again at the clock's time (sessions end when the test clock jumps weeks ahead). */
  const signInAll = async () => {
    admin = await t.login('admin');
    compliance = await t.login('compliance');
    auditor = await t.login('auditor');
  };
  /** Moves the test clock and signs in anew. */
  const setNow = async (iso: string) => {
    NOW = Date.parse(iso);
    await signInAll();
  };

  beforeAll(async () => {
    t = await createTestApp(kind, {}, { clock: { now: () => NOW } });
    await signInAll();
  });
  afterAll(() => t?.close());

  const importCsv = async (body: Buffer, kindOf: 'records' | 'phishing' = 'records', who = compliance) => {
    const res = await t.as(who, {
      method: 'POST',
      url: `/api/v1/training/imports?kind=${kindOf}`,
      headers: { 'content-type': 'text/csv' },
      payload: body,
    });
    expect(res.statusCode, res.body).toBe(200);
    return res.json() as TrainingImportResult;
  };
  const coverage = async (): Promise<TrainingCoverage> => {
    const res = await t.as(auditor, { method: 'GET', url: '/api/v1/training/coverage' });
    expect(res.statusCode, res.body).toBe(200);
    return res.json();
  };
  const setRequired = async (items: unknown[]) => {
    const res = await t.as(compliance, { method: 'PUT', url: '/api/v1/training/required-courses', payload: { items } });
    expect(res.statusCode, res.body).toBe(200);
  };

  it('imports records in GBK, reports bad rows by line, keeps good ones, and does not duplicate on re-import', async () => {
    await buildUser(t.s, { email: 'wang.fang@broker.example', name: 'Wang Fang' });
    const gbk = iconv.encode(RECORDS_CSV, 'gbk');
    const first = await importCsv(gbk);
    expect(first).toMatchObject({ kind: 'records', encoding: 'gb18030', rows: 6, added: 3, updated: 0 });
    expect(first.errors.map((e) => e.line)).toEqual([5, 6, 7]);
    expect(first.errors[0]!.message).toMatch(/completed_on "2026-13-01" is not a date/);
    expect(first.errors[1]!.message).toMatch(/e-mail or an employee id/);
    expect(first.errors[2]!.message).toMatch(/not an e-mail address.*score "high"/);
    expect(first.errors[2]!.problems.map((x) => x.code)).toEqual(['bad_email', 'bad_score']);

    // The same file again, in UTF-8 this time: updated, not added.
    const again = await importCsv(Buffer.from(RECORDS_CSV, 'utf8'));
    expect(again).toMatchObject({ encoding: 'utf-8', added: 0, updated: 3 });
    const list = await t.as(auditor, { method: 'GET', url: '/api/v1/training/records' });
    const items = list.json().items as TrainingRecord[];
    expect(items).toHaveLength(3);
    const wang = items.find((r) => r.person.email === 'wang.fang@broker.example')!;
    expect(wang.person.userId).not.toBeNull(); // the e-mail is a Tocsin account's
    expect(wang).toMatchObject({ department: '交易运维部', courseName: '信息安全意识', score: 92, source: 'import' });
    expect(items.find((r) => r.person.employeeId === 'E1002')?.person.name).toBe('李强');

    const header = await t.as(compliance, {
      method: 'POST',
      url: '/api/v1/training/imports?kind=records',
      headers: { 'content-type': 'text/csv' },
      payload: Buffer.from('name,department\n张三,IT\n'),
    });
    expect(expectProblem(header, 422).detail).toMatch(/courseCode, courseName, completedOn/);
    expectProblem(
      await t.as(auditor, {
        method: 'POST',
        url: '/api/v1/training/imports',
        headers: { 'content-type': 'text/csv' },
        payload: Buffer.from(RECORDS_CSV),
      }),
      403,
    );
  });

  it('lists coverage and the overdue per department as the clock passes expiries', async () => {
    await setRequired([
      { courseCode: 'SEC-101', courseName: '信息安全意识', periodMonths: 12 },
      { courseCode: 'PHISH-1', courseName: 'Phishing basics', periodMonths: 24 },
    ]);
    let c = await coverage();
    expect(c.today).toBe('2026-12-05');
    const ops = c.departments.find((d) => d.department === '交易运维部')!;
    // 王芳 2026-03-01 + 12 months: valid; 李强 2025-11-20 + 12 months = 2026-11-20: expired.
    expect(ops).toMatchObject({ people: 2, covered: 0, rate: 0 });
    expect(ops.courses).toEqual([
      { courseCode: 'SEC-101', valid: 1, rate: 0.5 },
      { courseCode: 'PHISH-1', valid: 0, rate: 0 },
    ]);
    const sec = (name: string) => c.overdue.find((o) => o.name === name && o.courseCode === 'SEC-101');
    expect(sec('李强')).toMatchObject({ status: 'expired', expiresOn: '2026-11-20' });
    expect(sec('赵敏')).toMatchObject({ status: 'expiring', expiresOn: '2026-12-20' }); // recorded expiry, within 30 days
    expect(sec('Wang Fang') ?? sec('王芳')).toBeUndefined();
    expect(c.overdue.filter((o) => o.courseCode === 'PHISH-1').map((o) => o.status)).toEqual([
      'missing',
      'missing',
      'missing',
    ]);

    // A record entered for 李强 through the API renews the course.
    const renewed = await t.as(compliance, {
      method: 'POST',
      url: '/api/v1/training/records',
      payload: {
        employeeId: 'E1002',
        name: '李强',
        department: '交易运维部',
        courseCode: 'PHISH-1',
        courseName: 'Phishing basics',
        completedOn: '2026-12-01',
        score: 100,
      },
    });
    expect(renewed.statusCode, renewed.body).toBe(201);
    expect(renewed.json()).toMatchObject({ expiresOn: '2028-12-01', expired: false, source: 'api' });

    await setNow('2026-12-21T02:00:00Z'); // 赵敏's recorded expiry has passed
    c = await coverage();
    expect(c.overdue.find((o) => o.name === '赵敏' && o.courseCode === 'SEC-101')?.status).toBe('expired');
    expect(c.departments.find((d) => d.department === '客户服务部')?.courses[0]).toEqual({
      courseCode: 'SEC-101',
      valid: 0,
      rate: 0,
    });
    await setNow('2026-12-05T02:00:00Z');
  });

  it('imports phishing results and gives click and report rates per campaign and department', async () => {
    const csv = [
      '活动,工号,姓名,部门,已发送,已点击,已举报',
      '2026Q4 税务通知,E1001,王芳,交易运维部,1,0,1',
      '2026Q4 税务通知,E1002,李强,交易运维部,1,1,0',
      '2026Q4 税务通知,E1003,赵敏,客户服务部,是,是,否',
      '2026Q4 税务通知,E1009,周杰,客户服务部,1,maybe,0',
      '2026Q3 快递,E1003,赵敏,客户服务部,1,0,1',
    ].join('\n');
    const res = await importCsv(iconv.encode(csv, 'gbk'), 'phishing');
    expect(res).toMatchObject({ kind: 'phishing', encoding: 'gb18030', rows: 5, added: 4, updated: 0 });
    expect(res.errors).toEqual([
      {
        line: 5,
        message: 'clicked "maybe" is not yes/no (1/0)',
        problems: [{ code: 'bad_flag', params: { column: 'clicked', value: 'maybe' } }],
      },
    ]);
    expect((await importCsv(iconv.encode(csv, 'gbk'), 'phishing')).updated).toBe(4);

    const summary = (await t.as(auditor, { method: 'GET', url: '/api/v1/training/phishing' })).json();
    expect(summary.campaigns).toEqual([
      { campaign: '2026Q3 快递', sent: 1, clicked: 0, reported: 1, clickRate: 0, reportRate: 1 },
      { campaign: '2026Q4 税务通知', sent: 3, clicked: 2, reported: 1, clickRate: 0.667, reportRate: 0.333 },
    ]);
    expect(summary.departments).toEqual([
      { department: '交易运维部', sent: 2, clicked: 1, reported: 1, clickRate: 0.5, reportRate: 0.5 },
      { department: '客户服务部', sent: 2, clicked: 1, reported: 1, clickRate: 0.5, reportRate: 0.5 },
    ]);
  });

  it('gates on-call schedules on the required on-call course once it is set, naming the course', async () => {
    const trained = await buildUser(t.s, { name: 'Trained Tang' });
    const untrained = await buildUser(t.s, { name: '未培训的吴' });
    const schedule = (people: string[]) => ({
      name: `Gate ${Math.random()}`,
      layers: [{ rotation: 'daily', participants: people, handoffTime: '09:00', startDate: '2026-12-01' }],
    });
    const post = (body: unknown) =>
      t.as(admin, { method: 'POST', url: '/api/v1/oncall/schedules', payload: body as Record<string, unknown> });
    // Off by default: anyone may be scheduled.
    const before = await post(schedule([untrained.id]));
    expect(before.statusCode, before.body).toBe(201);

    await setRequired([
      { courseCode: 'SEC-101', courseName: '信息安全意识', periodMonths: 12 },
      { courseCode: 'ONCALL-1', courseName: '值班应急处置', periodMonths: 12, oncall: true },
    ]);
    const record = await t.as(compliance, {
      method: 'POST',
      url: '/api/v1/training/records',
      payload: {
        userId: trained.id,
        department: '安全部',
        courseCode: 'ONCALL-1',
        courseName: '值班应急处置',
        completedOn: '2026-06-01',
      },
    });
    expect(record.statusCode, record.body).toBe(201);

    const refused = await post(schedule([trained.id, untrained.id]));
    const problem = expectProblem(refused, 409) as unknown as {
      code: string;
      params: Record<string, string>;
      detail: string;
    };
    expect(problem.code).toBe('training.oncall_course_missing');
    expect(problem.params).toEqual({ person: '未培训的吴', course: 'ONCALL-1', courseName: '值班应急处置' });
    expect(problem.detail).toMatch(/ONCALL-1/);
    const word = (template: string) => template.replace(/\{\{(\w+)\}\}/g, (_, k: string) => problem.params[k] ?? '');
    expect(word(en.problemCode.training.oncall_course_missing)).toContain(
      'required on-call course ONCALL-1 (值班应急处置)',
    );
    expect(word(zhCN.problemCode.training.oncall_course_missing)).toContain('未培训的吴 没有必修值班课程 ONCALL-1');

    const ok = await post(schedule([trained.id]));
    expect(ok.statusCode, ok.body).toBe(201);
    // An override adding the untrained person is refused too; the schedule made before the gate may still be renamed.
    const override = await t.as(admin, {
      method: 'POST',
      url: `/api/v1/oncall/schedules/${ok.json().id}/overrides`,
      payload: { person: untrained.id, from: '2026-12-06T00:00:00Z', to: '2026-12-07T00:00:00Z' },
    });
    expect(expectProblem(override, 409).detail).toMatch(/ONCALL-1/);
    const rename = await t.as(admin, {
      method: 'PUT',
      url: `/api/v1/oncall/schedules/${before.json().id}`,
      payload: { ...schedule([untrained.id]), name: 'Renamed' },
    });
    expect(rename.statusCode, rename.body).toBe(200);

    // A year after completion the record has expired: the trained person is refused as well.
    await setNow('2027-06-02T02:00:00Z');
    expect(expectProblem(await post(schedule([trained.id])), 409).detail).toMatch(/Trained Tang/);
    await setNow('2026-12-05T02:00:00Z');
    await setRequired([{ courseCode: 'SEC-101', courseName: '信息安全意识', periodMonths: 12 }]);
    expect((await post(schedule([untrained.id]))).statusCode).toBe(201);
  });
});
