/**
 * Issue 13's done-when for reports: an account takeover with customer data exposed, graded III — the CAC
 * and CSRC initial reports are drafted from the incident (facts filled, missing ones listed), approved by a
 * second person, marked submitted with a receipt (reference and file kept, SHA-256 shown), the outbox
 * event published, audit entries present, exports downloadable (PDF with the CJK font embedded, DOCX a
 * zip whose word/document.xml has the Chinese text); a DORA report's JSON follows the ITS schema.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type Session, type TestApp } from '../helpers/app.js';
import { hexOf, pdfInflated, zipEntry } from '../helpers/documents.js';
import { buildService } from '../helpers/fixtures.js';
import { expectProblem } from '../helpers/problem.js';
import { STORE_KINDS } from '../helpers/store.js';

interface ReportJson {
  id: string;
  state: string;
  version: number;
  sections: { id: string; text: { zh: string; en: string } }[];
  missing: { fact: string; section: string }[];
  submission: { reference: string; receipt: { sha256: string; size: number; name: string } } | null;
}

describe.each(STORE_KINDS)('regulator reports (%s)', (kind) => {
  let t: TestApp;
  let key: string;
  let author: Session;
  let approver: Session;
  let commander: Session;
  const heard: { obligation: string; stage: string; reportId: string }[] = [];

  beforeAll(async () => {
    t = await createTestApp(kind);
    t.s.outbox.subscribe('obligation.report_submitted', 'test-clocks', async (e) => {
      heard.push(e.payload);
    });
    await buildService(t.s, { key: 'online-trading', nameZh: '网上交易', nameEn: 'Online trading' });
    author = await t.login('compliance');
    approver = await t.login('compliance');
    commander = await t.login('incident_commander');
    // A PRC firm (not a CII operator): the live clocks run, and a filed report closes its clock.
    const profile = await t.as(await t.login('admin'), {
      method: 'PUT',
      url: '/api/v1/firm-profile',
      payload: {
        jurisdictions: ['CN'],
        ciiOperator: false,
        usBrokerDealer: null,
        listedUs: false,
        doraEntity: false,
        clientsTotal: null,
        csrcTargetMinutes: null,
      },
    });
    expect(profile.statusCode, profile.body).toBe(200);
    const created = await t.as(commander, {
      method: 'POST',
      url: '/api/v1/incidents',
      payload: {
        title: '账户盗用：客户资料泄露',
        category: 'network_attack',
        grade: 'III',
        services: ['online-trading'],
        impact: { customersAffected: 1280, recordsExposed: 1280, tradingInterrupted: false },
        commanderId: commander.userId,
      },
    });
    expect(created.statusCode, created.body).toBe(201);
    key = created.json().key;
    await t.as(commander, {
      method: 'POST',
      url: `/api/v1/incidents/${key}/timeline`,
      payload: { kind: 'decision', text: '冻结 1,280 个受影响账户并强制重置密码' },
    });
    await t.as(commander, {
      method: 'POST',
      url: `/api/v1/incidents/${key}/tasks`,
      payload: { title: '通知受影响客户' },
    });
  });
  afterAll(() => t.close());

  const draft = async (obligation: string, stage = 'initial'): Promise<ReportJson> => {
    const res = await t.as(author, {
      method: 'POST',
      url: `/api/v1/incidents/${key}/reports`,
      payload: { obligation, stage },
    });
    expect(res.statusCode, res.body).toBe(201);
    return res.json();
  };

  it('drafts, approves and files the CAC and CSRC initial reports with their receipts', async () => {
    const optionsRes = await t.as(author, { method: 'GET', url: `/api/v1/incidents/${key}/report-options` });
    expect(optionsRes.statusCode, optionsRes.body).toBe(200);
    const options = optionsRes.json();
    expect(options.items.find((o: { obligation: string }) => o.obligation === 'cac-report').applies).not.toBe('no');

    for (const obligation of ['cac-report', 'csrc-emergency']) {
      const r = await draft(obligation);
      expect(r).toMatchObject({ state: 'draft', version: 1 });
      const all = r.sections.map((s) => s.text.zh).join('\n');
      expect(all).toContain('账户盗用：客户资料泄露');
      expect(all).toContain('III级（较大）');
      expect(all).toContain('网上交易');
      expect(all).toContain('1,280');
      expect(all).toContain('冻结 1,280 个受影响账户');
      expect(all).toContain('通知受影响客户');
      // Facts the incident does not have are marked and listed, never invented.
      expect(all).toContain('【待补充：原因分析】');
      expect(r.missing.map((m) => m.fact)).toEqual(expect.arrayContaining(['firm.name', 'cause.analysis']));
      expect(r.missing.map((m) => m.fact)).not.toContain('impact.customers_affected');

      // A person writes the cause in: a new version, the fact no longer missing.
      const saved = await t.as(author, {
        method: 'POST',
        url: `/api/v1/reports/${r.id}/versions`,
        payload: {
          fields: {
            cause: {
              zh: '撞库攻击：使用他处泄露的密码登录',
              en: 'Credential stuffing with passwords leaked elsewhere',
            },
          },
        },
      });
      expect(saved.json()).toMatchObject({ version: 2, state: 'draft' });
      expect(saved.json().missing.map((m: { fact: string }) => m.fact)).not.toContain('cause.analysis');

      await t.as(author, { method: 'POST', url: `/api/v1/reports/${r.id}/review` });
      const own = await t.as(author, { method: 'POST', url: `/api/v1/reports/${r.id}/approve` });
      expect(expectProblem(own, 403)).toMatchObject({ code: 'report.self_approval' });
      const denied = await t.as(commander, { method: 'POST', url: `/api/v1/reports/${r.id}/approve` });
      expect(expectProblem(denied, 403)).toMatchObject({ code: 'permission.denied' });
      const ok = await t.as(approver, { method: 'POST', url: `/api/v1/reports/${r.id}/approve` });
      expect(ok.json()).toMatchObject({ state: 'approved', approvedBy: { id: approver.userId } });

      const receipt = Buffer.from(`%PDF-1.4 receipt of ${obligation}`);
      const filed = await t.as(approver, {
        method: 'POST',
        url: `/api/v1/reports/${r.id}/submission?channel=${encodeURIComponent('监管报送平台')}&reference=REF-${obligation}&filename=receipt.pdf`,
        headers: { 'content-type': 'application/octet-stream' },
        payload: receipt,
      });
      expect(filed.statusCode, filed.body).toBe(200);
      const sha256 = createHash('sha256').update(receipt).digest('hex');
      expect(filed.json()).toMatchObject({
        state: 'submitted',
        submission: {
          channel: '监管报送平台',
          reference: `REF-${obligation}`,
          receipt: { sha256, size: receipt.length },
        },
      });
      const back = await t.as(author, { method: 'GET', url: `/api/v1/reports/${r.id}/receipt` });
      expect(back.rawPayload.equals(receipt)).toBe(true);
      const again = await t.as(approver, {
        method: 'POST',
        url: `/api/v1/reports/${r.id}/versions`,
        payload: { fields: { cause: { zh: '改', en: 'changed' } } },
      });
      expect(expectProblem(again, 409)).toMatchObject({ code: 'report.wrong_state' });
    }

    await t.s.jobs.runDue(t.s.clock.now());
    expect(heard.map((h) => h.obligation).sort()).toEqual(['cac-report', 'csrc-emergency']);
    expect(heard.every((h) => h.stage === 'initial')).toBe(true);
    // The incident's clocks took the filings (obligation.report_submitted): both stages met.
    const clocks = (await t.as(author, { method: 'GET', url: `/api/v1/incidents/${key}/obligations` })).json();
    const status = (obligation: string) =>
      clocks.clocks.find(
        (c: { obligation: string; stage: string }) => c.obligation === obligation && c.stage === 'initial',
      )?.status;
    expect(status('cac-report')).toBe('met');
    expect(status('csrc-emergency')).toBe('met');

    const admin = await t.login('admin');
    const audit = (await t.as(admin, { method: 'GET', url: '/api/v1/audit?limit=200' })).json();
    const actions = audit.items.map((e: { action: string }) => e.action);
    for (const a of ['report.create', 'report.version', 'report.review_request', 'report.approve', 'report.submitted'])
      expect(actions).toContain(a);
  });

  it('sends a report back to draft with the reason, and keeps every version', async () => {
    const r = await draft('pipl-notice', 'notice');
    await t.as(author, { method: 'POST', url: `/api/v1/reports/${r.id}/review` });
    const rejected = await t.as(approver, {
      method: 'POST',
      url: `/api/v1/reports/${r.id}/reject`,
      payload: { reason: '请补充个人可采取的措施' },
    });
    expect(rejected.json()).toMatchObject({ state: 'draft', rejectReason: '请补充个人可采取的措施' });
    await t.as(author, {
      method: 'POST',
      url: `/api/v1/reports/${r.id}/versions`,
      payload: { fields: { advice: { zh: '请立即修改密码', en: 'Change your password now' } } },
    });
    const versions = (await t.as(author, { method: 'GET', url: `/api/v1/reports/${r.id}/versions` })).json();
    expect(versions.items.map((v: { n: number }) => v.n)).toEqual([2, 1]);
    expect(versions.items[1].fields.advice.zh).toContain('【待补充：');
  });

  it('exports PDF with the CJK font embedded, DOCX with the Chinese text, plain text', async () => {
    const r = await draft('cac-report');
    const pdf = await t.as(author, { method: 'GET', url: `/api/v1/reports/${r.id}/export?format=pdf&lang=zh` });
    expect(pdf.statusCode).toBe(200);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    const inside = pdfInflated(pdf.rawPayload);
    expect(inside).toMatch(/\/BaseFont \/[A-Z]{6}\+NotoSansSC-Regular/); // a subset, embedded
    expect(inside).toContain('/FontFile2');
    expect(inside).toContain('/ToUnicode');
    const cmap = inside.toLowerCase();
    for (const c of '网络安全事件报告账户盗用') expect(cmap).toContain(`<${hexOf(c)}>`);
    expect(inside.match(/\/Type \/Page\b/g)?.length).toBeGreaterThanOrEqual(1);

    const docx = await t.as(author, { method: 'GET', url: `/api/v1/reports/${r.id}/export?format=docx&lang=zh` });
    const xml = zipEntry(docx.rawPayload, 'word/document.xml')?.toString('utf8') ?? '';
    expect(xml).toContain('网络安全事件报告');
    expect(xml).toContain('账户盗用：客户资料泄露');

    const txt = await t.as(author, { method: 'GET', url: `/api/v1/reports/${r.id}/export?format=txt&lang=en` });
    expect(txt.body).toContain('Network security incident report (initial)');
    expect(txt.body).toContain('[TO BE COMPLETED: cause analysis]');

    const json = await t.as(author, { method: 'GET', url: `/api/v1/reports/${r.id}/export?format=json` });
    expect(expectProblem(json, 409)).toMatchObject({ code: 'report.no_json_export' });
  });

  it("exports a DORA report as JSON in the ITS template's structure (schema-valid)", async () => {
    const r = await draft('dora-initial');
    const res = await t.as(author, { method: 'GET', url: `/api/v1/reports/${r.id}/export?format=json&lang=en` });
    expect(res.statusCode, res.body).toBe(200);
    const doc = res.json();
    const schema = JSON.parse(fs.readFileSync('schemas/dora-incident-report.schema.json', 'utf8'));
    const validate = new Ajv2020({ strict: true, validateFormats: false }).compile(schema);
    expect(validate(doc), JSON.stringify(validate.errors)).toBe(true);
    expect(doc.report_type).toBe('initial_notification');
    expect(doc.fields.find((f: { code: string }) => f.code === '2.1').value).toBe(key);
    expect(doc.fields.find((f: { code: string }) => f.code === '1.2').value).toBeNull();
    expect(doc.missing.map((m: { fact: string }) => m.fact)).toContain('incident.classified_at');
  });
});
