/**
 * KPI snapshots for tests of what reads them (management reports): schema-valid (parsed with the zod
 * schema of src/shared/kpi-schemas.ts), deterministic from the period and a scale, so the previous period
 * differs from the current one. `emptyKpiSnapshot` has no incidents and every figure without data null
 * with its reason, as the KPI service gives it.
 */
import { CATEGORIES, GRADES } from '../../src/shared/enums.js';
import {
  DURATION_KPIS,
  KpiSnapshot,
  type DurationStat,
  type KpiFilter,
  type KpiIncidentRow,
  type KpiSlice,
} from '../../src/shared/kpi-schemas.js';

const MIN = 60_000;

function monthsOf(from: string, to: string): string[] {
  const out: string[] = [];
  let y = Number(from.slice(0, 4));
  let m = Number(from.slice(5, 7));
  const end = to.slice(0, 7);
  for (;;) {
    const k = `${y}-${String(m).padStart(2, '0')}`;
    out.push(k);
    if (k >= end) return out;
    m += 1;
    if (m > 12) {
      m = 1;
      y += 1;
    }
  }
}

const stat = (count: number, meanMin: number): DurationStat =>
  count === 0
    ? { count: 0, meanMs: null, medianMs: null, p90Ms: null }
    : { count, meanMs: meanMin * MIN, medianMs: meanMin * 0.8 * MIN, p90Ms: meanMin * 1.9 * MIN };

function slice(incidents: number, scale: number): KpiSlice {
  return {
    incidents,
    durations: {
      mttd: stat(incidents, 12 * scale),
      mtta: stat(incidents, 4 * scale),
      mttc: stat(incidents, 45 * scale),
      mttr: stat(incidents, 180 * scale),
      first_statement: stat(Math.min(incidents, 2), 50 * scale),
      first_customer_notice: stat(Math.min(incidents, 1), 95 * scale),
    },
  };
}

/** A snapshot of `filter` with `perMonth` incidents a month; `scale` stretches the durations. */
export function kpiSnapshot(
  filter: KpiFilter,
  o: { perMonth?: number; scale?: number; zone?: string } = {},
): KpiSnapshot {
  const perMonth = o.perMonth ?? 6;
  const scale = o.scale ?? 1;
  const months = monthsOf(filter.from, filter.to);
  const n = perMonth * months.length;
  const gradeShare = [0, 1, 2, 3].map((i) => Math.floor((n * [0, 1, 3, 6][i]!) / 10));
  gradeShare[3]! += n - gradeShare.reduce((a, b) => a + b, 0);
  const cats = ['network_attack', 'data_security', 'equipment_failure', 'malicious_program'] as const;
  const catShare = [Math.ceil(n / 2), Math.floor(n / 4), Math.floor(n / 8)];
  catShare.push(n - catShare.reduce((a, b) => a + b, 0));
  const snap = {
    filter,
    zone: o.zone ?? 'Asia/Shanghai',
    generatedAt: '2026-12-05T02:00:00.000Z',
    incidents: n,
    falsePositives: Math.floor(n / 3),
    durations: slice(n, scale).durations,
    byGrade: Object.fromEntries(GRADES.map((g, i) => [g, slice(gradeShare[i]!, scale)])),
    byCategory: Object.fromEntries(CATEGORIES.map((c) => [c, slice(catShare[cats.indexOf(c as never)] ?? 0, scale)])),
    byService: [
      { id: 'svc-trading', name: '集中交易系统 Trading', slice: slice(Math.ceil(n / 2), scale) },
      { id: 'svc-app', name: '手机App Mobile app', slice: slice(Math.floor(n / 3), scale) },
    ],
    trend: months.map((month, i) => ({
      month,
      slice: slice(perMonth + (i % 3) - 1, scale),
      csat: 4.2 - i * 0.05,
      csatResponses: 30 + i,
    })),
    regulators: {
      onTime: { numerator: 11 * months.length, denominator: 12 * months.length, value: 11 / 12 },
      overdue: 1,
    },
    customers: {
      affected: 1250 * n,
      notified: 1100 * n,
      inquiries: 340 * months.length,
      csat: 4.1,
      csatResponses: 31 * months.length,
    },
    compensation: { paidMinor: { CNY: 1_250_000 * months.length }, claims: 14 * months.length },
    actionItems: { closedOnTime: { numerator: 8, denominator: 10, value: 0.8 }, open: 7, overdue: 2 },
    vulnerabilities: {
      open: 42,
      pastSla: Math.round(5 * scale),
      openBySeverity: { critical: 2, high: 9, medium: 20, low: 11 },
    },
    drills: { count: months.length > 1 ? 2 : 1, meanScore: 82.5 },
    training: { coverage: { numerator: 180, denominator: 200, value: 0.9 } },
    missing: [],
  };
  return KpiSnapshot.parse(snap);
}

/** A period without incidents or data: every figure that has none is null and listed in `missing`. */
export function emptyKpiSnapshot(filter: KpiFilter): KpiSnapshot {
  const months = monthsOf(filter.from, filter.to);
  const none = slice(0, 1);
  return KpiSnapshot.parse({
    filter,
    zone: 'Asia/Shanghai',
    generatedAt: '2026-12-05T02:00:00.000Z',
    incidents: 0,
    falsePositives: 0,
    durations: none.durations,
    byGrade: Object.fromEntries(GRADES.map((g) => [g, none])),
    byCategory: {},
    byService: [],
    trend: months.map((month) => ({ month, slice: none, csat: null, csatResponses: 0 })),
    regulators: { onTime: { numerator: 0, denominator: 0, value: null }, overdue: 0 },
    customers: { affected: null, notified: null, inquiries: 0, csat: null, csatResponses: 0 },
    compensation: { paidMinor: {}, claims: 0 },
    actionItems: { closedOnTime: { numerator: 0, denominator: 0, value: null }, open: 0, overdue: 0 },
    vulnerabilities: { open: 0, pastSla: 0, openBySeverity: {} },
    drills: { count: 0, meanScore: null },
    training: { coverage: { numerator: 0, denominator: 0, value: null } },
    missing: [
      ...DURATION_KPIS.map((k) => ({ figure: `durations.${k}`, reason: 'no_data' as const })),
      { figure: 'regulators.onTime', reason: 'no_data' },
      { figure: 'customers.affected', reason: 'no_data' },
      { figure: 'customers.notified', reason: 'no_data' },
      { figure: 'customers.csat', reason: 'no_data' },
      { figure: 'actionItems.closedOnTime', reason: 'no_data' },
      { figure: 'drills.meanScore', reason: 'no_data' },
      { figure: 'training.coverage', reason: 'no_source' },
    ],
  });
}

/** The incidents behind a snapshot, for the XLSX's incident list. */
export function kpiIncidentRows(snap: KpiSnapshot): KpiIncidentRow[] {
  return Array.from({ length: Math.min(snap.incidents, 30) }, (_, i) => ({
    key: `INC-${String(i + 1).padStart(4, '0')}`,
    title: i % 2 ? `交易系统登录异常 ${i + 1}` : `Credential stuffing on the app ${i + 1}`,
    grade: GRADES[3 - (i % 4)]!,
    category: i % 2 ? 'network_attack' : 'data_security',
    detectedAt: `${snap.filter.from}T0${i % 10}:00:00.000Z`,
    valueMs: i % 5 === 4 ? null : (60 + i * 7) * MIN,
  }));
}

/** The KPI port of the management-report module over these snapshots (compose's `kpiSource` in tests). */
export const fixtureKpiSource = {
  snapshot: async (_viewer: unknown, f: KpiFilter) => kpiSnapshot(f),
  incidents: async (_viewer: unknown, f: KpiFilter) => kpiIncidentRows(kpiSnapshot(f)),
};
