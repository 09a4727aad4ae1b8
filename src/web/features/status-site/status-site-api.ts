/** Queries and mutations of the status site's management: components, groups, maintenance, announcements, subscribers. */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { z } from 'zod';
import type {
  StatusAnnouncementSummary,
  StatusComponent,
  StatusComponentUpdate,
  StatusGroup,
  StatusMaintenance,
} from '../../../shared/status-schemas.js';
import type { ComponentState } from '../../../shared/status-site.js';
import type { SubscriberItem, SubscriberLanguage, SubscriberOverview } from '../../../shared/subscription-schemas.js';
import { api } from '../../app/api.js';
import { qk } from '../../app/query-keys.js';
import type { Page } from '../../app/types.js';

export type { StatusAnnouncementSummary, StatusComponent, StatusGroup, StatusMaintenance, SubscriberItem };
export type Subscribers = z.infer<typeof SubscriberOverview>;

const base = '/status';
const enc = encodeURIComponent;

export function useStatusComponents(enabled: boolean) {
  return useQuery({
    queryKey: qk.statusComponents,
    queryFn: ({ signal }) => api<{ items: StatusComponent[] }>(`${base}/components`, { signal }),
    enabled,
    select: (d) => d.items,
  });
}

export function useStatusGroups(enabled: boolean) {
  return useQuery({
    queryKey: qk.statusGroups,
    queryFn: ({ signal }) => api<{ items: StatusGroup[] }>(`${base}/groups`, { signal }),
    enabled,
    select: (d) => d.items,
  });
}

export function useMaintenances(which: 'current' | 'all', enabled: boolean) {
  return useQuery({
    queryKey: qk.statusMaintenances(which),
    queryFn: ({ signal }) =>
      api<{ items: StatusMaintenance[] }>(`${base}/maintenances?which=${which}&limit=100`, { signal }),
    enabled,
    select: (d) => d.items,
  });
}

export function useAnnouncements(enabled: boolean) {
  return useQuery({
    queryKey: qk.statusAnnouncements,
    queryFn: ({ signal }) => api<Page<StatusAnnouncementSummary>>(`${base}/announcements?limit=50`, { signal }),
    enabled,
  });
}

export function useSubscribers(enabled: boolean) {
  return useQuery({
    queryKey: qk.subscribers,
    queryFn: ({ signal }) => api<Subscribers>(`${base}/subscribers?kind=webhook&limit=200`, { signal }),
    enabled,
  });
}

/** A write of the status site: every list of it is fetched again (the public state depends on several). */
function useStatusMutation<V, R>(call: (v: V) => Promise<R>) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: call,
    onSuccess: () => void qc.invalidateQueries({ queryKey: qk.statusSite }),
  });
}

export const useSetOverride = () =>
  useStatusMutation((v: { key: string; state: ComponentState; reason: string }) =>
    api<StatusComponent>(`${base}/components/${enc(v.key)}/override`, {
      method: 'PUT',
      body: { state: v.state, reason: v.reason },
    }),
  );

export const useClearOverride = () =>
  useStatusMutation((key: string) =>
    api<StatusComponent>(`${base}/components/${enc(key)}/override`, { method: 'DELETE' }),
  );

export const useUpdateComponent = () =>
  useStatusMutation((v: { key: string; body: StatusComponentUpdate }) =>
    api<StatusComponent>(`${base}/components/${enc(v.key)}`, { method: 'PATCH', body: v.body }),
  );

export interface GroupInput {
  name: { zh: string; en: string };
  position: number;
}

export const useCreateGroup = () =>
  useStatusMutation((v: GroupInput & { key: string }) =>
    api<StatusGroup>(`${base}/groups`, { method: 'POST', body: v }),
  );

export const useUpdateGroup = () =>
  useStatusMutation((v: GroupInput & { key: string }) =>
    api<StatusGroup>(`${base}/groups/${enc(v.key)}`, {
      method: 'PATCH',
      body: { name: v.name, position: v.position },
    }),
  );

export const useDeleteGroup = () =>
  useStatusMutation((key: string) => api<void>(`${base}/groups/${enc(key)}`, { method: 'DELETE' }));

export interface MaintenanceInput {
  title: { zh: string; en: string };
  body: { zh: string; en: string };
  services: string[];
  startsAt: string;
  endsAt: string;
}

export const useSaveMaintenance = () =>
  useStatusMutation((v: { id: string | null; body: MaintenanceInput }) =>
    v.id
      ? api<StatusMaintenance>(`${base}/maintenances/${enc(v.id)}`, { method: 'PATCH', body: v.body })
      : api<StatusMaintenance>(`${base}/maintenances`, { method: 'POST', body: v.body }),
  );

export const useCancelMaintenance = () =>
  useStatusMutation((id: string) => api<void>(`${base}/maintenances/${enc(id)}`, { method: 'DELETE' }));

export interface WebhookInput {
  name: string;
  /** Empty when editing: the URL stays as it is. */
  url: string;
  /** Empty when editing: the secret stays as it is. */
  secret: string;
  language: SubscriberLanguage;
  services: string[];
}

export const useSaveWebhook = () =>
  useStatusMutation((v: { id: string | null; body: WebhookInput }) => {
    if (!v.id) return api<SubscriberItem>(`${base}/subscribers/webhooks`, { method: 'POST', body: v.body });
    const { url, secret, ...rest } = v.body;
    return api<SubscriberItem>(`${base}/subscribers/webhooks/${enc(v.id)}`, {
      method: 'PATCH',
      body: { ...rest, ...(url ? { url } : {}), ...(secret ? { secret } : {}) },
    });
  });

export const useDeleteSubscriber = () =>
  useStatusMutation((id: string) => api<void>(`${base}/subscribers/${enc(id)}`, { method: 'DELETE' }));
