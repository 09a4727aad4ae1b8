/** Queries and mutations of customer owners: my worklist, one case, the incident's owners, assignment. */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type {
  IncidentOwners,
  OwnerAssignment,
  OwnerCase,
  OwnerActivity,
  OwnerPool,
} from '../../../shared/owner-schemas.js';
import { api } from '../../app/api.js';

export type { IncidentOwners, OwnerActivity, OwnerAssignment, OwnerCase };

const enc = encodeURIComponent;
/** Every owner query lives under this key: the stream's `owner.changed` refetches them all. */
export const OWNERS_KEY = ['owners'] as const;
const caseUrl = (key: string, customerId: string) => `/incidents/${enc(key)}/owners/${enc(customerId)}`;

/** My worklist's first 200 (not yet reached first, overdue leading). */
export function useWorklist() {
  return useQuery({
    queryKey: [...OWNERS_KEY, 'worklist'],
    queryFn: ({ signal }) =>
      api<{ items: OwnerAssignment[]; next: string | null }>('/me/worklist?limit=200', { signal }),
    select: (d) => d.items,
  });
}

export function useOwnerCase(key: string, customerId: string) {
  return useQuery({
    queryKey: [...OWNERS_KEY, 'case', key, customerId],
    queryFn: ({ signal }) => api<OwnerCase>(caseUrl(key, customerId), { signal }),
  });
}

export function useIncidentOwners(key: string, enabled: boolean) {
  return useQuery({
    queryKey: [...OWNERS_KEY, 'incident', key],
    queryFn: ({ signal }) => api<IncidentOwners>(`/incidents/${enc(key)}/owners`, { signal }),
    enabled,
  });
}

function useOwnersMutation<V, R>(call: (v: V) => Promise<R>) {
  const qc = useQueryClient();
  return useMutation({ mutationFn: call, onSuccess: () => void qc.invalidateQueries({ queryKey: OWNERS_KEY }) });
}

export type AssignInput = { customerNos: string[] } | { setId: string };
export const useAssign = (key: string) =>
  useOwnersMutation((body: AssignInput) =>
    api<{ assigned: number; kept: number; unknown: string[]; unassigned: string[] }>(
      `/incidents/${enc(key)}/owners/assign`,
      { method: 'POST', body },
    ),
  );

export const useReassign = (key: string) =>
  useOwnersMutation((v: { customerId: string; ownerId: string; reason: string }) =>
    api<OwnerAssignment>(caseUrl(key, v.customerId), {
      method: 'PATCH',
      body: { ownerId: v.ownerId, reason: v.reason },
    }),
  );

/** What an owner records on a case: a contact attempt, a callback, a note/concern/request. */
export const useRecord = (key: string, customerId: string) =>
  useOwnersMutation((v: { what: 'contacts' | 'callbacks' | 'notes' | 'state'; body: Record<string, unknown> }) =>
    api<OwnerCase>(`${caseUrl(key, customerId)}/${v.what}`, { method: 'POST', body: v.body }),
  );

export const useItemStatus = () =>
  useOwnersMutation((v: { id: string; status: 'open' | 'done' }) =>
    api<OwnerCase>(`/owner-items/${enc(v.id)}`, { method: 'PATCH', body: { status: v.status } }),
  );

export function usePools(enabled: boolean) {
  return useQuery({
    queryKey: [...OWNERS_KEY, 'pools'],
    queryFn: ({ signal }) => api<{ items: OwnerPool[] }>('/owner-pools', { signal }),
    select: (d) => d.items,
    enabled,
  });
}

export const useSavePool = () =>
  useOwnersMutation((body: { kind: 'branch' | 'tier'; name: string; userIds: string[] }) =>
    api<OwnerPool | null>('/owner-pools', { method: 'POST', body }),
  );
