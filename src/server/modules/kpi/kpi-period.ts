/**
 * A KPI filter's period in the firm's zone (docs/kpi.md): its days resolved (defaults: the last twelve
 * months to today), the instants it spans [fromMs, toMs), and its months with the instant each starts.
 */
import type { KpiFilter } from '../../../shared/kpi-schemas.js';
import type { KpiQuery } from '../../../shared/kpi-query-schemas.js';
import { instantAt, localDay, parseLocalDate } from '../../platform/zoned-time.js';
import type { IncidentScope } from '../incident/index.js';

const DAY_MS = 86_400_000;
const pad = (n: number) => String(n).padStart(2, '0');
const dayText = (epochDay: number) => new Date(epochDay * DAY_MS).toISOString().slice(0, 10);
const monthStartDay = (y: number, m: number) => Date.UTC(y, m, 1) / DAY_MS;

export interface Period {
  filter: KpiFilter;
  scope: IncidentScope;
  /** The months of the period in order, `YYYY-MM`, with the instant each starts (the first: the period's start). */
  months: { month: string; startMs: number }[];
}

/** The filter of a query, its defaults filled in (`today`: the firm's current day). */
export function filterOf(q: KpiQuery, now: number, zone: string): KpiFilter {
  const today = localDay(now, zone);
  const to = q.to ?? dayText(today);
  let from = q.from;
  if (!from) {
    const t = new Date((parseLocalDate(to) ?? today) * DAY_MS);
    from = dayText(monthStartDay(t.getUTCFullYear(), t.getUTCMonth() - 11));
  }
  return {
    from,
    to,
    ...(q.grade?.length ? { grades: q.grade } : {}),
    ...(q.category?.length ? { categories: q.category } : {}),
    ...(q.service?.length ? { services: q.service } : {}),
    drills: q.drills === 'true',
  };
}

export function periodOf(filter: KpiFilter, zone: string): Period {
  const fromDay = parseLocalDate(filter.from) as number;
  const toDay = parseLocalDate(filter.to) as number;
  const fromMs = instantAt(fromDay, 0, zone);
  const toMs = instantAt(toDay + 1, 0, zone);
  const months: Period['months'] = [];
  const f = new Date(fromDay * DAY_MS);
  const t = new Date(toDay * DAY_MS);
  for (
    let y = f.getUTCFullYear(), m = f.getUTCMonth();
    y < t.getUTCFullYear() || (y === t.getUTCFullYear() && m <= t.getUTCMonth());
  ) {
    const startMs = months.length === 0 ? fromMs : instantAt(monthStartDay(y, m), 0, zone);
    months.push({ month: `${y}-${pad(m + 1)}`, startMs });
    m += 1;
    if (m === 12) {
      m = 0;
      y += 1;
    }
  }
  return {
    filter,
    scope: {
      fromMs,
      toMs,
      grades: filter.grades,
      categories: filter.categories,
      services: filter.services,
      drills: filter.drills ?? false,
    },
    months,
  };
}

/** The index of the month `t` falls in (binary search over the months' starts); -1 before the first. */
export function monthIndexOf(months: Period['months'], t: number): number {
  let lo = 0;
  let hi = months.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if ((months[mid] as Period['months'][number]).startMs <= t) {
      found = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return found;
}

/** The scope narrowed to one month of the period (drill-down on a trend point); null when not in it. */
export function monthScope(p: Period, month: string): IncidentScope | null {
  const i = p.months.findIndex((m) => m.month === month);
  if (i < 0) return null;
  const next = p.months[i + 1];
  return {
    ...p.scope,
    fromMs: (p.months[i] as Period['months'][number]).startMs,
    toMs: next ? next.startMs : p.scope.toMs,
  };
}
