/** Queries and mutations of detection rules: the list, one rule, the compile report, enable/disable, upload, delete. */
import { useInfiniteQuery, useMutation, useQuery, useQueryClient, type QueryClient } from '@tanstack/react-query';
import type { RuleDetail, RuleSetStatus, RuleSummary } from '../../../shared/rule-schemas.js';
import { api, qs } from '../../app/api.js';
import type { Page } from '../../app/types.js';

export interface RuleFilters {
  q?: string;
  level?: string;
  enabled?: string;
  origin?: string;
}

/** Query keys of this feature (kept here: nothing else reads or pushes rules). */
export const ruleKeys = {
  all: ['rules'] as const,
  list: (filters: RuleFilters) => ['rules', 'list', filters] as const,
  one: (id: string) => ['rules', 'one', id] as const,
  status: ['rules', 'status'] as const,
};

const PAGE_SIZE = 100;
const path = (id: string) => `/rules/${encodeURIComponent(id)}`;

export function useRuleList(filters: RuleFilters) {
  return useInfiniteQuery({
    queryKey: ruleKeys.list({ ...filters }),
    queryFn: ({ pageParam, signal }) =>
      api<Page<RuleSummary>>(`/rules${qs({ ...filters, limit: PAGE_SIZE, cursor: pageParam })}`, { signal }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.next ?? undefined,
  });
}

export function useRule(id: string) {
  return useQuery({ queryKey: ruleKeys.one(id), queryFn: ({ signal }) => api<RuleDetail>(path(id), { signal }) });
}

/** The live rule set's compile errors; while a change is being applied, asks again shortly. */
export function useRuleStatus() {
  return useQuery({
    queryKey: ruleKeys.status,
    queryFn: ({ signal }) => api<RuleSetStatus>('/rules/errors', { signal }),
    refetchInterval: (q) => (q.state.data?.pending ? 1000 : false),
  });
}

/** Rules changed: lists, rules and the compile report are fetched again (the engine is rebuilt within moments). */
function changed(qc: QueryClient): void {
  void qc.invalidateQueries({ queryKey: ruleKeys.all });
}

export function useSetRuleEnabled() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ id, enabled }: { id: string; enabled: boolean }) =>
      api<RuleSummary>(path(id), { method: 'PATCH', body: { enabled } }),
    onSuccess: () => changed(qc),
  });
}

export function useUploadRules() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: { fileName: string; yaml: string }) =>
      api<{ items: RuleSummary[] }>('/rules', { method: 'POST', body }),
    onSuccess: () => changed(qc),
  });
}

export function useDeleteRule() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api<void>(path(id), { method: 'DELETE' }),
    onSuccess: () => changed(qc),
  });
}

/** A rule's title in the console's language (our rules carry a zh-CN title; others only their own). */
export function ruleTitle(rule: { title: string; titleZh: string | null }, language: string): string {
  return language === 'zh-CN' && rule.titleZh ? rule.titleZh : rule.title;
}

/** `product/category/service` as one short line. */
export function logsourceText(ls: { product?: string; category?: string; service?: string }): string {
  return [ls.product, ls.category, ls.service].filter(Boolean).join(' / ') || '—';
}

/** The console address of a rule (ids may hold any character). */
export const rulePath = (id: string) => `/rules/${encodeURIComponent(id)}`;
