/** Queries and mutations of one incident's war room; every write also updates the caches at once. */
import { useEffect } from 'react';
import { useInfiniteQuery, useMutation, useQuery, useQueryClient, type InfiniteData } from '@tanstack/react-query';
import type { ParticipantRole, Status, TaskStatus } from '../../../shared/enums.js';
import { api, qs } from '../../app/api.js';
import { qk } from '../../app/query-keys.js';
import { appendEntry, upsertTask } from '../../app/sse.js';
import type { Incident, IncidentUpdate, Page, Task, TimelineEntry } from '../../app/types.js';

const path = (key: string) => `/incidents/${encodeURIComponent(key)}`;

export function useIncident(key: string) {
  return useQuery({
    queryKey: qk.incident(key),
    queryFn: ({ signal }) => api<Incident>(path(key), { signal }),
  });
}

/** The whole timeline (ascending by seq): pages are fetched until `next` is null. */
export function useTimeline(key: string) {
  const query = useInfiniteQuery({
    queryKey: qk.timeline(key),
    queryFn: ({ pageParam, signal }) =>
      api<Page<TimelineEntry>>(`${path(key)}/timeline${qs({ limit: 200, cursor: pageParam })}`, { signal }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.next ?? undefined,
  });
  const { hasNextPage, isFetchingNextPage, fetchNextPage, isError } = query;
  useEffect(() => {
    if (hasNextPage && !isFetchingNextPage && !isError) void fetchNextPage();
  }, [hasNextPage, isFetchingNextPage, fetchNextPage, isError]);
  return query;
}

export function useTasks(key: string) {
  return useQuery({
    queryKey: qk.tasks(key),
    queryFn: ({ signal }) => api<Page<Task>>(`${path(key)}/tasks?limit=200`, { signal }),
  });
}

/** Mutations that answer with the updated incident. */
function useIncidentMutation<V>(key: string, call: (v: V) => Promise<Incident>) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: call,
    onSuccess: (incident) => {
      qc.setQueryData(qk.incident(key), incident);
      void qc.invalidateQueries({ queryKey: qk.incidentLists });
      // status changes and edits write system entries to the timeline
      void qc.invalidateQueries({ queryKey: qk.timeline(key) });
    },
  });
}

export function useTransition(key: string) {
  return useIncidentMutation(key, (v: { to: Status; note?: string }) =>
    api<Incident>(`${path(key)}/transitions`, { method: 'POST', body: v }),
  );
}

export function useUpdateIncident(key: string) {
  return useIncidentMutation(key, (body: IncidentUpdate) => api<Incident>(path(key), { method: 'PATCH', body }));
}

export function useAddParticipant(key: string) {
  return useIncidentMutation(key, (v: { userId: string; role: ParticipantRole }) =>
    api<Incident>(`${path(key)}/participants`, { method: 'POST', body: v }),
  );
}

export function useRemoveParticipant(key: string) {
  return useIncidentMutation(key, (v: { userId: string; role: ParticipantRole }) =>
    api<Incident>(`${path(key)}/participants/${encodeURIComponent(v.userId)}/${encodeURIComponent(v.role)}`, {
      method: 'DELETE',
    }),
  );
}

export interface AppendInput {
  text: string;
  kind: 'note' | 'decision' | 'correction';
  correctsId?: string;
}

export function useAppendTimeline(key: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: AppendInput) => api<TimelineEntry>(`${path(key)}/timeline`, { method: 'POST', body }),
    onSuccess: (entry) =>
      qc.setQueryData<InfiniteData<Page<TimelineEntry>>>(qk.timeline(key), (old) => appendEntry(old, entry)),
  });
}

export interface TaskInput {
  title: string;
  ownerUserId?: string;
  ownerRole?: ParticipantRole;
  dueAt?: string;
}

export function useCreateTask(key: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: TaskInput) => api<Task>(`${path(key)}/tasks`, { method: 'POST', body }),
    onSuccess: (task) => qc.setQueryData<Page<Task>>(qk.tasks(key), (old) => upsertTask(old, task)),
  });
}

/** Changes a task; the checklist shows the new status at once and rolls back if the server refuses. */
export function useUpdateTask(key: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ id, ...body }: { id: string; status?: TaskStatus }) =>
      api<Task>(`${path(key)}/tasks/${encodeURIComponent(id)}`, { method: 'PATCH', body }),
    onMutate: async ({ id, status }) => {
      await qc.cancelQueries({ queryKey: qk.tasks(key) });
      const before = qc.getQueryData<Page<Task>>(qk.tasks(key));
      if (status) {
        qc.setQueryData<Page<Task>>(qk.tasks(key), (old) =>
          old ? { ...old, items: old.items.map((t) => (t.id === id ? { ...t, status } : t)) } : old,
        );
      }
      return { before };
    },
    onError: (_err, _vars, ctx) => {
      if (ctx?.before) qc.setQueryData(qk.tasks(key), ctx.before);
    },
    onSuccess: (task) => qc.setQueryData<Page<Task>>(qk.tasks(key), (old) => upsertTask(old, task)),
  });
}
