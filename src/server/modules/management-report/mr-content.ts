/**
 * The content of a management report, before any file: title, the lines under it, and sections of
 * paragraphs, tables and charts, in the report's language, built from the period's KPI snapshot and the
 * previous period's (▲▼). The PDF and the XLSX print this; tests read it. A figure without data says
 * "no data"/"无数据" with the reason the snapshot gives, never 0.
 */
import { CATEGORIES, GRADES, type Category } from '../../../shared/enums.js';
import type { DurationKpi, DurationStat, KpiSnapshot, Rate } from '../../../shared/kpi-schemas.js';
import type { MgmtReportLang } from '../../../shared/management-report-schemas.js';
import { formatZoned } from '../../platform/zoned-time.js';
import { WORDS, type Words } from './mr-labels.js';
import type { Period } from './mr-period.js';

export type Block =
  | { type: 'paragraph'; text: string }
  | { type: 'table'; id: string; columns: string[]; rows: string[][] }
  | { type: 'chart'; id: 'by_category' | 'trend'; title: string; labels: string[]; values: number[] }
  /** Text the firm must write itself (the annual plan): printed marked, never filled. */
  | { type: 'placeholder'; text: string };

export interface ReportSection {
  id: string;
  heading: string;
  blocks: Block[];
}

export interface ReportContent {
  lang: MgmtReportLang;
  period: Period;
  title: string;
  preamble: string[];
  sections: ReportSection[];
}

export interface ReportInput {
  lang: MgmtReportLang;
  period: Period;
  previous: Period;
  current: KpiSnapshot;
  prior: KpiSnapshot;
  /** Generated at (epoch ms). */
  now: number;
}

const num = (n: number, lang: MgmtReportLang) => n.toLocaleString(lang === 'zh' ? 'zh-CN' : 'en-GB');
/** `（x）` in Chinese text, ` (x)` in English. */
const paren = (lang: MgmtReportLang, x: string) => (lang === 'zh' ? `（${x}）` : ` (${x})`);
const minutes = (ms: number) => Math.round(ms / 6000) / 10;

/** Formats figures of one snapshot, saying "no data (reason)" where the snapshot has none. */
function formatter(w: Words, lang: MgmtReportLang, snap: KpiSnapshot) {
  const reasonOf = (figure: string) => {
    const m = snap.missing.find((x) => x.figure === figure || figure.startsWith(`${x.figure}.`));
    return `${w.noData}${paren(lang, w.reasons[m?.reason ?? 'no_data'])}`;
  };
  return {
    reasonOf,
    count: (n: number | null, figure: string) => (n === null ? reasonOf(figure) : num(n, lang)),
    mins: (ms: number | null, figure: string) =>
      ms === null ? reasonOf(figure) : `${num(minutes(ms), lang)} ${w.minutes}`,
    rate: (r: Rate, figure: string) =>
      r.value === null
        ? reasonOf(figure)
        : `${num(Math.round(r.value * 1000) / 10, lang)}%${paren(lang, `${r.numerator}/${r.denominator}`)}`,
    score: (v: number | null, figure: string) => (v === null ? reasonOf(figure) : num(Math.round(v * 10) / 10, lang)),
  };
}

/** ▲/▼ and the difference, "unchanged", or "—" when either side has no value. */
function change(w: Words, lang: MgmtReportLang, cur: number | null, prev: number | null, unit = ''): string {
  if (cur === null || prev === null) return w.change.none;
  const d = Math.round((cur - prev) * 10) / 10;
  if (d === 0) return w.change.same;
  return `${d > 0 ? w.change.up : w.change.down} ${num(Math.abs(d), lang)}${unit}`;
}

const money = (paid: Record<string, number>, lang: MgmtReportLang) =>
  Object.entries(paid).map(
    ([cur, minor]) =>
      `${cur} ${(minor / 100).toLocaleString(lang === 'zh' ? 'zh-CN' : 'en-GB', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`,
  );

export const categoryName = (w: Words, c: string) => w.categories[c as Category] ?? c;

export function buildReportContent(input: ReportInput): ReportContent {
  const { lang, period, previous, current: cur, prior } = input;
  const w = WORDS[lang];
  const f = formatter(w, lang, cur);
  const fp = formatter(w, lang, prior);
  const ch = (a: number | null, b: number | null, unit = '') => change(w, lang, a, b, unit);
  const pct = (r: Rate) => (r.value === null ? null : Math.round(r.value * 1000) / 10);
  const minOf = (s: DurationStat) => (s.meanMs === null ? null : minutes(s.meanMs));

  const grades = GRADES.filter((g) => (cur.byGrade[g]?.incidents ?? 0) > 0)
    .map((g) => w.text.gradeCount(w.grades[g], cur.byGrade[g]!.incidents))
    .join(lang === 'zh' ? '，' : ', ');
  const headline = cur.incidents === 0 ? w.text.noIncidents : w.text.headline(cur.incidents, prior.incidents, grades);

  const row = (label: string, a: string, b: string, c: string) => [label, a, b, c];
  const summaryTable: Block = {
    type: 'table',
    id: 'summary',
    columns: [w.col.figure, w.col.current, w.col.previous, w.col.change],
    rows: [
      row(w.fig.incidents, num(cur.incidents, lang), num(prior.incidents, lang), ch(cur.incidents, prior.incidents)),
      row(
        w.fig.falsePositives,
        num(cur.falsePositives, lang),
        num(prior.falsePositives, lang),
        ch(cur.falsePositives, prior.falsePositives),
      ),
      row(
        w.fig.mttr,
        f.mins(cur.durations.mttr.meanMs, 'durations.mttr'),
        fp.mins(prior.durations.mttr.meanMs, 'durations.mttr'),
        ch(minOf(cur.durations.mttr), minOf(prior.durations.mttr), ` ${w.minutes}`),
      ),
      row(
        w.fig.regulatorsOnTime,
        f.rate(cur.regulators.onTime, 'regulators.onTime'),
        fp.rate(prior.regulators.onTime, 'regulators.onTime'),
        ch(pct(cur.regulators.onTime), pct(prior.regulators.onTime), '%'),
      ),
      row(
        w.fig.customersAffected,
        f.count(cur.customers.affected, 'customers.affected'),
        fp.count(prior.customers.affected, 'customers.affected'),
        ch(cur.customers.affected, prior.customers.affected),
      ),
      row(
        w.fig.csat,
        f.score(cur.customers.csat, 'customers.csat'),
        fp.score(prior.customers.csat, 'customers.csat'),
        ch(cur.customers.csat, prior.customers.csat),
      ),
      row(
        w.fig.vulnPastSla,
        num(cur.vulnerabilities.pastSla, lang),
        num(prior.vulnerabilities.pastSla, lang),
        ch(cur.vulnerabilities.pastSla, prior.vulnerabilities.pastSla),
      ),
    ],
  };

  const byGrade: Block = {
    type: 'table',
    id: 'by_grade',
    columns: [w.col.grade, w.col.current, w.col.previous, w.col.change],
    rows: GRADES.map((g) => {
      const a = cur.byGrade[g]?.incidents ?? 0;
      const b = prior.byGrade[g]?.incidents ?? 0;
      return [w.grades[g], num(a, lang), num(b, lang), ch(a, b)];
    }),
  };
  const cats = CATEGORIES.filter(
    (c) => (cur.byCategory[c]?.incidents ?? 0) + (prior.byCategory[c]?.incidents ?? 0) > 0,
  );
  const byCategory: Block = {
    type: 'table',
    id: 'by_category',
    columns: [w.col.category, w.col.current, w.col.previous, w.col.change],
    rows: cats.map((c) => {
      const a = cur.byCategory[c]?.incidents ?? 0;
      const b = prior.byCategory[c]?.incidents ?? 0;
      return [categoryName(w, c), num(a, lang), num(b, lang), ch(a, b)];
    }),
  };
  const byService: Block = {
    type: 'table',
    id: 'by_service',
    columns: [w.col.service, w.col.incidents, w.durations.mttr],
    rows: cur.byService
      .slice(0, 12)
      .map((s) => [
        lang === 'zh' ? (s.nameZh ?? s.name) : s.name,
        num(s.slice.incidents, lang),
        f.mins(s.slice.durations.mttr.meanMs, 'durations.mttr'),
      ]),
  };
  const chartCategory: Block = {
    type: 'chart',
    id: 'by_category',
    title: w.text.chartByCategory,
    labels: CATEGORIES.filter((c) => (cur.byCategory[c]?.incidents ?? 0) > 0).map((c) => categoryName(w, c)),
    values: CATEGORIES.filter((c) => (cur.byCategory[c]?.incidents ?? 0) > 0).map((c) => cur.byCategory[c]!.incidents),
  };
  const chartTrend: Block = {
    type: 'chart',
    id: 'trend',
    title: w.text.chartTrend,
    labels: cur.trend.map((t) => t.month),
    values: cur.trend.map((t) => t.slice.incidents),
  };
  const incidentBlocks: Block[] = [byGrade];
  if (cats.length > 0) incidentBlocks.push(byCategory);
  if (chartCategory.values.length > 0) incidentBlocks.push(chartCategory);
  if (period.months.length > 1) incidentBlocks.push(chartTrend);
  if (cur.byService.length > 0) incidentBlocks.push(byService);

  const durationTable = (id: string, kpis: readonly DurationKpi[]): Block => ({
    type: 'table',
    id,
    columns: [w.col.figure, w.col.count, w.col.mean, w.col.median, w.col.p90, w.col.previous, w.col.change],
    rows: kpis.map((k) => {
      const s = cur.durations[k];
      const p = prior.durations[k];
      return [
        w.durations[k],
        num(s.count, lang),
        // Without data the reason is said once, in the mean's cell.
        f.mins(s.meanMs, `durations.${k}`),
        s.medianMs === null ? w.change.none : f.mins(s.medianMs, `durations.${k}`),
        s.p90Ms === null ? w.change.none : f.mins(s.p90Ms, `durations.${k}`),
        fp.mins(p.meanMs, `durations.${k}`),
        ch(minOf(s), minOf(p), ` ${w.minutes}`),
      ];
    }),
  });
  const response: Block[] = [
    { type: 'paragraph', text: w.text.responseNote },
    durationTable('response', ['mttd', 'mtta', 'mttc', 'mttr']),
  ];
  const communication: Block[] = [durationTable('communication', ['first_statement', 'first_customer_notice'])];
  const regulators: Block[] = [
    {
      type: 'paragraph',
      text: w.text.regulators(f.rate(cur.regulators.onTime, 'regulators.onTime'), cur.regulators.overdue),
    },
  ];
  const twoCol = (id: string, rows: [string, string, string, string][]): Block => ({
    type: 'table',
    id,
    columns: [w.col.figure, w.col.current, w.col.previous, w.col.change],
    rows,
  });
  const customers: Block[] = [
    twoCol('customers', [
      [
        w.fig.customersAffected,
        f.count(cur.customers.affected, 'customers.affected'),
        fp.count(prior.customers.affected, 'customers.affected'),
        ch(cur.customers.affected, prior.customers.affected),
      ],
      [
        w.fig.customersNotified,
        f.count(cur.customers.notified, 'customers.notified'),
        fp.count(prior.customers.notified, 'customers.notified'),
        ch(cur.customers.notified, prior.customers.notified),
      ],
      [
        w.fig.inquiries,
        num(cur.customers.inquiries, lang),
        num(prior.customers.inquiries, lang),
        ch(cur.customers.inquiries, prior.customers.inquiries),
      ],
      [
        w.fig.csat,
        cur.customers.csat === null
          ? f.reasonOf('customers.csat')
          : `${f.score(cur.customers.csat, 'customers.csat')}${paren(lang, `n=${cur.customers.csatResponses}`)}`,
        fp.score(prior.customers.csat, 'customers.csat'),
        ch(cur.customers.csat, prior.customers.csat),
      ],
    ]),
  ];
  const paid = money(cur.compensation.paidMinor, lang);
  const paidPrev = money(prior.compensation.paidMinor, lang);
  const compensation: Block[] = [
    twoCol('compensation', [
      [
        w.fig.compensationPaid,
        paid.length ? paid.join('; ') : f.reasonOf('compensation.paidMinor'),
        paidPrev.length ? paidPrev.join('; ') : fp.reasonOf('compensation.paidMinor'),
        w.change.none,
      ],
      [
        w.fig.claims,
        num(cur.compensation.claims, lang),
        num(prior.compensation.claims, lang),
        ch(cur.compensation.claims, prior.compensation.claims),
      ],
    ]),
  ];
  const improvement: Block[] = [
    twoCol('improvement', [
      [
        w.fig.actionOnTime,
        f.rate(cur.actionItems.closedOnTime, 'actionItems.closedOnTime'),
        fp.rate(prior.actionItems.closedOnTime, 'actionItems.closedOnTime'),
        ch(pct(cur.actionItems.closedOnTime), pct(prior.actionItems.closedOnTime), '%'),
      ],
      [
        w.fig.actionOpen,
        num(cur.actionItems.open, lang),
        num(prior.actionItems.open, lang),
        ch(cur.actionItems.open, prior.actionItems.open),
      ],
      [
        w.fig.actionOverdue,
        num(cur.actionItems.overdue, lang),
        num(prior.actionItems.overdue, lang),
        ch(cur.actionItems.overdue, prior.actionItems.overdue),
      ],
      [
        w.fig.vulnOpen,
        num(cur.vulnerabilities.open, lang),
        num(prior.vulnerabilities.open, lang),
        ch(cur.vulnerabilities.open, prior.vulnerabilities.open),
      ],
      [
        w.fig.vulnPastSla,
        num(cur.vulnerabilities.pastSla, lang),
        num(prior.vulnerabilities.pastSla, lang),
        ch(cur.vulnerabilities.pastSla, prior.vulnerabilities.pastSla),
      ],
      [
        w.fig.drills,
        num(cur.drills.count, lang),
        num(prior.drills.count, lang),
        ch(cur.drills.count, prior.drills.count),
      ],
      [
        w.fig.drillScore,
        f.score(cur.drills.meanScore, 'drills.meanScore'),
        fp.score(prior.drills.meanScore, 'drills.meanScore'),
        ch(cur.drills.meanScore, prior.drills.meanScore),
      ],
      [
        w.fig.training,
        f.rate(cur.training.coverage, 'training.coverage'),
        fp.rate(prior.training.coverage, 'training.coverage'),
        ch(pct(cur.training.coverage), pct(prior.training.coverage), '%'),
      ],
    ]),
  ];

  const summary: Block[] = [{ type: 'paragraph', text: headline }, summaryTable];
  const annual = period.kind === 'annual';
  const s = w.sections;
  const a = w.annualSections;
  const sections: ReportSection[] = annual
    ? [
        { id: 'summary', heading: a.summary, blocks: [{ type: 'paragraph', text: w.text.shapeNote }, ...summary] },
        { id: 'incidents', heading: a.incidents, blocks: incidentBlocks },
        {
          id: 'handling',
          heading: a.handling,
          blocks: [...response, ...communication, ...regulators, ...customers, ...compensation],
        },
        { id: 'rectification', heading: a.rectification, blocks: improvement },
        { id: 'plan', heading: a.plan, blocks: [{ type: 'placeholder', text: w.text.planPlaceholder }] },
      ]
    : [
        { id: 'summary', heading: s.summary, blocks: summary },
        { id: 'incidents', heading: s.incidents, blocks: incidentBlocks },
        { id: 'response', heading: s.response, blocks: response },
        { id: 'communication', heading: s.communication, blocks: communication },
        { id: 'regulators', heading: s.regulators, blocks: regulators },
        { id: 'customers', heading: s.customers, blocks: customers },
        { id: 'compensation', heading: s.compensation, blocks: compensation },
        { id: 'improvement', heading: s.improvement, blocks: improvement },
      ];
  return {
    lang,
    period,
    title: w.title[period.kind](period.key),
    preamble: [
      w.periodLine(period.from, period.to, cur.zone),
      w.comparedLine(`${previous.from} – ${previous.to}`),
      w.generatedLine(formatZoned(input.now, cur.zone)),
      annual ? w.audienceAnnual : w.audience,
    ],
    sections,
  };
}
