/** Queries and mutations for incident lists, services and declaring an incident. */
import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, qs } from '../../app/api.js';
import { qk } from '../../app/query-keys.js';
import type { Incident, IncidentCreate, Page, Service, User } from '../../app/types.js';

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

/** The firm's services (for filters and the declare form). */
export function useServices() {
  return useQuery({
    queryKey: qk.services,
    queryFn: ({ signal }) => api<Page<Service>>('/services?limit=200', { signal }),
    staleTime: 5 * 60_000,
    select: (page) => page.items,
  });
}

/** Staff accounts (for owner and participant pickers). */
export function useUsers(enabled = true) {
  return useQuery({
    queryKey: qk.users,
    queryFn: ({ signal }) => api<Page<User>>('/users?limit=200', { signal }),
    staleTime: 60_000,
    enabled,
    select: (page) => page.items,
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
