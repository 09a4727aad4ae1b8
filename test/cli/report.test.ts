/**
 * `tocsin report monthly|quarterly|annual`: spawned, a bad period, language or format is one line on
 * stderr and exit 2, and a month of the store (its own KPI figures) becomes a PDF; in-process over a
 * store with the fixture KPI snapshots, the command's run writes the zh PDF (font embedded) and the en
 * XLSX of the period, and `--keep` keeps the report in the store, audited.
 */
import fs from 'node:fs';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reportRequest, runReport } from '../../src/server/cli/commands/report.js';
import { compose, type Services } from '../../src/server/compose.js';
import { loadConfig } from '../../src/server/platform/config.js';
import { pdfInflated } from '../helpers/documents.js';
import { fixtureKpiSource } from '../helpers/kpi-snapshots.js';
import { buildOnce, lines, tempDir, tocsin } from './harness.js';

const data = tempDir('tocsin-cli-report-');
const env = { TOCSIN_DATA_DIR: data, TOCSIN_LOG_LEVEL: 'silent', TOCSIN_DETECTION_THREAD: 'main' };
const out = tempDir('tocsin-cli-report-out-');

beforeAll(async () => {
  await buildOnce();
  const s = await compose(loadConfig({ ...env, TOCSIN_PORT: '0' })); // migrates the store
  await s.close();
}, 180_000);
afterAll(() => {
  fs.rmSync(data, { recursive: true, force: true });
  fs.rmSync(out, { recursive: true, force: true });
});

describe('tocsin report (spawned)', () => {
  it.each([
    [['report', 'monthly', '--month', '2026-13', '--out', 'x.pdf'], '--month must be YYYY-MM'],
    [['report', 'monthly', '--out', 'x.pdf'], '--month must be YYYY-MM'],
    [['report', 'quarterly', '--quarter', '2026-Q5', '--out', 'x.pdf'], '--quarter must be YYYY-Qn'],
    [['report', 'annual', '--year', '26', '--out', 'x.pdf'], '--year must be YYYY'],
    [['report', 'monthly', '--month', '2026-11', '--lang', 'fr', '--out', 'x.pdf'], '--lang must be zh or en'],
    [
      ['report', 'monthly', '--month', '2026-11', '--format', 'docx', '--out', 'x.docx'],
      '--format must be pdf or xlsx',
    ],
  ])('%j -> %s', async (args, message) => {
    const r = await tocsin(args, env);
    expect(r.code).toBe(2);
    expect(lines(r.stderr)).toHaveLength(1);
    expect(r.stderr).toContain(message);
  });

  it('writes the report of a month of the store as a new user runs it (no incident yet: every figure "no data")', async () => {
    const file = path.join(out, 'november.pdf');
    const r = await tocsin(['report', 'monthly', '--month', '2026-11', '--lang', 'en', '--out', file], env);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain(file);
    expect(fs.readFileSync(file).subarray(0, 5).toString()).toBe('%PDF-');
  });
});

describe('tocsin report (in-process, fixture KPI)', () => {
  let s: Services;
  beforeAll(async () => {
    s = await compose(loadConfig({ ...env, TOCSIN_PORT: '0' }), { kpiSource: fixtureKpiSource, skipMigrate: true });
  });
  afterAll(() => s?.close());

  it('writes the PDF and the XLSX of the period; --keep keeps it, audited', async () => {
    const pdfFile = path.join(out, '报告.pdf');
    const r = await runReport(s, reportRequest('monthly', '2026-11', { lang: 'zh', out: pdfFile }));
    expect(r).toEqual({
      file: pdfFile,
      format: 'pdf',
      bytes: fs.statSync(pdfFile).size,
      title: '2026年11月网络安全事件管理报告',
      kept: false,
    });
    expect(pdfInflated(fs.readFileSync(pdfFile))).toMatch(/\/BaseFont \/[A-Z]{6}\+NotoSansSC/);

    const xlsxFile = path.join(out, 'q3.xlsx');
    const x = await runReport(s, reportRequest('quarterly', '2026-Q3', { lang: 'en', out: xlsxFile, keep: true }));
    expect(x).toMatchObject({ format: 'xlsx', title: 'Security incident report for management — Q3 2026', kept: true });
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(fs.readFileSync(xlsxFile) as never);
    expect(wb.worksheets.map((w) => w.name)).toEqual([
      'Summary',
      'Trend by month',
      'By grade',
      'By category',
      'By service',
      'Incidents',
    ]);
    const kept = await s.store.db.selectFrom('management_reports').selectAll().execute();
    expect(kept.map((k) => [k.kind, k.period, k.lang, k.generated_by_name])).toEqual([
      ['quarterly', '2026-Q3', 'en', expect.stringMatching(/^cli:/)],
    ]);
    const audit = await s.store.db
      .selectFrom('audit_log')
      .select(['action', 'target_id'])
      .where('target_type', '=', 'management_report')
      .execute();
    expect(audit).toEqual([{ action: 'management_report.generate', target_id: kept[0]!.id }]);
  });
});
