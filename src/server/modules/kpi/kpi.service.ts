/**
 * The performance figures (issue 16, docs/kpi.md): one snapshot for a period and a filter, combined from
 * the source modules' aggregate reads, and the incidents behind a figure (drill-down). Figures come from
 * the data, never typed; a figure without data is null and listed in `missing`, never 0.
 */
import type { KpiIncidentList, KpiIncidentsQuery, KpiQuery } from '../../../shared/kpi-query-schemas.js';
import { KPI_DRILL_LIMIT, periodChecks } from '../../../shared/kpi-query-schemas.js';
import { DURATION_KPIS, KpiFilter, type KpiMissing, type KpiSnapshot } from '../../../shared/kpi-schemas.js';
import { GRADES } from '../../../shared/enums.js';
import { invalid } from '../../platform/errors.js';
import type { Clock } from '../../platform/ids.js';
import { assertCan, type Principal } from '../auth/index.js';
import type { IncidentFacts } from '../incident/index.js';
import { filterOf, monthIndexOf, monthScope, periodOf } from './kpi-period.js';
import type { KpiSources } from './kpi-sources.js';
import { type DurationColumns, emptySlice, mean, rate, slicesBy } from './kpi-stats.js';

export interface KpiDeps {
  clock: Clock;
  /** The firm's zone (days and months). */
  timeZone: string;
  sources: KpiSources;
}

/** `to - from` per incident, NaN where either is missing or `to` is before `from`. */
function spans(from: Float64Array, to: Float64Array): Float64Array {
  const out = new Float64Array(from.length);
  for (let i = 0; i < from.length; i++) {
    const d = (to[i] as number) - (from[i] as number);
    out[i] = d >= 0 ? d : Number.NaN;
  }
  return out;
}

/** Each duration figure as a column over the incidents, in DURATION_KPIS order. */
const columnsOf = (f: IncidentFacts): DurationColumns => [
  spans(f.firstAlertSeenAt, f.detectedAt),
  spans(f.detectedAt, f.acknowledgedAt),
  spans(f.detectedAt, f.containedAt),
  spans(f.detectedAt, f.recoveredAt),
  spans(f.detectedAt, f.firstPublicStatementAt),
  spans(f.detectedAt, f.firstNoticeSentAt),
];

export function createKpiService(deps: KpiDeps) {
  const { clock, timeZone: zone, sources: src } = deps;

  const service = {
    /** The figures of a period and filter (the management reports call this with their month or quarter). */
    async snapshot(p: Principal, filter: KpiFilter): Promise<KpiSnapshot> {
      assertCan(p, 'kpi.read');
      const now = clock.now();
      const checked = KpiFilter.superRefine(periodChecks).safeParse(filter);
      if (!checked.success)
        throw invalid(
          'the KPI filter is invalid',
          checked.error.issues.map((e) => ({ path: e.path.join('.'), message: e.message })),
        );
      const period = periodOf({ ...checked.data, drills: checked.data.drills ?? false }, zone);
      const { scope, months } = period;
      // Independent reads: on PostgreSQL they run side by side on the pool's connections.
      const [
        facts,
        falsePositives,
        notified,
        regulators,
        inquiries,
        ratings,
        paidMinor,
        claims,
        items,
        vulnerabilities,
        drillScores,
        training,
      ] = await Promise.all([
        src.incidents.facts(scope),
        src.incidents.falsePositives(scope),
        src.campaigns.notified(scope),
        src.obligations.regulatorDeadlines(scope, now),
        src.inquiries.count(scope),
        src.inquiries.ratings(scope),
        src.compensation.paid(scope),
        src.compensation.claims(scope),
        src.actionItems.figures(scope, now),
        src.vulnerabilities.open(now),
        src.drills(p, scope.fromMs, scope.toMs),
        src.training(p),
      ]);
      const columns = columnsOf(facts);
      const slices = <K>(keyOf: (i: number) => K | readonly K[] | undefined) => slicesBy(facts.count, columns, keyOf);

      const all = slices(() => 'all').get('all') ?? emptySlice();
      const byGrade = slices((i) => facts.grades[facts.grade[i] as number] as string);
      const byCategory = slices((i) => facts.categories[facts.category[i] as number] as string);
      const byMonth = slices((i) => monthIndexOf(months, facts.detectedAt[i] as number));
      const byService = slices((i) => {
        const joined = facts.services[i];
        if (!joined) return undefined;
        return joined.includes(',') ? joined.split(',') : joined;
      });
      const names = await src.incidents.serviceNames([...byService.keys()]);
      const ratingsByMonth = new Map<number, number[]>();
      for (const r of ratings) {
        const m = monthIndexOf(months, r.at);
        const list = ratingsByMonth.get(m);
        if (list) list.push(r.rating);
        else ratingsByMonth.set(m, [r.rating]);
      }

      let affected = 0;
      let affectedKnown = 0;
      for (const v of facts.customersAffected)
        if (!Number.isNaN(v)) {
          affected += v;
          affectedKnown += 1;
        }
      const scored = drillScores.filter((s): s is number => s !== null);
      const csat = mean(ratings.map((r) => r.rating));

      const snap: Omit<KpiSnapshot, 'missing'> = {
        filter: period.filter,
        zone,
        generatedAt: new Date(now).toISOString(),
        incidents: facts.count,
        falsePositives,
        durations: all.durations,
        byGrade: Object.fromEntries(GRADES.map((g) => [g, byGrade.get(g) ?? emptySlice()])) as KpiSnapshot['byGrade'],
        byCategory: Object.fromEntries(byCategory),
        byService: [...byService]
          .map(([id, slice]) => ({ id, name: names.get(id)?.nameEn ?? id, nameZh: names.get(id)?.nameZh, slice }))
          .sort((a, b) => b.slice.incidents - a.slice.incidents || a.name.localeCompare(b.name)),
        trend: months.map((m, i) => {
          const r = ratingsByMonth.get(i) ?? [];
          return { month: m.month, slice: byMonth.get(i) ?? emptySlice(), csat: mean(r), csatResponses: r.length };
        }),
        regulators: { onTime: rate(regulators.onTime, regulators.due), overdue: regulators.overdue },
        customers: {
          affected: affectedKnown ? affected : null,
          notified,
          inquiries,
          csat,
          csatResponses: ratings.length,
        },
        compensation: { paidMinor, claims },
        actionItems: { closedOnTime: rate(items.closedOnTime, items.due), open: items.open, overdue: items.overdue },
        vulnerabilities,
        drills: {
          count: drillScores.length,
          meanScore: scored.length ? Math.round((scored.reduce((a, b) => a + b, 0) / scored.length) * 1000) / 10 : null,
        },
        training: { coverage: training ?? rate(0, 0) },
      };
      return { ...snap, missing: missingOf(snap, training === null) };
    },

    /** The figures of an API query (`GET /api/v1/kpi`): its defaults filled in (the last twelve months). */
    query: (p: Principal, q: KpiQuery): Promise<KpiSnapshot> => service.snapshot(p, filterOf(q, clock.now(), zone)),

    /** The incidents behind a figure of a slice, those the reader may see, newest first (at most 500). */
    async incidents(p: Principal, q: KpiIncidentsQuery): Promise<KpiIncidentList> {
      assertCan(p, 'kpi.read');
      const now = clock.now();
      const period = periodOf(filterOf(q, now, zone), zone);
      const scope = q.month ? monthScope(period, q.month) : period.scope;
      if (!scope) return { figure: q.figure, items: [], truncated: false, hidden: 0 };
      const figure = q.figure === 'incidents' ? undefined : q.figure;
      const facts = await src.incidents.facts(scope, { ids: true });
      const j = figure ? DURATION_KPIS.indexOf(figure) : -1;
      const column = j < 0 ? undefined : columnsOf(facts)[j];
      const counted = new Map<string, number | null>();
      facts.ids.forEach((id, i) => {
        const v = column ? (column[i] as number) : Number.NaN;
        if (!column) counted.set(id, null);
        else if (!Number.isNaN(v)) counted.set(id, v);
      });
      const visible = (await src.incidents.visible(scope, p.user.role === 'admin' ? null : p.user.id)).filter((r) =>
        counted.has(r.id),
      );
      return {
        figure: q.figure,
        items: visible.slice(0, KPI_DRILL_LIMIT).map((r) => ({
          key: r.key,
          title: r.title,
          grade: r.grade as KpiIncidentList['items'][number]['grade'],
          category: r.category,
          detectedAt: new Date(r.detectedAt).toISOString(),
          valueMs: counted.get(r.id) ?? null,
        })),
        truncated: visible.length > KPI_DRILL_LIMIT,
        hidden: counted.size - visible.length,
      };
    },
  };
  return service;
}

function missingOf(s: Omit<KpiSnapshot, 'missing'>, noRoster: boolean): KpiMissing[] {
  const out: KpiMissing[] = [];
  const none = (figure: string) => out.push({ figure, reason: 'no_data' });
  for (const k of DURATION_KPIS) if (s.durations[k].count === 0) none(`durations.${k}`);
  if (s.regulators.onTime.value === null) none('regulators.onTime');
  if (s.customers.affected === null) none('customers.affected');
  if (s.customers.notified === null) none('customers.notified');
  if (s.customers.csat === null) none('customers.csat');
  if (Object.keys(s.compensation.paidMinor).length === 0) none('compensation.paidMinor');
  if (s.actionItems.closedOnTime.value === null) none('actionItems.closedOnTime');
  if (s.drills.meanScore === null) none('drills.meanScore');
  if (noRoster) out.push({ figure: 'training.coverage', reason: 'no_source' });
  else if (s.training.coverage.value === null) none('training.coverage');
  return out;
}

export type KpiService = ReturnType<typeof createKpiService>;
