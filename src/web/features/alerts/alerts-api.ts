/** Queries and mutations of alerts, an incident's alerts, suppressions and maintenance windows. */
import { useInfiniteQuery, useMutation, useQuery, useQueryClient, type QueryClient } from '@tanstack/react-query';
import type { EntityKind } from '../../../shared/enums.js';
import { api, qs } from '../../app/api.js';
import { qk } from '../../app/query-keys.js';
import type { Alert, AlertDetail, MaintenanceWindow, Page, Suppression } from '../../app/types.js';

export interface AlertFilters {
  status?: string;
  level?: string;
  rule?: string;
  q?: string;
}

const PAGE_SIZE = 50;

/** The alert queue for `filters`, paged with the server's cursor; kept live by the stream. */
export function useAlertList(filters: AlertFilters) {
  return useInfiniteQuery({
    queryKey: qk.alertList({ ...filters }),
    queryFn: ({ pageParam, signal }) =>
      api<Page<Alert>>(`/alerts${qs({ ...filters, limit: PAGE_SIZE, cursor: pageParam })}`, { signal }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.next ?? undefined,
  });
}

export function useAlert(id: string) {
  return useQuery({
    queryKey: qk.alert(id),
    queryFn: ({ signal }) => api<AlertDetail>(`/alerts/${encodeURIComponent(id)}`, { signal }),
  });
}

/** The most recently seen alerts of an incident (the war room's card). */
export function useIncidentAlerts(key: string, limit = 50) {
  return useQuery({
    queryKey: qk.incidentAlerts(key),
    queryFn: ({ signal }) =>
      api<Page<Alert>>(`/incidents/${encodeURIComponent(key)}/alerts?limit=${limit}`, { signal }),
  });
}

/** After a change: the answer replaces the alert everywhere it is shown, and lists refetch for membership. */
function applied(qc: QueryClient, alert: Alert): void {
  qc.setQueryData<AlertDetail>(qk.alert(alert.id), (old) => (old ? { ...old, ...alert } : old));
  void qc.invalidateQueries({ queryKey: qk.alertLists });
  void qc.invalidateQueries({ queryKey: qk.incidentAlertLists });
}

function useAlertMutation<V>(call: (v: V) => Promise<Alert>) {
  const qc = useQueryClient();
  return useMutation({ mutationFn: call, onSuccess: (alert) => applied(qc, alert) });
}

const path = (id: string) => `/alerts/${encodeURIComponent(id)}`;

export const useAcknowledgeAlert = () =>
  useAlertMutation((id: string) => api<Alert>(`${path(id)}/acknowledge`, { method: 'POST' }));

export interface FalsePositiveInput {
  id: string;
  reason: string;
  suppress?: { entity: { kind: EntityKind; value: string } | null; expiresAt?: string };
}

export function useMarkFalsePositive() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ id, ...body }: FalsePositiveInput) =>
      api<Alert>(`${path(id)}/false-positive`, { method: 'POST', body }),
    onSuccess: (alert) => {
      applied(qc, alert);
      void qc.invalidateQueries({ queryKey: qk.suppressions });
    },
  });
}

export const useLinkAlert = () =>
  useAlertMutation(({ id, incidentKey }: { id: string; incidentKey: string | null }) =>
    api<Alert>(`${path(id)}/link`, { method: 'POST', body: { incidentKey } }),
  );

export function useSuppressions() {
  return useQuery({
    queryKey: qk.suppressions,
    queryFn: ({ signal }) => api<Page<Suppression>>('/suppressions?limit=200', { signal }),
  });
}

export interface SuppressionInput {
  ruleId?: string;
  entity?: { kind: EntityKind; value: string };
  reason: string;
  expiresAt?: string;
}

export function useCreateSuppression() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: SuppressionInput) => api<Suppression>('/suppressions', { method: 'POST', body }),
    onSuccess: () => void qc.invalidateQueries({ queryKey: qk.suppressions }),
  });
}

export function useRemoveSuppression() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api<void>(`/suppressions/${encodeURIComponent(id)}`, { method: 'DELETE' }),
    onSuccess: () => void qc.invalidateQueries({ queryKey: qk.suppressions }),
  });
}

export function useMaintenanceWindows() {
  return useQuery({
    queryKey: qk.maintenanceWindows,
    queryFn: ({ signal }) => api<Page<MaintenanceWindow>>('/maintenance-windows?limit=200', { signal }),
  });
}

export interface WindowInput {
  services: string[];
  ruleIds: string[];
  entities: { kind: EntityKind; value: string }[];
  startsAt: string;
  endsAt: string;
  reason: string;
}

export function useCreateWindow() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: WindowInput) => api<MaintenanceWindow>('/maintenance-windows', { method: 'POST', body }),
    onSuccess: () => void qc.invalidateQueries({ queryKey: qk.maintenanceWindows }),
  });
}

export function useRemoveWindow() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api<void>(`/maintenance-windows/${encodeURIComponent(id)}`, { method: 'DELETE' }),
    onSuccess: () => void qc.invalidateQueries({ queryKey: qk.maintenanceWindows }),
  });
}
