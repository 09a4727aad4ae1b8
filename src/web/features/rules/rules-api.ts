/** Queries and mutations of detection rules: the list, one rule, the compile report, enable/disable, upload, delete. */
import { useInfiniteQuery, useMutation, useQuery, useQueryClient, type QueryClient } from '@tanstack/react-query';
import type { RuleDetail, RuleSetStatus, RuleSummary } from '../../../shared/rule-schemas.js';
import { api, qs } from '../../app/api.js';
import { qk } from '../../app/query-keys.js';
import { useCan } from '../../app/session.js';
import type { Page } from '../../app/types.js';

export interface RuleFilters {
  q?: string;
  level?: string;
  enabled?: string;
  origin?: string;
}

const PAGE_SIZE = 100;
const path = (id: string) => `/rules/${encodeURIComponent(id)}`;

export function useRuleList(filters: RuleFilters) {
  return useInfiniteQuery({
    queryKey: qk.ruleList({ ...filters }),
    queryFn: ({ pageParam, signal }) =>
      api<Page<RuleSummary>>(`/rules${qs({ ...filters, limit: PAGE_SIZE, cursor: pageParam })}`, { signal }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.next ?? undefined,
  });
}

export function useRule(id: string) {
  return useQuery({ queryKey: qk.rule(id), queryFn: ({ signal }) => api<RuleDetail>(path(id), { signal }) });
}

/** Alerts raised by probes and metric detectors carry ids of their own, not rule ids. */
const isRuleId = (id: string) => !/^(probe|anomaly):/.test(id);

/** The rule an alert or suppression names by id, to show its title (only for those who may read rules). */
export function useRuleName(id: string | null) {
  const canRead = useCan('rule.read');
  return useQuery({
    queryKey: qk.rule(id ?? ''),
    queryFn: ({ signal }) => api<RuleDetail>(path(id ?? ''), { signal }),
    enabled: Boolean(id && canRead && isRuleId(id)),
    staleTime: 5 * 60_000,
  });
}

/** Rules matching `q` whose matches become alerts (feeding rules and filters never raise one), for the pickers. */
export function useRuleSearch(q: string) {
  return useQuery({
    queryKey: qk.ruleSearch(q),
    queryFn: ({ signal }) => api<Page<RuleSummary>>(`/rules${qs({ q: q || undefined, limit: 50 })}`, { signal }),
    staleTime: 30_000,
    select: (page) => page.items.filter((r) => r.reported && r.kind !== 'filter'),
  });
}

/** The live rule set's compile errors; while a change is being applied, asks again shortly. */
export function useRuleStatus() {
  return useQuery({
    queryKey: qk.ruleStatus,
    queryFn: ({ signal }) => api<RuleSetStatus>('/rules/errors', { signal }),
    refetchInterval: (q) => (q.state.data?.pending ? 1000 : false),
  });
}

/** Rules changed: lists, rules and the compile report are fetched again (the engine is rebuilt within moments). */
function changed(qc: QueryClient): void {
  void qc.invalidateQueries({ queryKey: qk.rules });
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
