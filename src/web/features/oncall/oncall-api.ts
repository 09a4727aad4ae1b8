/** On-call schedules, their shifts, overrides, escalation policies; a person's contact routes. */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { z } from 'zod';
import type { PolicyView, ScheduleView, ShiftView } from '../../../shared/oncall-schemas.js';
import type { ContactRoutes, Page as PageRecord } from '../../../shared/page-schemas.js';
import { api } from '../../app/api.js';
import { qk } from '../../app/query-keys.js';

export type Schedule = z.infer<typeof ScheduleView>;
export type Shift = z.infer<typeof ShiftView>;
export type Policy = z.infer<typeof PolicyView>;

export function useSchedules(enabled: boolean) {
  return useQuery({
    queryKey: qk.schedules,
    queryFn: ({ signal }) => api<{ items: Schedule[] }>('/oncall/schedules', { signal }),
    enabled,
  });
}

export function useShifts(id: string, from: Date, to: Date) {
  return useQuery({
    queryKey: qk.shifts(id, from.toISOString()),
    queryFn: ({ signal }) =>
      api<{ items: Shift[] }>(
        `/oncall/schedules/${encodeURIComponent(id)}/shifts?from=${from.toISOString()}&to=${to.toISOString()}`,
        { signal },
      ),
  });
}

export function usePolicies(enabled: boolean) {
  return useQuery({
    queryKey: qk.policies,
    queryFn: ({ signal }) => api<{ items: Policy[] }>('/oncall/policies', { signal }),
    enabled,
  });
}

export function useAddOverride(scheduleId: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: { person: string; from: string; to: string }) =>
      api<Schedule>(`/oncall/schedules/${encodeURIComponent(scheduleId)}/overrides`, { method: 'POST', body }),
    onSuccess: () => void qc.invalidateQueries({ queryKey: qk.oncall }),
  });
}

export function useRemoveOverride(scheduleId: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (index: number) =>
      api<Schedule>(`/oncall/schedules/${encodeURIComponent(scheduleId)}/overrides/${index}`, { method: 'DELETE' }),
    onSuccess: () => void qc.invalidateQueries({ queryKey: qk.oncall }),
  });
}

export function useIncidentPages(key: string) {
  return useQuery({
    queryKey: qk.pages(key),
    queryFn: ({ signal }) => api<{ items: PageRecord[] }>(`/incidents/${encodeURIComponent(key)}/pages`, { signal }),
  });
}

export function useAckPage(key: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api<PageRecord>(`/pages/${encodeURIComponent(id)}/ack`, { method: 'POST' }),
    onSuccess: () => void qc.invalidateQueries({ queryKey: qk.pages(key) }),
  });
}

export function useContacts(userId: string) {
  return useQuery({
    queryKey: qk.contacts(userId),
    queryFn: ({ signal }) => api<ContactRoutes>(`/users/${encodeURIComponent(userId)}/contacts`, { signal }),
  });
}

export function useSaveContacts(userId: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: ContactRoutes) =>
      api<ContactRoutes>(`/users/${encodeURIComponent(userId)}/contacts`, { method: 'PUT', body }),
    onSuccess: (data) => qc.setQueryData(qk.contacts(userId), data),
  });
}
