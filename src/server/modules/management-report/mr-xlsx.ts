/**
 * The figures behind a management report as XLSX (exceljs): one sheet per table — summary, trend by month,
 * by grade, by category, by service, the incidents — headers in the report's language, numbers as numbers,
 * durations in minutes; a figure without data is an empty cell with the reason beside it, never 0.
 * XLSX keeps text as Unicode (UTF-8 XML), so Excel on a Chinese (GBK) Windows opens it as it is: unlike a
 * CSV, it needs no GBK copy.
 */
import { excelJs } from '../../platform/heavy-libs.js';
import { CATEGORIES, GRADES } from '../../../shared/enums.js';
import {
  DURATION_KPIS,
  type KpiIncidentRow,
  type KpiSnapshot,
  type KpiSlice,
  type Rate,
} from '../../../shared/kpi-schemas.js';
import type { MgmtReportLang } from '../../../shared/management-report-schemas.js';
import { categoryName } from './mr-content.js';
import { WORDS } from './mr-labels.js';
import type { Period } from './mr-period.js';

const SHEETS = {
  zh: {
    summary: '概要',
    trend: '逐月趋势',
    grade: '按等级',
    category: '按类别',
    service: '按业务服务',
    incidents: '事件清单',
  },
  en: {
    summary: 'Summary',
    trend: 'Trend by month',
    grade: 'By grade',
    category: 'By category',
    service: 'By service',
    incidents: 'Incidents',
  },
} as const;
const EXTRA = {
  zh: { value: '数值', unit: '单位', note: '说明', period: '期间', count: '个', pct: '%', score: '分' },
  en: { value: 'Value', unit: 'Unit', note: 'Note', period: 'Period', count: 'count', pct: '%', score: 'score' },
} as const;

const min = (ms: number | null) => (ms === null ? null : Math.round(ms / 6000) / 10);
const pct = (r: Rate) => (r.value === null ? null : Math.round(r.value * 1000) / 10);

export interface XlsxInput {
  lang: MgmtReportLang;
  period: Period;
  current: KpiSnapshot;
  prior: KpiSnapshot;
  incidents: KpiIncidentRow[];
}

export async function reportXlsx(x: XlsxInput): Promise<Buffer> {
  const { lang, current: cur, prior } = x;
  const w = WORDS[lang];
  const s = SHEETS[lang];
  const e = EXTRA[lang];
  const wb = new (await excelJs()).Workbook();
  wb.creator = 'Tocsin';
  wb.title = w.title[x.period.kind](x.period.key);
  const reason = (snap: KpiSnapshot, figure: string, v: number | null) => {
    if (v !== null) return '';
    const m = snap.missing.find((k) => k.figure === figure);
    return `${w.noData}: ${w.reasons[m?.reason ?? 'no_data']}`;
  };
  const sheet = (name: string, header: string[], widths: number[]) => {
    const ws = wb.addWorksheet(name, { views: [{ state: 'frozen', ySplit: 1 }] });
    ws.columns = header.map((h, i) => ({ header: h, width: widths[i] ?? 14 }));
    ws.getRow(1).font = { bold: true };
    return ws;
  };

  const sum = sheet(s.summary, [w.col.figure, w.col.current, w.col.previous, e.unit, e.note], [34, 14, 14, 10, 40]);
  const add = (label: string, figure: string, a: number | null, b: number | null, unit: string) =>
    sum.addRow([label, a, b, unit, reason(cur, figure, a)]);
  add(w.fig.incidents, 'incidents', cur.incidents, prior.incidents, e.count);
  add(w.fig.falsePositives, 'falsePositives', cur.falsePositives, prior.falsePositives, e.count);
  for (const k of DURATION_KPIS)
    add(w.durations[k], `durations.${k}`, min(cur.durations[k].meanMs), min(prior.durations[k].meanMs), w.minutes);
  add(w.fig.regulatorsOnTime, 'regulators.onTime', pct(cur.regulators.onTime), pct(prior.regulators.onTime), e.pct);
  add(w.fig.regulatorsOverdue, 'regulators.overdue', cur.regulators.overdue, prior.regulators.overdue, e.count);
  add(w.fig.customersAffected, 'customers.affected', cur.customers.affected, prior.customers.affected, e.count);
  add(w.fig.customersNotified, 'customers.notified', cur.customers.notified, prior.customers.notified, e.count);
  add(w.fig.inquiries, 'customers.inquiries', cur.customers.inquiries, prior.customers.inquiries, e.count);
  add(w.fig.csat, 'customers.csat', cur.customers.csat, prior.customers.csat, e.score);
  const currencies = [
    ...new Set([...Object.keys(cur.compensation.paidMinor), ...Object.keys(prior.compensation.paidMinor)]),
  ];
  for (const c of currencies)
    add(
      w.fig.compensationPaid,
      'compensation.paidMinor',
      (cur.compensation.paidMinor[c] ?? 0) / 100,
      (prior.compensation.paidMinor[c] ?? 0) / 100,
      c,
    );
  add(w.fig.claims, 'compensation.claims', cur.compensation.claims, prior.compensation.claims, e.count);
  add(
    w.fig.actionOnTime,
    'actionItems.closedOnTime',
    pct(cur.actionItems.closedOnTime),
    pct(prior.actionItems.closedOnTime),
    e.pct,
  );
  add(w.fig.actionOpen, 'actionItems.open', cur.actionItems.open, prior.actionItems.open, e.count);
  add(w.fig.actionOverdue, 'actionItems.overdue', cur.actionItems.overdue, prior.actionItems.overdue, e.count);
  add(w.fig.vulnOpen, 'vulnerabilities.open', cur.vulnerabilities.open, prior.vulnerabilities.open, e.count);
  add(
    w.fig.vulnPastSla,
    'vulnerabilities.pastSla',
    cur.vulnerabilities.pastSla,
    prior.vulnerabilities.pastSla,
    e.count,
  );
  add(w.fig.drills, 'drills.count', cur.drills.count, prior.drills.count, e.count);
  add(w.fig.drillScore, 'drills.meanScore', cur.drills.meanScore, prior.drills.meanScore, e.score);
  add(w.fig.training, 'training.coverage', pct(cur.training.coverage), pct(prior.training.coverage), e.pct);

  const durationHeads = DURATION_KPIS.map((k) => `${w.durations[k]} (${w.minutes})`);
  const sliceCells = (sl: KpiSlice) => [sl.incidents, ...DURATION_KPIS.map((k) => min(sl.durations[k].meanMs))];

  const trend = sheet(s.trend, [w.col.month, w.col.incidents, ...durationHeads, w.col.csat], [10, 10]);
  for (const t of cur.trend) trend.addRow([t.month, ...sliceCells(t.slice), t.csat]);

  const grade = sheet(
    s.grade,
    [w.col.grade, w.col.incidents, ...durationHeads, `${w.col.previous}: ${w.col.incidents}`],
    [28, 10],
  );
  for (const g of GRADES)
    grade.addRow([w.grades[g], ...sliceCells(cur.byGrade[g] ?? emptySlice), prior.byGrade[g]?.incidents ?? 0]);

  const category = sheet(
    s.category,
    [w.col.category, w.col.incidents, ...durationHeads, `${w.col.previous}: ${w.col.incidents}`],
    [28, 10],
  );
  const cats = [...new Set([...CATEGORIES, ...Object.keys(cur.byCategory)])];
  for (const c of cats)
    category.addRow([
      categoryName(w, c),
      ...sliceCells(cur.byCategory[c] ?? emptySlice),
      prior.byCategory[c]?.incidents ?? 0,
    ]);

  const service = sheet(s.service, [w.col.service, w.col.incidents, ...durationHeads], [30, 10]);
  for (const sv of cur.byService)
    service.addRow([lang === 'zh' ? (sv.nameZh ?? sv.name) : sv.name, ...sliceCells(sv.slice)]);

  const inc = sheet(
    s.incidents,
    [w.col.key, w.col.titleCol, w.col.grade, w.col.category, w.col.detectedAt, w.col.valueMin],
    [14, 44, 10, 22, 22, 16],
  );
  for (const r of x.incidents)
    inc.addRow([r.key, r.title, r.grade, categoryName(w, r.category), r.detectedAt, min(r.valueMs)]);

  return Buffer.from(await wb.xlsx.writeBuffer());
}

const emptySlice: KpiSlice = {
  incidents: 0,
  durations: Object.fromEntries(
    DURATION_KPIS.map((k) => [k, { count: 0, meanMs: null, medianMs: null, p90Ms: null }]),
  ) as KpiSlice['durations'],
};
