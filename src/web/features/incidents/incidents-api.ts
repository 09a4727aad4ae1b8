/** Queries and mutations for incident lists and declaring an incident. */
import { useInfiniteQuery, useMutation, useQueryClient } from '@tanstack/react-query';
import { api, qs } from '../../app/api.js';
import { qk } from '../../app/query-keys.js';
import type { Incident, IncidentCreate, Page } from '../../app/types.js';

export interface IncidentFilters {
  status?: string;
  grade?: string;
  category?: string;
  service?: string;
  q?: string;
  sort?: string;
}

const PAGE_SIZE = 50;

/** The incident list for `filters`, paged with the server's `next` cursor. */
export function useIncidentList(filters: IncidentFilters) {
  const key = { ...filters } as Record<string, string | undefined>;
  return useInfiniteQuery({
    queryKey: qk.incidentList(key),
    queryFn: ({ pageParam, signal }) =>
      api<Page<Incident>>(`/incidents${qs({ ...filters, limit: PAGE_SIZE, cursor: pageParam })}`, { signal }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.next ?? undefined,
  });
}

/** POST /incidents; the new incident is cached so its war room opens instantly. */
export function useDeclareIncident() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: IncidentCreate) => api<Incident>('/incidents', { method: 'POST', body }),
    onSuccess: (incident) => {
      qc.setQueryData(qk.incident(incident.key), incident);
      void qc.invalidateQueries({ queryKey: qk.incidentLists });
    },
  });
}
