/** Queries and mutations of the register of requests from outside (police, CSRC, CAC, courts, auditors). */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { InvestigationRequest } from '../../../shared/investigation-schemas.js';
import { api } from '../../app/api.js';

export type { InvestigationRequest };
export type HandedOverIn = {
  kind: 'evidence' | 'export_package' | 'document' | 'other';
  ref?: string;
  description: string;
};
export interface RequestIn {
  incidentKey?: string | null;
  requesterKind: InvestigationRequest['requesterKind'];
  requesterName: string;
  reference?: string | null;
  requested: string;
  receivedAt: string;
  deadlineAt?: string | null;
}

const KEY = ['investigation-requests'] as const;
const enc = encodeURIComponent;

export function useRequests(filter: { status?: string; overdue?: boolean }) {
  const q = new URLSearchParams({ limit: '500' });
  if (filter.status) q.set('status', filter.status);
  if (filter.overdue) q.set('overdue', 'true');
  return useQuery({
    queryKey: [...KEY, q.toString()],
    queryFn: ({ signal }) => api<{ items: InvestigationRequest[] }>(`/investigation-requests?${q}`, { signal }),
  });
}

function useRequestMutation<B>(call: (body: B) => Promise<InvestigationRequest>) {
  const qc = useQueryClient();
  return useMutation({ mutationFn: call, onSuccess: () => qc.invalidateQueries({ queryKey: KEY }) });
}

export const useCreateRequest = () =>
  useRequestMutation((body: RequestIn) =>
    api<InvestigationRequest>('/investigation-requests', { method: 'POST', body }),
  );

export const useAnswerRequest = () =>
  useRequestMutation(({ id, handedOver }: { id: string; handedOver: HandedOverIn[] }) =>
    api<InvestigationRequest>(`/investigation-requests/${enc(id)}/answer`, { method: 'POST', body: { handedOver } }),
  );

export const useSetRequestStatus = () =>
  useRequestMutation(({ id, status }: { id: string; status: 'open' | 'withdrawn' }) =>
    api<InvestigationRequest>(`/investigation-requests/${enc(id)}`, { method: 'PATCH', body: { status } }),
  );
