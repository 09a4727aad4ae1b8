/**
 * Management reports over HTTP and by schedule, on each store, with KPI snapshots from a fixture (and
 * once on the KPI module's own figures of the data): generated on request (audited), listed, downloaded as PDF and XLSX
 * with their types and an RFC 8187 file name, bad periods refused with a clear message; the scheduler's
 * sweep on the test clock makes last month's reports on the configured day in both languages and mails
 * them with both files attached through a real SMTP server, once — a second sweep and a restarted
 * process send nothing more, and a refused send is tried again at the next sweep.
 */
import ExcelJS from 'exceljs';
import { simpleParser } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compose, type Services } from '../../src/server/compose.js';
import type { KpiSource } from '../../src/server/modules/management-report/index.js';
import { SmtpStandIn } from '../../src/server/sandbox/mail.js';
import { createTestApp, type Session, type TestApp } from '../helpers/app.js';
import { kpiIncidentRows, kpiSnapshot } from '../helpers/kpi-snapshots.js';
import { STORE_KINDS, testConfig } from '../helpers/store.js';

const kpi: KpiSource = {
  snapshot: async (_p, f) => kpiSnapshot(f),
  incidents: async (_p, f) => kpiIncidentRows(kpiSnapshot(f)),
};

describe.each(STORE_KINDS)('management reports over HTTP (%s)', (kind) => {
  let t: TestApp;
  let compliance: Session;
  let responder: Session;
  beforeAll(async () => {
    t = await createTestApp(kind, {}, { kpiSource: kpi });
    compliance = await t.login('compliance');
    responder = await t.login('responder');
  });
  afterAll(() => t?.close());

  it('generates, lists and downloads a report; every change and download audited', async () => {
    const res = await t.as(compliance, {
      method: 'POST',
      url: '/api/v1/management-reports',
      payload: { kind: 'monthly', period: '2026-11', lang: 'zh' },
    });
    expect(res.statusCode).toBe(201);
    const r = res.json();
    expect(r).toMatchObject({ kind: 'monthly', period: '2026-11', lang: 'zh', origin: 'request' });
    expect(r.files.map((f: { format: string }) => f.format)).toEqual(['pdf', 'xlsx']);

    const list = await t.as(responder, { method: 'GET', url: '/api/v1/management-reports' });
    expect(list.statusCode).toBe(403);
    const mine = await t.as(compliance, { method: 'GET', url: '/api/v1/management-reports?kind=monthly' });
    expect(mine.json().items.map((x: { id: string }) => x.id)).toEqual([r.id]);

    const pdf = await t.as(compliance, { method: 'GET', url: `/api/v1/management-reports/${r.id}/pdf` });
    expect(pdf.statusCode).toBe(200);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    expect(pdf.headers['content-disposition']).toBe(
      `attachment; filename="2026_11___________.pdf"; filename*=UTF-8''${encodeURIComponent('2026年11月网络安全事件管理报告.pdf')}`,
    );
    expect(pdf.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
    const xlsx = await t.as(compliance, { method: 'GET', url: `/api/v1/management-reports/${r.id}/xlsx` });
    expect(xlsx.headers['content-type']).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(xlsx.rawPayload as never);
    expect(wb.worksheets[0]!.name).toBe('概要');

    const audit = await t.as((await t.login('admin')) as Session, {
      method: 'GET',
      url: `/api/v1/audit?targetType=management_report&targetId=${r.id}`,
    });
    expect(
      audit
        .json()
        .items.map((e: { action: string }) => e.action)
        .sort(),
    ).toEqual(['management_report.download', 'management_report.download', 'management_report.generate']);
  });

  it('refuses a bad period, an unknown report and a role without the permission', async () => {
    const bad = await t.as(compliance, {
      method: 'POST',
      url: '/api/v1/management-reports',
      payload: { kind: 'monthly', period: '2026-13', lang: 'zh' },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(JSON.stringify(bad.json())).toContain("a monthly report's period must be YYYY-MM");
    const q = await t.as(compliance, {
      method: 'POST',
      url: '/api/v1/management-reports',
      payload: { kind: 'quarterly', period: '2026-11', lang: 'en' },
    });
    expect(JSON.stringify(q.json())).toContain("a quarterly report's period must be YYYY-Qn");
    const none = await t.as(compliance, { method: 'GET', url: '/api/v1/management-reports/nope/pdf' });
    expect(none.statusCode).toBe(404);
    expect(none.json().code).toBe('management_report.not_found');
    const denied = await t.as(responder, {
      method: 'POST',
      url: '/api/v1/management-reports',
      payload: { kind: 'annual', period: '2026', lang: 'en' },
    });
    expect(denied.statusCode).toBe(403);
  });
});

describe.each(STORE_KINDS)('scheduled management reports by email (%s)', (kind) => {
  let smtp: SmtpStandIn;
  const clock = {
    t: Date.parse('2026-12-02T10:00:00+08:00'),
    now() {
      return this.t;
    },
  };
  let cfg: ReturnType<typeof testConfig>;
  let s: Services;
  beforeAll(async () => {
    smtp = new SmtpStandIn(clock);
    const port = await smtp.listen(0);
    cfg = testConfig(
      kind,
      {
        TOCSIN_SMTP_URL: `smtp://127.0.0.1:${port}`,
        TOCSIN_MAIL_FROM: 'tocsin@firm.example',
        TOCSIN_MGMT_REPORT_RECIPIENTS: 'ciso@firm.example, board@firm.example',
        TOCSIN_MGMT_REPORT_DAY: '3',
        TOCSIN_STATUS_TIME_ZONE: 'Asia/Shanghai',
      },
      { migrated: true },
    );
    s = await compose(cfg.config, { clock, kpiSource: kpi });
  });
  afterAll(async () => {
    await s?.close();
    await smtp?.close();
    await cfg?.drop();
  });

  it('sends last month in both languages on the day, once, and retries a refused send', async () => {
    const sweep = () => s.managementReportDeliveries.sweep();
    expect(await sweep()).toEqual({ added: 0, sent: 0, failed: 0 }); // 2 December: not the day yet
    expect(smtp.messages).toHaveLength(0);

    clock.t = Date.parse('2026-12-03T00:30:00+08:00'); // the 3rd in Shanghai (still the 2nd in UTC)
    expect(await sweep()).toEqual({ added: 2, sent: 2, failed: 0 });
    expect(smtp.messages).toHaveLength(2);
    const mails = await Promise.all(smtp.messages.map((m) => simpleParser(m.raw)));
    const zh = mails.find((m) => m.subject?.includes('网络安全事件管理报告'))!;
    expect(zh.subject).toBe('[Tocsin] 2026年11月网络安全事件管理报告');
    expect(smtp.messages[0]!.rcptTo.sort()).toEqual(['board@firm.example', 'ciso@firm.example']);
    expect(zh.attachments.map((a) => [a.filename, a.contentType])).toEqual([
      ['tocsin-report-monthly-2026-11-zh.pdf', 'application/pdf'],
      ['tocsin-report-monthly-2026-11-zh.xlsx', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'],
    ]);
    expect(zh.attachments[0]!.content.subarray(0, 5).toString()).toBe('%PDF-');
    const en = mails.find((m) => m.subject?.includes('November 2026'))!;
    expect(en.subject).toBe('[Tocsin] Security incident report for management — November 2026');

    // Again, later that day, and in a restarted process over the same store: nothing more is sent.
    clock.t += 3_600_000;
    expect(await sweep()).toEqual({ added: 0, sent: 0, failed: 0 });
    const restarted = await compose(cfg.config, { clock, kpiSource: kpi, skipMigrate: true });
    try {
      expect(await restarted.managementReportDeliveries.sweep()).toEqual({ added: 0, sent: 0, failed: 0 });
    } finally {
      await restarted.close();
    }
    expect(smtp.messages).toHaveLength(2);

    // January: December, Q4 and the year, in both languages; the SMTP server refuses one, sent next sweep.
    clock.t = Date.parse('2027-01-05T09:00:00+08:00');
    smtp.failNext(1, 'error');
    const errors: unknown[] = [];
    expect(await s.managementReportDeliveries.sweep((e) => errors.push(e))).toEqual({ added: 6, sent: 5, failed: 1 });
    expect(errors).toHaveLength(1);
    expect(await sweep()).toEqual({ added: 0, sent: 1, failed: 0 });
    const subjects = (await Promise.all(smtp.messages.slice(2).map((m) => simpleParser(m.raw)))).map((m) => m.subject);
    expect(subjects.sort()).toEqual(
      [
        '[Tocsin] 2026年12月网络安全事件管理报告',
        '[Tocsin] 2026年第4季度网络安全事件管理报告',
        '[Tocsin] 2026年度网络安全事件总结报告',
        '[Tocsin] Security incident report for management — December 2026',
        '[Tocsin] Security incident report for management — Q4 2026',
        '[Tocsin] Annual network security incident summary 2026',
      ].sort(),
    );
    // Each scheduled report is kept and listed, made by the scheduler.
    const all = await s.store.db.selectFrom('management_reports').select(['origin', 'generated_by_name']).execute();
    expect(all).toHaveLength(8);
    expect(new Set(all.map((r) => `${r.origin}:${r.generated_by_name}`))).toEqual(
      new Set(['schedule:scheduler:management-reports']),
    );
    // Each delivery is an audit entry of its own, made and mailed by the scheduler.
    const delivered = await s.store.db
      .selectFrom('audit_log')
      .select(['actor_label'])
      .where('action', '=', 'management_report.deliver')
      .execute();
    expect(delivered).toHaveLength(8);
    expect(new Set(delivered.map((d) => d.actor_label))).toEqual(new Set(['scheduler:management-reports']));
  });
});

describe('management reports on the figures of the data (the KPI module)', () => {
  let t: TestApp;
  const T = Date.parse('2026-11-10T02:00:00Z'); // a Tuesday, 10:00 in Shanghai
  const clock = {
    t: T,
    now() {
      return this.t;
    },
  };
  beforeAll(async () => {
    t = await createTestApp('sqlite', {}, { clock });
  });
  afterAll(() => t?.close());

  it("lists the month's incidents with their time to recover, and counts them in the summary", async () => {
    const commander = await t.login('incident_commander');
    const made = await t.as(commander, {
      method: 'POST',
      url: '/api/v1/incidents',
      payload: {
        title: 'Trading app logins failing',
        category: 'network_attack',
        grade: 'III',
        detectedAt: new Date(T).toISOString(),
      },
    });
    expect(made.statusCode, made.body).toBe(201);
    const key = made.json().key as string;
    for (const [to, after] of [
      ['acknowledged', 5],
      ['contained', 30],
      ['recovered', 90],
    ] as const) {
      clock.t = T + after * 60_000;
      const r = await t.as(commander, { method: 'POST', url: `/api/v1/incidents/${key}/transitions`, payload: { to } });
      expect(r.statusCode, r.body).toBe(200);
    }
    clock.t = Date.parse('2026-12-03T02:00:00Z');
    const compliance = await t.login('compliance');
    const res = await t.as(compliance, {
      method: 'POST',
      url: '/api/v1/management-reports',
      payload: { kind: 'monthly', period: '2026-11', lang: 'en' },
    });
    expect(res.statusCode, res.body).toBe(201);
    const xlsx = await t.as(compliance, { method: 'GET', url: `/api/v1/management-reports/${res.json().id}/xlsx` });
    expect(xlsx.statusCode).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(xlsx.rawPayload as never);
    const list = wb.worksheets.at(-1)!;
    const rows = list.getSheetValues().filter(Boolean) as unknown[][];
    const row = rows.find((r) => r.includes(key));
    expect(row, JSON.stringify(rows)).toBeDefined();
    // The time to recover, in minutes: 90.
    expect(row).toContain(90);
    const summary = wb.worksheets[0]!;
    const figures = summary.getSheetValues().filter(Boolean) as unknown[][];
    const figure = (label: string) => figures.find((r) => r[1] === label)?.slice(2, 4);
    // This month and the one before.
    expect(figure('Security incidents')).toEqual([1, 0]);
    expect(figure('Mean time to recover (MTTR)')?.[0]).toBe(90);
  });
});
