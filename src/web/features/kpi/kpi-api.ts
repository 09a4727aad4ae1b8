/**
 * The performance figures of /dashboards (issue 16, docs/kpi.md): the filters as the URL keeps them
 * (period preset or custom days, grades, categories, services — several values comma-separated), the
 * snapshot, and the incidents behind a figure.
 */
import { useQuery } from '@tanstack/react-query';
import type { KpiIncidentList } from '../../../shared/kpi-query-schemas.js';
import type { KpiSnapshot } from '../../../shared/kpi-schemas.js';
import { api } from '../../app/api.js';

export type { KpiIncidentList, KpiSnapshot };

export const KPI_FILTERS = {
  period: 'last12',
  from: undefined,
  to: undefined,
  grade: undefined,
  category: undefined,
  service: undefined,
} as const;
export type KpiFilters = {
  period: string;
  from?: string;
  to?: string;
  grade?: string;
  category?: string;
  service?: string;
};

export const PERIODS = ['last12', 'quarter', 'custom'] as const;

const day = (d: Date) =>
  `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;

/** The first and last day a period preset stands for (`last12`: the server's default, the last twelve months). */
export function periodDays(f: KpiFilters, today = new Date()): { from?: string; to?: string } {
  if (f.period === 'custom') return { from: f.from, to: f.to };
  if (f.period === 'quarter') {
    const q = Math.floor(today.getMonth() / 3) * 3;
    return { from: day(new Date(today.getFullYear(), q, 1)), to: day(today) };
  }
  return {};
}

/** The API query of the filters (repeated keys for several values), plus `extra`. */
export function kpiQuery(f: KpiFilters, extra: Record<string, string | undefined> = {}): string {
  const q = new URLSearchParams();
  const { from, to } = periodDays(f);
  if (from) q.set('from', from);
  if (to) q.set('to', to);
  for (const key of ['grade', 'category', 'service'] as const)
    for (const v of (f[key] ?? '').split(',').filter(Boolean)) q.append(key, v);
  for (const [k, v] of Object.entries(extra)) if (v) q.set(k, v);
  const s = q.toString();
  return s ? `?${s}` : '';
}

export function useKpi(f: KpiFilters) {
  const query = kpiQuery(f);
  return useQuery({
    queryKey: ['kpi', query],
    queryFn: ({ signal }) => api<KpiSnapshot>(`/kpi${query}`, { signal }),
  });
}

/** What a click on a chart asks for: a figure of a slice. */
export interface DrillTarget {
  figure: string;
  month?: string;
  grade?: string;
  category?: string;
  service?: string;
  /** What the list is of, as the reader sees it. */
  title: string;
}

export function useKpiIncidents(f: KpiFilters, target: DrillTarget | null) {
  const narrowed: KpiFilters = target
    ? {
        ...f,
        grade: target.grade ?? f.grade,
        category: target.category ?? f.category,
        service: target.service ?? f.service,
      }
    : f;
  const query = kpiQuery(narrowed, { figure: target?.figure, month: target?.month });
  return useQuery({
    queryKey: ['kpi', 'incidents', query],
    queryFn: ({ signal }) => api<KpiIncidentList>(`/kpi/incidents${query}`, { signal }),
    enabled: target !== null,
  });
}
