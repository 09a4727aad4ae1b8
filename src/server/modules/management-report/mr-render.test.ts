/**
 * The management report's content, PDF and XLSX from fixture KPI snapshots (schema-valid): headings and
 * figures in both languages, ▲▼ against the previous period, "no data" with its reason instead of 0, the
 * annual summary's regulator shape with the plan left for the firm, the PDF with Noto Sans SC embedded
 * and its charts as pictures, the XLSX read back with exceljs (numbers as numbers, minutes).
 */
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { hexOf, pdfInflated } from '../../../../test/helpers/documents.js';
import { emptyKpiSnapshot, kpiIncidentRows, kpiSnapshot } from '../../../../test/helpers/kpi-snapshots.js';
import type { KpiFilter } from '../../../shared/kpi-schemas.js';
import { buildReportContent, type Block, type ReportContent } from './mr-content.js';
import { periodOf, periodsDue, previousPeriod } from './mr-period.js';
import { renderReport, type KpiSource } from './mr-render.js';

const NOW = Date.UTC(2026, 11, 5, 2, 0);

function content(kind: 'monthly' | 'quarterly' | 'annual', key: string, lang: 'zh' | 'en', empty = false) {
  const period = periodOf(kind, key);
  const previous = previousPeriod(period);
  const f = (p: typeof period): KpiFilter => ({ from: p.from, to: p.to });
  return buildReportContent({
    lang,
    period,
    previous,
    current: empty ? emptyKpiSnapshot(f(period)) : kpiSnapshot(f(period)),
    prior: kpiSnapshot(f(previous), { perMonth: 4, scale: 1.3 }),
    now: NOW,
  });
}
const table = (c: ReportContent, id: string) =>
  c.sections
    .flatMap((s) => s.blocks)
    .find((b): b is Extract<Block, { type: 'table' }> => b.type === 'table' && b.id === id)!;
const rowOf = (c: ReportContent, id: string, label: string) => table(c, id).rows.find((r) => r[0] === label)!;

const fixtureKpi: KpiSource = {
  snapshot: async (_p, f) => kpiSnapshot(f),
  incidents: async (_p, f) => kpiIncidentRows(kpiSnapshot(f)),
};

describe('periods', () => {
  it('reads months, quarters and years and the period before', () => {
    expect(periodOf('monthly', '2026-02')).toMatchObject({ from: '2026-02-01', to: '2026-02-28', months: ['2026-02'] });
    expect(periodOf('quarterly', '2026-Q4')).toMatchObject({ from: '2026-10-01', to: '2026-12-31' });
    expect(previousPeriod(periodOf('monthly', '2026-01')).key).toBe('2025-12');
    expect(previousPeriod(periodOf('quarterly', '2026-Q1')).key).toBe('2025-Q4');
    expect(previousPeriod(periodOf('annual', '2026')).months).toHaveLength(12);
  });
  it('makes last month always, last quarter at a quarter start, last year in January', () => {
    expect(periodsDue('2026-12-03').map((p) => p.key)).toEqual(['2026-11']);
    expect(periodsDue('2026-10-03').map((p) => p.key)).toEqual(['2026-09', '2026-Q3']);
    expect(periodsDue('2027-01-03').map((p) => p.key)).toEqual(['2026-12', '2026-Q4', '2026']);
  });
});

describe('management report content', () => {
  it('a monthly report in Chinese: headings, headline, ▲▼ against last month', () => {
    const c = content('monthly', '2026-11', 'zh');
    expect(c.title).toBe('2026年11月网络安全事件管理报告');
    expect(c.sections.map((s) => s.heading)).toEqual([
      '一、总体情况',
      '二、事件分级、分类与业务分布',
      '三、响应时效',
      '四、对外沟通',
      '五、监管报告',
      '六、客户影响',
      '七、赔偿',
      '八、持续改进',
    ]);
    expect(c.sections[0]!.blocks[0]).toEqual({
      type: 'paragraph',
      text: '本期共发生网络安全事件 6 起（上期 4 起），其中III级（较大） 1 起，IV级（一般） 5 起。',
    });
    expect(rowOf(c, 'summary', '安全事件数')).toEqual(['安全事件数', '6', '4', '▲ 2']);
    // MTTR 180 min now, 234 min last month: shorter is ▼.
    expect(rowOf(c, 'response', '平均恢复时间（MTTR）')).toEqual([
      '平均恢复时间（MTTR）',
      '6',
      '180 分钟',
      '144 分钟',
      '342 分钟',
      '234 分钟',
      '▼ 54 分钟',
    ]);
    expect(rowOf(c, 'summary', '监管报告按时率')[1]).toBe('91.7%（11/12）');
    expect(rowOf(c, 'compensation', '已支付赔偿')[1]).toBe('CNY 12,500.00');
    // A single month draws the categories, not a one-point trend.
    const charts = c.sections.flatMap((s) => s.blocks).filter((b) => b.type === 'chart');
    expect(charts.map((b) => b.id)).toEqual(['by_category']);
  });

  it('a period without data says "no data" and why, never 0', () => {
    const c = content('monthly', '2026-11', 'zh', true);
    expect(c.sections[0]!.blocks[0]).toEqual({ type: 'paragraph', text: '本期未发生网络安全事件。' });
    const mttr = rowOf(c, 'response', '平均恢复时间（MTTR）');
    expect(mttr.slice(1, 5)).toEqual(['0', '无数据（本期没有相关数据）', '—', '—']);
    // No category this month: no empty chart.
    expect(c.sections[1]!.blocks.some((b) => b.type === 'chart')).toBe(false);
    expect(mttr[6]).toBe('—');
    expect(rowOf(c, 'improvement', '培训覆盖率')[1]).toBe('无数据（未保存该指标所需的数据）');
    expect(rowOf(c, 'customers', '客户满意度（1–5）')[1]).toBe('无数据（本期没有相关数据）');
    const en = content('quarterly', '2026-Q4', 'en', true);
    expect(rowOf(en, 'summary', 'Customers affected')[1]).toBe('no data (nothing in the period)');
    expect(JSON.stringify(en)).not.toMatch(/\b0 min\b/);
  });

  it('the annual summary in the regulator shape, the plan left for the firm', () => {
    const c = content('annual', '2026', 'en');
    expect(c.title).toBe('Annual network security incident summary 2026');
    expect(c.sections.map((s) => s.id)).toEqual(['summary', 'incidents', 'handling', 'rectification', 'plan']);
    expect(c.sections[4]!.blocks).toEqual([
      { type: 'placeholder', text: expect.stringMatching(/^\[TO BE WRITTEN BY THE FIRM\]/) },
    ]);
    const trend = c.sections[1]!.blocks.find((b) => b.type === 'chart' && b.id === 'trend') as Extract<
      Block,
      { type: 'chart' }
    >;
    expect(trend.labels).toHaveLength(12);
    const zh = content('annual', '2026', 'zh');
    expect(zh.sections.map((s) => s.heading)).toEqual([
      '一、总体情况',
      '二、事件分级分类统计',
      '三、事件处置与报告情况',
      '四、整改措施与改进情况',
      '五、下一年度工作计划',
    ]);
    expect((zh.sections[4]!.blocks[0] as { text: string }).text).toMatch(/^【待公司填写】/);
  });
});

describe('management report files', () => {
  it('the PDF embeds Noto Sans SC with the Chinese headings and the charts as pictures', async () => {
    const r = await renderReport(fixtureKpi, null, { kind: 'quarterly', period: '2026-Q3', lang: 'zh', now: NOW });
    expect(r.pdf.subarray(0, 5).toString()).toBe('%PDF-');
    const text = pdfInflated(r.pdf);
    expect(text).toMatch(/\/FontFile2/);
    expect(text).toMatch(/\/BaseFont \/[A-Z]{6}\+NotoSansSC/);
    // The ToUnicode map of the embedded subset holds every character of the headings.
    for (const ch of '总体情况响应时效持续改进') expect(text).toContain(`<${hexOf(ch)}>`);
    expect(text.match(/\/Subtype \/Image/g)?.length).toBe(2); // categories and the trend by month
    expect(r.pdf.toString('latin1').match(/\/Type \/Page\b/g)!.length).toBeGreaterThanOrEqual(2);
  });

  it('the XLSX holds a sheet per table, headers in the language, numbers as numbers', async () => {
    const r = await renderReport(fixtureKpi, null, { kind: 'quarterly', period: '2026-Q3', lang: 'zh', now: NOW });
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(r.xlsx as never);
    expect(wb.worksheets.map((s) => s.name)).toEqual([
      '概要',
      '逐月趋势',
      '按等级',
      '按类别',
      '按业务服务',
      '事件清单',
    ]);
    const sum = wb.getWorksheet('概要')!;
    expect(sum.getRow(1).values).toEqual([undefined, '指标', '本期', '上期', '单位', '说明']);
    const mttr = sum.getRows(2, sum.rowCount - 1)!.find((row) => row.getCell(1).value === '平均恢复时间（MTTR）')!;
    expect(mttr.getCell(2).value).toBe(180);
    expect(mttr.getCell(4).value).toBe('分钟');
    const trend = wb.getWorksheet('逐月趋势')!;
    expect(trend.getColumn(1).values.slice(2)).toEqual(['2026-07', '2026-08', '2026-09']);
    expect(typeof trend.getRow(2).getCell(2).value).toBe('number');
    const list = wb.getWorksheet('事件清单')!;
    expect(list.rowCount).toBe(19);
    expect(list.getRow(2).getCell(1).value).toBe('INC-0001');
  });

  it('an empty period leaves cells empty with the reason beside them', async () => {
    const empty: KpiSource = { snapshot: async (_p, f) => emptyKpiSnapshot(f), incidents: async () => [] };
    const r = await renderReport(empty, null, { kind: 'monthly', period: '2026-11', lang: 'en', now: NOW });
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(r.xlsx as never);
    const sum = wb.getWorksheet('Summary')!;
    const row = sum.getRows(2, sum.rowCount - 1)!.find((x) => x.getCell(1).value === 'Training coverage')!;
    expect(row.getCell(2).value).toBeNull();
    expect(row.getCell(5).value).toBe('no data: the data this figure needs is not kept');
  });
});
