/** Queries and mutations of drills (issue 16): the calendar with coverage, one drill, planning and running it. */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { Drill, DrillCalendar, DrillCreate, DrillUpdate } from '../../../shared/drill-schemas.js';
import { api } from '../../app/api.js';

export type { Drill, DrillCalendar };

const enc = encodeURIComponent;
const keys = {
  calendar: ['drills', 'calendar'] as const,
  one: (id: string) => ['drills', 'one', id] as const,
};

export function useDrillCalendar() {
  return useQuery({
    queryKey: keys.calendar,
    queryFn: ({ signal }) => api<DrillCalendar>('/drills/calendar', { signal }),
  });
}

/** One drill; refreshed every few seconds while it runs (injects fall due, the score moves). */
export function useDrill(id: string) {
  return useQuery({
    queryKey: keys.one(id),
    queryFn: ({ signal }) => api<Drill>(`/drills/${enc(id)}`, { signal }),
    refetchInterval: (q) => (q.state.data?.status === 'running' ? 5000 : false),
  });
}

export function useCreateDrill() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: Partial<DrillCreate> & { title: string; scheduledAt: string }) =>
      api<Drill>('/drills', { method: 'POST', body }),
    onSuccess: () => qc.invalidateQueries({ queryKey: ['drills'] }),
  });
}

/** Start, end, cancel, release an inject now, edit: each answer replaces the cached drill. */
export function useDrillMutations(id: string) {
  const qc = useQueryClient();
  const done = {
    onSuccess: (d: Drill) => {
      qc.setQueryData(keys.one(id), d);
      void qc.invalidateQueries({ queryKey: keys.calendar });
    },
  };
  return {
    step: useMutation({
      mutationFn: (step: 'start' | 'end' | 'cancel') => api<Drill>(`/drills/${enc(id)}/${step}`, { method: 'POST' }),
      ...done,
    }),
    release: useMutation({
      mutationFn: (injectId: string) =>
        api<Drill>(`/drills/${enc(id)}/injects/${enc(injectId)}/release`, { method: 'POST' }),
      ...done,
    }),
    update: useMutation({
      mutationFn: (body: DrillUpdate) => api<Drill>(`/drills/${enc(id)}`, { method: 'PATCH', body }),
      ...done,
    }),
  };
}
