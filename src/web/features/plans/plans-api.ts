/** Queries and mutations of emergency plans: the list, one plan, a version, a diff, lint, import, approve/activate/retire. */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { PlanStatus, PlanSummary, PlanVersionInfo } from '../../../shared/plan-schemas.js';
import { api, qs } from '../../app/api.js';
import { qk } from '../../app/query-keys.js';

export type PlanDetail = PlanSummary & { versions: PlanVersionInfo[] };
export type PlanVersionDetail = PlanVersionInfo & { source: string; document: unknown };
export interface PlanLintProblem {
  line: number;
  column: number;
  message: string;
}
export interface PlanImportResult {
  plan: PlanSummary;
  version: PlanVersionInfo;
  changed: boolean;
}
export type { PlanStatus, PlanSummary, PlanVersionInfo };

const path = (id: string) => `/plans/${encodeURIComponent(id)}`;
/** The console address of a plan. */
export const planPath = (id: string) => `/plans/${encodeURIComponent(id)}`;

export function usePlanList() {
  return useQuery({
    queryKey: qk.planList,
    queryFn: ({ signal }) => api<{ items: PlanSummary[] }>('/plans', { signal }),
  });
}

export function usePlan(id: string) {
  return useQuery({ queryKey: qk.plan(id), queryFn: ({ signal }) => api<PlanDetail>(path(id), { signal }) });
}

export function usePlanVersion(id: string, version: number | undefined) {
  return useQuery({
    queryKey: qk.planVersion(id, version ?? 0),
    queryFn: ({ signal }) => api<PlanVersionDetail>(`${path(id)}/versions/${version}`, { signal }),
    enabled: version !== undefined,
  });
}

export function usePlanDiff(id: string, from: number | undefined, to: number | undefined) {
  return useQuery({
    queryKey: qk.planDiff(id, from ?? 0, to ?? 0),
    queryFn: ({ signal }) =>
      api<{ diff: string; from: number; to: number }>(`${path(id)}/diff${qs({ from, to })}`, { signal }),
    enabled: from !== undefined && to !== undefined && from !== to,
  });
}

/** The problems of a plan text, checked by the server (nothing is stored); `source` should be debounced. */
export function usePlanLint(source: string) {
  return useQuery({
    queryKey: qk.planLint(source),
    queryFn: ({ signal }) =>
      api<{ problems: PlanLintProblem[] }>('/plans/lint', { method: 'POST', body: { source }, signal }),
    enabled: source.trim() !== '',
    staleTime: Number.POSITIVE_INFINITY,
  });
}

export function useImportPlan() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (source: string) => api<PlanImportResult>('/plans', { method: 'POST', body: { source } }),
    onSuccess: () => qc.invalidateQueries({ queryKey: qk.plans }),
  });
}

export type PlanChange = 'approve' | 'activate' | 'retire';

export function useChangePlanVersion(id: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ version, change }: { version: number; change: PlanChange }) =>
      api<PlanVersionInfo>(`${path(id)}/versions/${version}/${change}`, { method: 'POST' }),
    onSuccess: () => qc.invalidateQueries({ queryKey: qk.plans }),
  });
}

/** Badge colours of the version states. */
export const STATUS_COLOR: Record<PlanStatus, string> = {
  draft: 'gray',
  approved: 'blue',
  active: 'green',
  retired: 'dark',
};
